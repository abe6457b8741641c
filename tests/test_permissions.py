"""Who may do what: every permission, for roles allowed and denied."""

import pytest

from welcoming.accounts.models import Role

pytestmark = pytest.mark.django_db
MANAGED = [
    "framework.load_framework",
    "indicators.import_values",
    "indicators.view_importbatch",
    "core.change_community",
    "core.add_organization",
    "core.change_organization",
    "scorecards.change_scoringprofile",
]


@pytest.mark.parametrize("permission", MANAGED)
@pytest.mark.parametrize("role", [Role.DATA_STEWARD, Role.ADMINISTRATOR])
def test_data_managers_are_allowed(person_with_role, permission: str, role: Role) -> None:
    assert person_with_role(role).has_perm(permission)


@pytest.mark.parametrize("permission", MANAGED)
@pytest.mark.parametrize(
    "role",
    [
        Role.ANALYST,
        Role.AGENCY_STAFF,
        Role.LIP_COORDINATOR,
        Role.FUNDER_OFFICER,
        Role.VOLUNTEER,
        Role.NEWCOMER,
    ],
)
def test_other_roles_are_denied(person_with_role, permission: str, role: Role) -> None:
    assert not person_with_role(role).has_perm(permission)


@pytest.mark.parametrize("permission", MANAGED)
def test_anonymous_visitors_are_denied(permission: str) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert not AnonymousUser().has_perm(permission)


def test_only_administrators_manage_memberships(person_with_role) -> None:
    assert person_with_role(Role.ADMINISTRATOR).has_perm("accounts.manage_memberships")
    for role in (Role.DATA_STEWARD, Role.ANALYST, Role.NEWCOMER):
        assert not person_with_role(role).has_perm("accounts.manage_memberships")


def test_a_superuser_without_a_membership_is_an_administrator(django_user_model) -> None:
    root = django_user_model.objects.create_superuser("synthetic-root", "r@example.org", "pw")
    assert root.has_perm("framework.load_framework")
    assert root.has_perm("indicators.view_importbatch")
