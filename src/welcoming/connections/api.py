"""Programs and profiles in the API, for the staff of the organization that keeps them.

Reading needs a token with `read` (or a signed-in session), writing `write:connections`; whether
the person may is decided by the same rules as the pages. A record of an organization the person
does not serve answers 404, as if it did not exist. A change names the `version` it was made
from: 409 when the record changed since (nothing is saved).
"""

from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from welcoming.accounts.auth import ScopeRefusedOut, authenticated, token_or_session
from welcoming.accounts.models import Scope, User
from welcoming.core.api import JsonObjectIn, Page
from welcoming.core.locking import StaleEdit
from welcoming.core.models import Community, Organization
from welcoming.core.privacy import CountOut, small_count_label
from welcoming.engines.matching import AVAILABILITY_ALL

from . import selectors
from .erasure import REASON_MAX, host_profile_erase, newcomer_profile_erase, profile_export
from .models import (
    AgeGroup,
    Delivery,
    Eligibility,
    Goal,
    HostProfile,
    Interest,
    NewcomerProfile,
    Preference,
    Program,
    ProgramKind,
)
from .services import host_profile_save, newcomer_profile_save, program_save

router = Router(tags=["connections"])
writing = token_or_session(Scope.WRITE_CONNECTIONS)


class DetailOut(Schema):
    detail: str


