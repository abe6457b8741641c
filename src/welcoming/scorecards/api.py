"""Scorecards in the API: the same computation as the page and the command.

Reading is public. Changing a scoring profile needs a token or a signed-in session; whether the
person may is decided by the service and the permission rules, never here. The fixed paths
(`/profiles`, `/compare`) are declared before `/{code}`, which would otherwise take them.
"""

from datetime import datetime
from typing import Annotated

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.decorators import decorate_view
from ninja.responses import Status

from welcoming.accounts.auth import ScopeRefusedOut, token_or_session
from welcoming.accounts.models import Scope, User
from welcoming.core.api import JsonObjectIn
from welcoming.core.locking import StaleEdit
from welcoming.core.models import Community
from welcoming.core.pages import cache_per_data_state

from .comparison import scorecard_compare
from .exports import scorecard_to_dict
from .models import ScoringProfile
from .resolve import ChoiceRefused, scorecard_period_resolve, scoring_profile_resolve
from .schemas import ScorecardOut
from .selectors import OVERALL, scoring_profile_current
from .services import scorecard_compute, scoring_profile_save

router = Router(tags=["scorecards"])

Weight = Annotated[float, Field(ge=0, le=100)]


class ProfileOut(Schema):
    name: str
    version: int
    normalisation: ScoringProfile.Normalisation
    aggregation: ScoringProfile.Aggregation
    missing: ScoringProfile.Missing
    min_coverage: float = Field(description="Share of weight with data below which no score.")
    min_framework_coverage: float = Field(
        description="Share of the framework's (or a group's) characteristics with a score below "
        "which the overall (or group) score is not shown."
    )
    winsorise: bool = Field(description="Outliers are treated before normalisation.")
    peer_group: ScoringProfile.PeerGroup
    peer_list: list[str] = Field(description="Community codes of a `list` peer group.")
    weights: dict[str, float] = Field(
        description="Weight by indicator, characteristic or group code; missing codes weigh 1."
    )
    weight_noise: ScoringProfile.WeightNoise = Field(
        description="How the uncertainty analysis varies the weights: a Dirichlet around them "
        "(concentration 50), or COINr's noise, each weight × (1 + f·(2u − 1))."
    )
    noise_factor: float = Field(description="f of COINr's noise.")
    label_en: str | None = Field(description="Display name in English; the name when empty.")
    label_fr: str | None = Field(description="Display name in French; the name when empty.")
    created_at: datetime


class ProfileChanges(JsonObjectIn):
    """Only the choices given change; the others are kept from the latest version."""

    normalisation: ScoringProfile.Normalisation | None = None
    aggregation: ScoringProfile.Aggregation | None = None
    missing: ScoringProfile.Missing | None = None
    min_coverage: float | None = Field(None, ge=0, le=1)
    min_framework_coverage: float | None = Field(None, ge=0, le=1)
    winsorise: bool | None = None
    peer_group: ScoringProfile.PeerGroup | None = None
    peer_list: list[str] | None = Field(
        None, description="Community codes of a `list` peer group; unknown codes give 422."
    )
    weights: dict[str, Weight] | None = Field(
        None,
        description="Weight (0-100) by indicator, characteristic or group code; weights that "
        "leave an aggregate with nothing to weigh (all its parts at 0) give 422.",
    )
    based_on: int | None = Field(
        None,
        ge=1,
        description="The version these changes were made from: 409 if another was saved since.",
    )
    weight_noise: ScoringProfile.WeightNoise | None = None
    noise_factor: float | None = Field(None, ge=0, le=0.95)
    label_en: str | None = Field(None, max_length=120)
    label_fr: str | None = Field(None, max_length=120)


class DetailOut(Schema):
    detail: str


