"""Reads on people and memberships."""

from django.db.models import Q, QuerySet

from welcoming.core.models import Organization

from .models import Membership, User


def organizations_managed_by(*, user: User) -> list[Organization]:
    """The organizations whose members the person may manage, by name."""
    return [
        organization
        for organization in Organization.objects.order_by("name_en")
        if user.has_perm("accounts.manage_memberships", organization)
    ]


def membership_list(*, organization: Organization) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organization=organization)
        .select_related("user")
        .order_by("user__username", "role")
    )


def person_find(*, identifier: str) -> User | None:
    """The active person whose user name or e-mail address is `identifier` (case ignored)."""
    identifier = identifier.strip()
    if not identifier:
        return None
    found = list(
        User.objects.filter(Q(username__iexact=identifier) | Q(email__iexact=identifier))
        .filter(is_active=True)
        .exclude(username="operator")[:2]
    )
    return found[0] if len(found) == 1 else None
