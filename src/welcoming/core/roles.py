"""The roles a person holds in an organization, and how core asks about them.

Memberships live in `welcoming.accounts`, which core does not import. Core asks the user object
instead: the user model (`accounts.User`) answers `roles_in(organization_id)`,
`roles_anywhere()` and `installation_roles()`, as `Member` describes. Anyone else (an anonymous
visitor) holds no role.

The installation's own organization is the one organization flagged `is_installation`
(`core.Organization`): its administrators and data stewards manage the data every organization
shares (communities, the framework, indicators and their values, the default scoring profile).
"""

from typing import Protocol, runtime_checkable

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    DATA_STEWARD = "data_steward", _("Data steward")
    ANALYST = "analyst", _("Analyst")
    AGENCY_STAFF = "agency_staff", _("Agency staff")
    LIP_COORDINATOR = "lip_coordinator", _("LIP coordinator")
    FUNDER_OFFICER = "funder_officer", _("Funder officer")
    VOLUNTEER = "volunteer", _("Volunteer or host")
    NEWCOMER = "newcomer", _("Newcomer")


DATA_MANAGERS = frozenset({Role.ADMINISTRATOR, Role.DATA_STEWARD})
"""The roles that may change data: in their organization, or everywhere in the installation's."""

SERVING_ROLES = frozenset({Role.AGENCY_STAFF, Role.ADMINISTRATOR})
"""The roles of an organization's people who serve newcomers: they keep its programs, the
profiles of the newcomers and hosts it serves, and their matches."""

NO_ROLES: frozenset[str] = frozenset()


@runtime_checkable
class Member(Protocol):
    """What core needs from a user to answer questions about roles."""

    def roles_in(self, organization_id: int | None) -> frozenset[str]: ...

    def roles_anywhere(self) -> frozenset[str]: ...

    def installation_roles(self) -> frozenset[str]: ...


def _member(user: object) -> Member | None:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", True):
        return None
    return user if isinstance(user, Member) else None


def roles_in(user: object, organization_id: int | None) -> frozenset[str]:
    member = _member(user)
    return member.roles_in(organization_id) if member else NO_ROLES


def roles_anywhere(user: object) -> frozenset[str]:
    member = _member(user)
    return member.roles_anywhere() if member else NO_ROLES


def installation_roles(user: object) -> frozenset[str]:
    member = _member(user)
    return member.installation_roles() if member else NO_ROLES
