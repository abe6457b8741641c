"""The person behind a request, in the API: who they are, their roles, what they may do, and
the consents they have given."""

from datetime import datetime

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from rules.permissions import permissions as registry

from welcoming.core.models import Organization

from .auth import ScopeRefusedOut, authenticated
from .models import Consent, ConsentPurpose, Membership, Role, User
from .selectors import consent_list
from .services import consent_give, consent_withdraw

router = Router(tags=["accounts"], auth=authenticated)


class OrganizationOut(Schema):
    id: int
    name_en: str
    name_fr: str
    sector: Organization.Sector


class MembershipOut(Schema):
    role: Role
    organization: OrganizationOut


class MeOut(Schema):
    username: str
    preferred_language: str
    memberships: list[MembershipOut]
    permissions: list[str] = Field(
        description=(
            "Every permission the person holds somewhere (`app.action_entity`), from the rules "
            "registry. A permission on an organization's objects is listed when the person holds "
            "it in at least one organization; each request is still checked against the object."
        )
    )

    @staticmethod
    def resolve_memberships(user: User) -> list[Membership]:
        return list(user.memberships.select_related("organization").order_by("role", "pk"))

    @staticmethod
    def resolve_permissions(user: User) -> list[str]:
        return [name for name in sorted(registry) if "." in name and user.has_perm(name)]


@router.get("/me", response={200: MeOut, 403: ScopeRefusedOut})
def me(request: HttpRequest) -> User:
    """The person the token or session belongs to (401 without credentials; 403 for a token
    without the scope `read`)."""
    return request.user  # type: ignore[return-value]


class ConsentIn(Schema):
    purpose: ConsentPurpose
    notice_version: str = Field(
        min_length=1,
        max_length=32,
        pattern=r"^[0-9A-Za-z.\-]+$",
        description="The version of the privacy notice the person was shown, e.g. 2026-12.",
    )


class ConsentOut(Schema):
    id: int
    purpose: ConsentPurpose
    notice_version: str
    given_at: datetime
    withdrawn_at: datetime | None = Field(description="None while the consent is in force.")


class ConsentDetailOut(Schema):
    detail: str


@router.get("/me/consents", response=list[ConsentOut])
def consent_list_own(request: HttpRequest) -> object:
    """The consents the person has given, newest first, those withdrawn included."""
    return consent_list(person=request.user)  # type: ignore[arg-type]


@router.post("/me/consents", response={200: ConsentOut})
def consent_give_own(request: HttpRequest, payload: ConsentIn) -> Consent:
    """Give consent to a purpose under a notice version: the consent now in force for it.
    Giving it again changes nothing; under a newer notice, the older consent is withdrawn."""
    return consent_give(
        person=request.user,  # type: ignore[arg-type]
        purpose=payload.purpose,
        notice_version=payload.notice_version,
        actor=request.user,  # type: ignore[arg-type]
    )


@router.post(
    "/me/consents/{consent_id}/withdraw", response={200: ConsentOut, 404: ConsentDetailOut}
)
def consent_withdraw_own(request: HttpRequest, consent_id: int) -> Consent:
    """Withdraw one of the person's consents (404 for a consent that is not theirs)."""
    consent = consent_list(person=request.user).filter(pk=consent_id).first()  # type: ignore[arg-type]
    if consent is None:
        raise Http404(_("You have no consent with this number."))
    return consent_withdraw(consent=consent, actor=request.user)  # type: ignore[arg-type]
