"""The person behind a request, in the API: who they are, their roles and what they may do."""

from django.http import HttpRequest
from ninja import Field, Router, Schema
from rules.permissions import permissions as registry

from welcoming.core.models import Organization

from .auth import authenticated
from .models import Membership, Role, User

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


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> User:
    """The person the token or session belongs to (401 without credentials)."""
    return request.user  # type: ignore[return-value]
