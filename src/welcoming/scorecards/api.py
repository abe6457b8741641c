"""Scorecards in the API: the same computation as the page and the command.

Reading is public. Changing a scoring profile needs a token or a signed-in session; whether the
person may is decided by the service and the permission rules, never here. The fixed paths
(`/profiles`, `/compare`) are declared before `/{code}`, which would otherwise take them.
"""

from datetime import datetime
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from welcoming.accounts.auth import ScopeRefusedOut, token_or_session
from welcoming.accounts.models import Scope, User
from welcoming.core.api import JsonObjectIn
from welcoming.core.models import Community

from .comparison import scorecard_compare
from .exports import scorecard_to_dict
from .models import ScoringProfile
from .selectors import OVERALL, scorecard_periods, scoring_profile_current
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
    winsorise: bool = Field(description="Outliers are treated before normalisation.")
    peer_group: ScoringProfile.PeerGroup
    peer_list: list[str] = Field(description="Community codes of a `list` peer group.")
    weights: dict[str, float] = Field(
        description="Weight by indicator, characteristic or group code; missing codes weigh 1."
    )
    created_at: datetime


class ProfileChanges(JsonObjectIn):
    """Only the choices given change; the others are kept from the latest version."""

    normalisation: ScoringProfile.Normalisation | None = None
    aggregation: ScoringProfile.Aggregation | None = None
    missing: ScoringProfile.Missing | None = None
    min_coverage: float | None = Field(None, ge=0, le=1)
    winsorise: bool | None = None
    peer_group: ScoringProfile.PeerGroup | None = None
    peer_list: list[str] | None = Field(
        None, description="Community codes of a `list` peer group; unknown codes give 422."
    )
    weights: dict[str, Weight] | None = Field(
        None, description="Weight (0-100) by indicator, characteristic or group code."
    )


class DetailOut(Schema):
    detail: str


class ProfileRejectedOut(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(description="Messages by field.")


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


def _latest_profiles() -> QuerySet[ScoringProfile]:
    newest = ScoringProfile.objects.filter(name=OuterRef("name")).order_by("-version")
    return ScoringProfile.objects.filter(version=Subquery(newest.values("version")[:1])).order_by(
        "name"
    )


def _profile(name: str) -> ScoringProfile:
    try:
        return scoring_profile_current(name=name)
    except ScoringProfile.DoesNotExist as missing:
        raise Http404(_("No scoring profile is named %(name)s.") % {"name": name}) from missing


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
    response={200: ProfileOut, 201: ProfileOut, 403: ScopeRefusedOut, 422: ProfileRejectedOut},
    auth=token_or_session(Scope.WRITE_SCORECARDS),
    summary="Save changed scoring choices as a new version",
)
def scoring_profile_change(
    request: HttpRequest, name: str, changes: ProfileChanges
) -> Status[object]:
    """Earlier versions stay as they were, so a published scorecard can still be explained.
    201 with the new version; 200 with the latest one when the choices change nothing."""
    refused = _("You may not change scoring profiles.")
    if not isinstance(request.user, User):  # never None: the service would skip its check
        raise PermissionDenied(refused)
    latest = ScoringProfile.objects.filter(name=name).order_by("-version").first()
    try:
        profile = scoring_profile_save(
            name=name, actor=request.user, **changes.model_dump(exclude_unset=True)
        )
    except PermissionDenied as denied:
        raise PermissionDenied(refused) from denied
    except ValidationError as invalid:
        detail = _("The scoring profile was not saved.")
        return Status(422, {"detail": detail, "errors": invalid.message_dict})
    return Status(200 if latest is not None and profile.pk == latest.pk else 201, profile)


@router.get("/compare", response={200: ComparisonOut, 404: DetailOut, 422: DetailOut})
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
    chosen = _profile(profile)
    year = period or next(iter(scorecard_periods(level=level)), None)
    if year is None:
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
        return Status(422, {"detail": detail % {"sort": sort, "columns": ", ".join(columns)}})
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
        ),
    )


@router.get("/{code}", response=dict[str, Any])
def scorecard_detail(
    request: HttpRequest, code: str, period: str | None = None, profile: str = "default"
) -> dict[str, Any]:
    """A community's scorecard as of `period` (default: the latest year with data)."""
    community = get_object_or_404(Community, code=code)
    try:
        chosen = scoring_profile_current(name=profile)
    except ScoringProfile.DoesNotExist as missing:
        raise Http404 from missing
    year = period or next(iter(scorecard_periods(level=community.level)), "")
    card = scorecard_compute(community=community, period=year, profile=chosen)
    if card is None:
        raise Http404
    return scorecard_to_dict(card)
