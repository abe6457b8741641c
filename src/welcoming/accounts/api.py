"""The person behind a request, in the API: who they are, their roles and what they may do."""

from django.http import HttpRequest
from ninja import Field, Router, Schema

from welcoming.core.models import Organization

from .auth import ScopeRefusedOut, authenticated
from .models import Membership, Role, User

router = Router(tags=["accounts"], auth=authenticated)

# The permissions an API client may want to know about before it tries.
API_PERMISSIONS = (
    "indicators.import_values",
    "indicators.view_importbatch",
    "framework.load_framework",
)


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
    permissions: list[str] = Field(description="Which of the API's permissions the person holds.")

    @staticmethod
    def resolve_memberships(user: User) -> list[Membership]:
        return list(user.memberships.select_related("organization").order_by("role", "pk"))

    @staticmethod
    def resolve_permissions(user: User) -> list[str]:
        return [perm for perm in API_PERMISSIONS if user.has_perm(perm)]


@router.get("/me", response={200: MeOut, 403: ScopeRefusedOut})
def me(request: HttpRequest) -> User:
    """The person the token or session belongs to (401 without credentials; 403 for a token
    without the scope `read`)."""
    return request.user  # type: ignore[return-value]