class FieldErrorsOut(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(description="Messages by field.")


class LanguageSkillIO(Schema):
    code: str = Field(min_length=3, max_length=3, description="ISO 639-3 code, e.g. tir.")
    level: int = Field(ge=1, le=4, description="1 basic, 2 conversational, 3 fluent, 4 native.")


class ProgramOut(Schema):
    id: int
    version: int
    organization_id: int
    name_en: str
    name_fr: str
    description_en: str | None
    description_fr: str | None
    kind: ProgramKind
    communities: list[str] = Field(description="SGC codes of the communities served.")
    languages: list[str] = Field(description="ISO 639-3 codes.")
    min_language_level: int
    capacity: int | None
    eligibility: list[Eligibility]
    team_size_min: int | None
    team_size_max: int | None
    schedule_en: str | None
    schedule_fr: str | None
    delivery: Delivery
    is_active: bool
    weight_occupation: float
    weight_interests: float
    weight_distance: float
    weight_household: float
    weight_language: float
    weight_waiting: float
    weight_priority: float
    distance_scale_km: float

    @staticmethod
    def resolve_communities(program: Program) -> list[str]:
        return [c.code for c in program.communities.all()]


class ProgramIn(JsonObjectIn):
    version: int | None = Field(None, ge=1, description="Required to change: the version read.")
    organization_id: int
    name_en: str = Field(max_length=200)
    name_fr: str = Field(max_length=200)
    description_en: str = ""
    description_fr: str = ""
    kind: ProgramKind
    communities: list[str] = Field(min_length=1, description="SGC codes.")
    languages: list[str] = Field(default_factory=list, description="ISO 639-3 codes.")
    min_language_level: int = Field(2, ge=1, le=4)
    capacity: int | None = Field(None, ge=0)
    eligibility: list[Eligibility] = Field(default_factory=list)
    team_size_min: int | None = Field(None, ge=1)
    team_size_max: int | None = Field(None, ge=1)
    schedule_en: str = Field("", max_length=200)
    schedule_fr: str = Field("", max_length=200)
    delivery: Delivery = Delivery.IN_PERSON
    is_active: bool = True
    weight_occupation: float = Field(Program.weight_occupation.field.default, ge=0)
    weight_interests: float = Field(Program.weight_interests.field.default, ge=0)
    weight_distance: float = Field(Program.weight_distance.field.default, ge=0)
    weight_household: float = Field(Program.weight_household.field.default, ge=0)
    weight_language: float = Field(Program.weight_language.field.default, ge=0)
    weight_waiting: float = Field(Program.weight_waiting.field.default, ge=0)
    weight_priority: float = Field(Program.weight_priority.field.default, ge=0)
    distance_scale_km: float = Field(Program.distance_scale_km.field.default, gt=0)


class PersonProfileOut(Schema):
    id: int
    version: int
    organization_id: int
    name: str
    email: str
    preferred_language: str
    community: str = Field(description="SGC code of the community.")
    postal_code: str = Field(description="The forward sortation area only (e.g. E1C).")
    latitude: float
    longitude: float
    availability: int = Field(description="21-bit week mask: bit day * 3 + part, Monday = 0.")
    online_ok: bool
    noc_code: str = Field(description="NOC 2021 unit group (5 digits), or empty.")
    occupation_text: str
    interests: list[Interest]
    children_ages: list[int]
    languages: list[LanguageSkillIO]
    programs: list[int]
    is_sample: bool
    erased_at: datetime | None = Field(
        description="When the person's data was erased on request; the profile then holds none."
    )

    @staticmethod
    def resolve_community(profile: Any) -> str:
        return str(profile.community.code)

    @staticmethod
    def resolve_languages(profile: Any) -> list[dict[str, Any]]:
        return [{"code": s.code, "level": s.level} for s in profile.languages.all()]

    @staticmethod
    def resolve_programs(profile: Any) -> list[int]:
        return [p.pk for p in profile.programs.all()]


class NewcomerOut(PersonProfileOut):
    arrival_date: date | None = Field(description="Empty once the profile is erased.")
    age_group: AgeGroup | Literal[""]
    goals: list[Goal]
    requires: list[Preference]
    is_refugee: bool
    is_isolated_senior: bool
    is_single_parent: bool
    status: NewcomerProfile.Status
    consent_id: int | None


class HostOut(PersonProfileOut):
    kind: HostProfile.Kind
    status: HostProfile.Status
    capacity: int
    max_distance_km: float
    offers: list[Preference]
    police_check_date: date | None
    police_check_expires: date | None
    training_completed_on: date | None


class ProfileIn(JsonObjectIn):
    version: int | None = Field(None, ge=1, description="Required to change: the version read.")
    organization_id: int
    name: str = Field(max_length=120)
    email: str = Field("", max_length=254)
    preferred_language: str = Field("en", pattern="^(en|fr)$")
    community: str = Field(description="SGC code of the community.")
    postal_code: str = Field("", max_length=7, description="Only its FSA is kept.")
    availability: int = Field(0, ge=0, le=AVAILABILITY_ALL)
    online_ok: bool = False
    noc_code: str = Field("", pattern=r"^([0-9]{5})?$")
    occupation_text: str = Field("", max_length=200)
    interests: list[Interest] = Field(default_factory=list)
    children_ages: list[int] = Field(default_factory=list)
    languages: list[LanguageSkillIO] = Field(min_length=1)
    programs: list[int] = Field(default_factory=list)


class NewcomerIn(ProfileIn):
    arrival_date: date
    age_group: AgeGroup
    goals: list[Goal] = Field(default_factory=list)
    requires: list[Preference] = Field(default_factory=list)
    is_refugee: bool = False
    is_isolated_senior: bool = False
    is_single_parent: bool = False
    status: NewcomerProfile.Status = NewcomerProfile.Status.WAITING
    consent_given: bool = Field(
        False,
        description="To create: the newcomer agreed to the privacy notice for matching; the "
        "consent is recorded with the profile.",
    )


class HostIn(ProfileIn):
    kind: HostProfile.Kind
    status: HostProfile.Status = HostProfile.Status.ACTIVE
    capacity: int = Field(1, ge=0)
    max_distance_km: float = Field(15.0, ge=0)
    offers: list[Preference] = Field(default_factory=list)
    police_check_date: date | None = None
    police_check_expires: date | None = None
    training_completed_on: date | None = None


class ProfileErasureIn(Schema):
    reason: str = Field(
        max_length=REASON_MAX,
        description="Who asked and when, without personal details: it stays in the audit trail.",
    )


class ProfileExportOut(Schema):
    kind: Literal["newcomer", "host"]
    exported_at: datetime
    profile: dict[str, Any] = Field(description="Every field of the profile, its languages.")
    consents: list[dict[str, Any]] = Field(description="The person's consents, oldest first.")
    matches: list[dict[str, Any]] = Field(
        description="The person's matches, with their interactions and feedback."
    )


class CountsOut(Schema):
    newcomers_waiting: CountOut
    newcomers_connected: CountOut
    hosts_active: CountOut


def _actor(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def _visible(request: HttpRequest, model: type[Any], pk: int, perm: str) -> Any:
    found = model.objects.filter(pk=pk).first()
    if found is None or not request.user.has_perm(perm, found):
        raise Http404(_("Nothing was found at this address."))
    return found


def _rejected(error: ValidationError, detail: str) -> Status[object]:
    errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    return Status(422, {"detail": detail, "errors": errors})


def _served(request: HttpRequest, organization_id: int) -> Organization:
    """The organization named in a body, if the person serves newcomers in it."""
    ids = selectors.organizations_served_by(user=_actor(request))
    if organization_id not in ids:
        raise PermissionDenied(_("You do not serve newcomers in this organization."))
    return Organization.objects.get(pk=organization_id)


def _communities(codes: list[str]) -> list[Community]:
    found = list(Community.objects.filter(code__in=codes))
    unknown = sorted(set(codes) - {c.code for c in found})
    if unknown:
        raise ValidationError(
            {
                "communities": _("Unknown community codes: %(codes)s.")
                % {"codes": ", ".join(unknown)}
            }
        )
    return found


def _profile_fields(request: HttpRequest, body: ProfileIn) -> dict[str, Any]:
    data = body.model_dump(exclude={"version", "languages", "consent_given", "organization_id"})
    data["organization"] = _served(request, body.organization_id)
    community = Community.objects.filter(code=body.community).first()
    if community is None:
        raise ValidationError(
            {"community": _("Unknown community code: %(code)s.") % {"code": body.community}}
        )
    data["community"] = community
    data["programs"] = list(Program.objects.filter(pk__in=body.programs))
    if len(data["programs"]) != len(set(body.programs)):
        raise ValidationError({"programs": _("Unknown program.")})
    return data


def _save(
    request: HttpRequest, record: Any, body: Any, save: Any, detail: str, created: bool
) -> Status[object]:
    if not created:
        if body.version is None:
            return Status(
                422, {"detail": detail, "errors": {"version": [_("Give the version you read.")]}}
            )
        record.version = body.version
    try:
        saved = save(record)
    except StaleEdit as stale:
        return Status(409, {"detail": str(stale.message)})
    except ValidationError as error:
        return _rejected(error, detail)
    return Status(201 if created else 200, saved)


# --- programs ---------------------------------------------------------------------------------


@router.get("/programs", response=list[ProgramOut], auth=authenticated)
@paginate(Page)
def program_list(request: HttpRequest) -> Any:
    """The programs of the organizations the person serves newcomers in."""
    return selectors.program_list(user=_actor(request)).prefetch_related("communities")


@router.get("/programs/{program_id}", response=ProgramOut, auth=authenticated)
def program_detail(request: HttpRequest, program_id: int) -> Program:
    return _visible(request, Program, program_id, "connections.view_program")


def _program_save(
    request: HttpRequest, program: Program, body: ProgramIn, created: bool
) -> Status[object]:
    detail = _("The program was not saved.")
    try:
        organization = _served(request, body.organization_id)
        communities = _communities(body.communities)
    except ValidationError as error:
        return _rejected(error, detail)
    fields = body.model_dump(exclude={"version", "communities", "organization_id"})
    fields["organization"] = organization
    fields["eligibility"] = [str(e) for e in body.eligibility]

    def save(record: Program) -> Program:
        return program_save(
            actor=_actor(request), program=record, fields=fields, communities=communities
        )

    return _save(request, program, body, save, detail, created)


@router.post(
    "/programs",
    response={201: ProgramOut, 403: ScopeRefusedOut, 422: FieldErrorsOut},
    auth=writing,
)
def program_create(request: HttpRequest, body: ProgramIn) -> Status[object]:
    return _program_save(request, Program(), body, created=True)


@router.put(
    "/programs/{program_id}",
    response={200: ProgramOut, 403: ScopeRefusedOut, 409: DetailOut, 422: FieldErrorsOut},
    auth=writing,
)
def program_change(request: HttpRequest, program_id: int, body: ProgramIn) -> Status[object]:
    program = _visible(request, Program, program_id, "connections.change_program")
    return _program_save(request, program, body, created=False)


# --- profiles --------------------------------------------------------------------------------


def _profile_save(
    request: HttpRequest, profile: Any, body: Any, service: Any, created: bool, **extra: Any
) -> Status[object]:
    detail = _("The profile was not saved.")
    try:
        fields = _profile_fields(request, body)
    except ValidationError as error:
        return _rejected(error, detail)
    languages = [(skill.code, skill.level) for skill in body.languages]

    def save(record: Any) -> Any:
        return service(
            actor=_actor(request), profile=record, fields=fields, languages=languages, **extra
        )

    return _save(request, profile, body, save, detail, created)


@router.get("/newcomers", response=list[NewcomerOut], auth=authenticated)
@paginate(Page)
def newcomer_list(request: HttpRequest) -> Any:
    """The newcomers the person's organizations serve."""
    return selectors.newcomer_profile_list(user=_actor(request)).prefetch_related(
        "languages", "programs"
    )


@router.get("/newcomers/{profile_id}", response=NewcomerOut, auth=authenticated)
def newcomer_detail(request: HttpRequest, profile_id: int) -> NewcomerProfile:
    return _visible(request, NewcomerProfile, profile_id, "connections.view_newcomerprofile")


@router.post(
    "/newcomers",
    response={201: NewcomerOut, 403: ScopeRefusedOut, 422: FieldErrorsOut},
    auth=writing,
)
def newcomer_create(request: HttpRequest, body: NewcomerIn) -> Status[object]:
    """A new profile needs `consent_given`: the consent is recorded with it."""
    return _profile_save(
        request,
        NewcomerProfile(),
        body,
        newcomer_profile_save,
        created=True,
        consent_given=body.consent_given,
    )


@router.put(
    "/newcomers/{profile_id}",
    response={200: NewcomerOut, 403: ScopeRefusedOut, 409: DetailOut, 422: FieldErrorsOut},
    auth=writing,
)
def newcomer_change(request: HttpRequest, profile_id: int, body: NewcomerIn) -> Status[object]:
    profile = _visible(request, NewcomerProfile, profile_id, "connections.change_newcomerprofile")
    return _profile_save(request, profile, body, newcomer_profile_save, created=False)


@router.get("/hosts", response=list[HostOut], auth=authenticated)
@paginate(Page)
def host_list(request: HttpRequest) -> Any:
    """The hosts of the person's organizations."""
    return selectors.host_profile_list(user=_actor(request)).prefetch_related(
        "languages", "programs"
    )


@router.get("/hosts/{profile_id}", response=HostOut, auth=authenticated)
def host_detail(request: HttpRequest, profile_id: int) -> HostProfile:
    return _visible(request, HostProfile, profile_id, "connections.view_hostprofile")


@router.post(
    "/hosts", response={201: HostOut, 403: ScopeRefusedOut, 422: FieldErrorsOut}, auth=writing
)
def host_create(request: HttpRequest, body: HostIn) -> Status[object]:
    return _profile_save(request, HostProfile(), body, host_profile_save, created=True)


@router.put(
    "/hosts/{profile_id}",
    response={200: HostOut, 403: ScopeRefusedOut, 409: DetailOut, 422: FieldErrorsOut},
    auth=writing,
)
def host_change(request: HttpRequest, profile_id: int, body: HostIn) -> Status[object]:
    profile = _visible(request, HostProfile, profile_id, "connections.change_hostprofile")
    return _profile_save(request, profile, body, host_profile_save, created=False)


# --- a person's data on request (erasure.py) ---------------------------------------------------

PROFILE_MODELS: dict[str, type[NewcomerProfile] | type[HostProfile]] = {
    "newcomer": NewcomerProfile,
    "host": HostProfile,
}


def _export(request: HttpRequest, kind: str, profile_id: int) -> dict[str, Any]:
    profile = _visible(
        request, PROFILE_MODELS[kind], profile_id, f"connections.export_{kind}profile"
    )
    return profile_export(profile=profile, actor=_actor(request))


def _erase(
    request: HttpRequest, kind: str, profile_id: int, body: ProfileErasureIn, erase: Any
) -> Status[object]:
    profile = _visible(
        request, PROFILE_MODELS[kind], profile_id, f"connections.erase_{kind}profile"
    )
    try:
        erase(profile=profile, actor=_actor(request), reason=body.reason)
    except ValidationError as refused:
        return _rejected(refused, _("The profile was not erased."))
    return Status(200, profile)


@router.get("/newcomers/{profile_id}/export", response=ProfileExportOut, auth=authenticated)
def newcomer_export(request: HttpRequest, profile_id: int) -> dict[str, Any]:
    """Everything kept about the newcomer, for their request to see it."""
    return _export(request, "newcomer", profile_id)


@router.post(
    "/newcomers/{profile_id}/erase",
    response={200: NewcomerOut, 403: ScopeRefusedOut, 422: FieldErrorsOut},
    auth=writing,
    summary="Erase a newcomer's data on request",
)
def newcomer_erase(request: HttpRequest, profile_id: int, body: ProfileErasureIn) -> Status[object]:
    """Ends the newcomer's live matches ("erased on request"), empties the profile and the notes
    about them, and keeps the numbered shell so that the program's figures do not change."""
    return _erase(request, "newcomer", profile_id, body, newcomer_profile_erase)


@router.get("/hosts/{profile_id}/export", response=ProfileExportOut, auth=authenticated)
def host_export(request: HttpRequest, profile_id: int) -> dict[str, Any]:
    """Everything kept about the host, for their request to see it."""
    return _export(request, "host", profile_id)


@router.post(
    "/hosts/{profile_id}/erase",
    response={200: HostOut, 403: ScopeRefusedOut, 422: FieldErrorsOut},
    auth=writing,
    summary="Erase a host's data on request",
)
def host_erase(request: HttpRequest, profile_id: int, body: ProfileErasureIn) -> Status[object]:
    """As for a newcomer: the host's live matches end and the profile is emptied."""
    return _erase(request, "host", profile_id, body, host_profile_erase)


@router.get("/counts", response=CountsOut, auth=authenticated)
def connection_counts(request: HttpRequest) -> dict[str, Any]:
    """People in connection programs across the installation, each count suppressed under 5:
    for funder officers and the staff who serve newcomers."""
    if not request.user.has_perm("connections.view_connection_counts"):
        raise PermissionDenied
    counts = selectors.connection_counts()
    return {
        key: {"value": value, "suppressed": value is None, "label": small_count_label(value)}
        for key, value in counts.items()
    }