class ProfileRejectedOut(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(description="Messages by field.")


class ChoiceRefusedOut(Schema):
    """404: no profile of that name (or no such community: `detail` alone); 422: a period
    without scores at the level, or malformed."""

    detail: str
    errors: dict[str, list[str]] = Field(
        default_factory=dict, description="The message by field: profile, period or sort."
    )


def _refused(refused: ChoiceRefused) -> Status[object]:
    body = {"detail": refused.message, "errors": {refused.field: [refused.message]}}
    return Status(404 if refused.missing else 422, body)


class ProfileRef(Schema):
    name: str
    version: int


class ColumnOut(Schema):
    code: str
    name: str


class ComparedOut(Schema):
    code: str
    name: str
    rank: int | None = Field(description="Overall rank among every community of the level.")
    scores: dict[str, float | None] = Field(
        description="Score by column code; null: too little data."
    )


class ComparisonOut(Schema):
    period: str
    profile: ProfileRef
    columns: list[ColumnOut] = Field(description="The overall score first, then characteristics.")
    rows: list[ComparedOut]
    characteristics_in_framework: int
    min_framework_coverage: float = Field(
        description="The overall score and its rank are null for a community scored on a smaller "
        "share of the framework's characteristics than this."
    )


def _latest_profiles() -> QuerySet[ScoringProfile]:
    newest = ScoringProfile.objects.filter(name=OuterRef("name")).order_by("-version")
    return ScoringProfile.objects.filter(version=Subquery(newest.values("version")[:1])).order_by(
        "name"
    )


def _profile(name: str) -> ScoringProfile:
    try:
        return scoring_profile_resolve(name=name)
    except ChoiceRefused as refused:
        raise Http404(refused.message) from refused


@router.get("/profiles", response=list[ProfileOut])
def scoring_profile_list(request: HttpRequest) -> object:
    """The latest version of every scoring profile, by name."""
    scoring_profile_current(name="default")  # it exists from the first use, as on the pages
    return _latest_profiles()


@router.get("/profiles/{name}", response=ProfileOut)
def scoring_profile_detail(
    request: HttpRequest,
    name: str,
    version: int | None = Query(None, ge=1, description="An earlier version; default the latest."),
) -> ScoringProfile:
    if version is None:
        return _profile(name)
    found = ScoringProfile.objects.filter(name=name, version=version).first()
    if found is None:
        raise Http404(
            _("The scoring profile %(name)s has no version %(version)d.")
            % {"name": name, "version": version}
        )
    return found


@router.post(
    "/profiles/{name}",
    response={
        200: ProfileOut,
        201: ProfileOut,
        403: ScopeRefusedOut,
        409: DetailOut,
        422: ProfileRejectedOut,
    },
    auth=token_or_session(Scope.WRITE_SCORECARDS),
    summary="Save changed scoring choices as a new version",
)
def scoring_profile_change(
    request: HttpRequest, name: str, changes: ProfileChanges
) -> Status[object]:
    """Earlier versions stay as they were, so a published scorecard can still be explained.
    201 with the new version; 200 with the latest one when the choices change nothing; 409 when
    `based_on` is given and another version was saved since (nothing is saved)."""
    refused = _("You may not change scoring profiles.")
    if not isinstance(request.user, User):  # never None: the service would skip its check
        raise PermissionDenied(refused)
    latest = ScoringProfile.objects.filter(name=name).order_by("-version").first()
    choices = changes.model_dump(exclude_unset=True)
    try:
        profile = scoring_profile_save(
            name=name,
            actor=request.user,
            expected_version=choices.pop("based_on", None),
            **choices,
        )
    except PermissionDenied as denied:
        raise PermissionDenied(refused) from denied
    except StaleEdit as stale:
        return Status(409, {"detail": str(stale.message)})
    except ValidationError as invalid:
        detail = _("The scoring profile was not saved.")
        return Status(422, {"detail": detail, "errors": invalid.message_dict})
    return Status(200 if latest is not None and profile.pk == latest.pk else 201, profile)


@router.get("/compare", response={200: ComparisonOut, 404: ChoiceRefusedOut, 422: ChoiceRefusedOut})
def scorecard_comparison(
    request: HttpRequest,
    level: Community.Level = Community.Level.CMA,
    period: str | None = Query(None, max_length=16, description="Default: the latest with data."),
    codes: str | None = Query(None, description="Comma-separated community codes (535,462)."),
    province: str | None = Query(None, pattern=r"^\d{2}$", description="Two-digit province code."),
    size_class: Community.SizeClass | None = None,
    sort: str = Query(OVERALL, max_length=80, description="Column code to sort by, best first."),
    profile: str = "default",
) -> Status[object]:
    """Communities of one level side by side, from one run of the engine: the chosen codes, those
    of a province and a population-size class, or all."""
    try:
        chosen = scoring_profile_resolve(name=profile)
        year = scorecard_period_resolve(level=level, period=period)
    except ChoiceRefused as refused:
        return _refused(refused)
    if not year:
        raise Http404(_("No community of this level has scores."))
    wanted = [c for c in dict.fromkeys(code.strip() for code in (codes or "").split(",")) if c]
    comparison = scorecard_compare(
        level=level,
        period=year,
        profile=chosen,
        codes=wanted,
        province=province,
        size_class=size_class,
        sort=sort,
    )
    if comparison is None:
        raise Http404(_("No community of this level has scores in %(period)s.") % {"period": year})
    columns = [code for code, _name in comparison.columns]
    if sort not in columns:
        detail = _("There is no column %(sort)s to sort by; the columns are %(columns)s.")
        detail %= {"sort": sort, "columns": ", ".join(columns)}
        return Status(422, {"detail": detail, "errors": {"sort": [detail]}})
    return Status(
        200,
        ComparisonOut(
            period=comparison.period,
            profile=ProfileRef(name=chosen.name, version=chosen.version),
            columns=[
                ColumnOut(code=code, name=name or _("Overall")) for code, name in comparison.columns
            ],
            rows=[
                ComparedOut(
                    code=community.code,
                    name=str(community.name),
                    rank=rank,
                    scores={
                        code: value
                        for (code, _name), value in zip(comparison.columns, scores, strict=True)
                    },
                )
                for community, rank, scores in comparison.rows
            ],
            characteristics_in_framework=comparison.in_framework,
            min_framework_coverage=comparison.min_framework_coverage,
        ),
    )


@router.get("/{code}", response={200: ScorecardOut, 404: ChoiceRefusedOut, 422: ChoiceRefusedOut})
@decorate_view(cache_per_data_state)
def scorecard_detail(
    request: HttpRequest, code: str, period: str | None = None, profile: str = "default"
) -> Status[object]:
    """A community's scorecard as of `period` (default: the latest year with data); 422 for a
    period in which the community's level has no scores."""
    community = get_object_or_404(Community, code=code)
    try:
        chosen = scoring_profile_resolve(name=profile)
        year = scorecard_period_resolve(level=community.level, period=period)
    except ChoiceRefused as refused:
        return _refused(refused)
    card = scorecard_compute(community=community, period=year, profile=chosen)
    if card is None:
        raise Http404
    return Status(200, scorecard_to_dict(card))
