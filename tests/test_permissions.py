"""Who may do what: every permission answered by its app's rules, a role counting in its own
organization, shared data only for the installation's administrators and data stewards."""

import pytest
from django.contrib.auth.models import AnonymousUser
from rules.permissions import permissions as registry

from tests.factories import OrganizationFactory
from welcoming.accounts.models import Role

pytestmark = pytest.mark.django_db
SHARED_DATA = [
    "framework.load_framework",
    "framework.change_characteristic",
    "indicators.import_values",
    "indicators.view_importbatch",
    "indicators.change_indicator",
    "indicators.change_indicatorvalue",
    "core.change_community",
    "core.add_organization",
    "scorecards.change_scoringprofile",
]
OTHER_ROLES = [
    Role.ANALYST,
    Role.AGENCY_STAFF,
    Role.LIP_COORDINATOR,
    Role.FUNDER_OFFICER,
    Role.VOLUNTEER,
    Role.NEWCOMER,
]


@pytest.mark.parametrize("permission", SHARED_DATA)
@pytest.mark.parametrize("role", [Role.DATA_STEWARD, Role.ADMINISTRATOR])
def test_installation_data_managers_manage_shared_data(
    person_with_role, permission: str, role: Role
) -> None:
    assert person_with_role(role).has_perm(permission)


@pytest.mark.parametrize("permission", SHARED_DATA)
@pytest.mark.parametrize("role", [Role.DATA_STEWARD, Role.ADMINISTRATOR])
def test_data_managers_of_another_organization_do_not_manage_shared_data(
    person_with_role, permission: str, role: Role
) -> None:
    assert not person_with_role(role, OrganizationFactory()).has_perm(permission)


@pytest.mark.parametrize("permission", SHARED_DATA)
@pytest.mark.parametrize("role", OTHER_ROLES)
def test_other_roles_are_denied_even_in_the_installation(
    person_with_role, permission: str, role: Role
) -> None:
    assert not person_with_role(role).has_perm(permission)


@pytest.mark.parametrize("permission", sorted(p for p in registry if "." in p))
def test_anonymous_visitors_hold_no_permission(permission: str) -> None:
    assert not AnonymousUser().has_perm(permission)
    assert not AnonymousUser().has_perm(permission, OrganizationFactory())


@pytest.mark.parametrize("role", [Role.DATA_STEWARD, Role.ADMINISTRATOR])
def test_an_organization_is_changed_by_its_own_data_managers_only(
    person_with_role, role: Role
) -> None:
    own, other = OrganizationFactory(), OrganizationFactory()
    person = person_with_role(role, own)
    assert person.has_perm("core.change_organization", own)
    assert not person.has_perm("core.change_organization", other)
    assert not person.has_perm("core.delete_organization", own)


def test_the_installation_data_managers_change_every_organization(person_with_role) -> None:
    steward = person_with_role(Role.DATA_STEWARD)
    assert steward.has_perm("core.change_organization", OrganizationFactory())
    assert not steward.has_perm("core.designate_installation")


def test_an_administrator_manages_the_members_of_their_organization_only(
    person_with_role,
) -> None:
    own, other = OrganizationFactory(), OrganizationFactory()
    administrator = person_with_role(Role.ADMINISTRATOR, own)
    assert administrator.has_perm("accounts.manage_memberships", own)
    assert not administrator.has_perm("accounts.manage_memberships", other)
    assert not administrator.has_perm("accounts.change_user")
    steward = person_with_role(Role.DATA_STEWARD, own)
    assert not steward.has_perm("accounts.manage_memberships", own)


def test_the_installation_administrator_manages_every_organization_and_account(
    person_with_role,
) -> None:
    administrator = person_with_role(Role.ADMINISTRATOR)
    assert administrator.has_perm("accounts.manage_memberships", OrganizationFactory())
    assert administrator.has_perm("accounts.change_user")
    assert administrator.has_perm("core.designate_installation")


def test_a_role_counts_only_while_the_membership_lasts(person_with_role) -> None:
    from welcoming.accounts.services import membership_revoke, operator_user

    steward = person_with_role(Role.DATA_STEWARD)
    assert steward.has_perm("indicators.import_values") and steward.is_staff
    membership_revoke(actor=operator_user(), membership=steward.memberships.get())
    assert not steward.has_perm("indicators.import_values")
    assert not steward.is_staff


def test_an_inactive_person_holds_no_role(person_with_role) -> None:
    steward = person_with_role(Role.DATA_STEWARD)
    steward.is_active = False
    assert not steward.has_perm("indicators.import_values")


def test_a_superuser_without_a_membership_may_do_everything(django_user_model) -> None:
    root = django_user_model.objects.create_superuser("synthetic-root", "r@example.org", "pw")
    assert root.has_perm("framework.load_framework")
    assert root.has_perm("core.change_organization", OrganizationFactory())
