"""`/api/v1/accounts/me`: a program finds out whose token it holds and what it may do."""

import pytest

from welcoming.accounts.models import Role

pytestmark = pytest.mark.django_db
ME = "/api/v1/accounts/me"


def test_a_data_steward_sees_their_roles_and_permissions(client, data_steward, bearer) -> None:
    body = client.get(ME, **bearer(data_steward)).json()
    assert body["username"] == data_steward.username
    [membership] = body["memberships"]
    assert membership["role"] == "data_steward"
    assert {"name_en", "name_fr", "sector"} <= set(membership["organization"])
    assert {
        "indicators.import_values",
        "indicators.view_importbatch",
        "framework.load_framework",
        "scorecards.change_scoringprofile",
    } <= set(body["permissions"])
    assert "accounts.manage_memberships" not in body["permissions"]
    assert body["permissions"] == sorted(body["permissions"])


def test_permissions_come_from_the_rules_registry(client, data_steward, bearer) -> None:
    import rules

    rules.add_perm("accounts.try_registry", rules.is_authenticated)
    try:
        body = client.get(ME, **bearer(data_steward)).json()
    finally:
        rules.remove_perm("accounts.try_registry")
    assert "accounts.try_registry" in body["permissions"]


def test_a_data_steward_of_another_organization_holds_no_shared_data_permission(
    client, person_with_role, bearer
) -> None:
    from tests.factories import OrganizationFactory

    steward = person_with_role(Role.DATA_STEWARD, OrganizationFactory())
    permissions = client.get(ME, **bearer(steward)).json()["permissions"]
    assert "core.change_organization" in permissions
    assert "indicators.import_values" not in permissions


@pytest.mark.parametrize(
    ("role", "held"),
    [
        (Role.ANALYST, []),
        (Role.NEWCOMER, ["connections.view_own_matches", "connections.view_own_profile"]),
    ],
)
def test_other_roles_hold_none_of_the_api_permissions(client, person_with_role, bearer, role, held):
    body = client.get(ME, **bearer(person_with_role(role))).json()
    assert body["memberships"][0]["role"] == role.value
    assert body["permissions"] == held


def test_a_signed_in_browser_may_read_it_without_csrf(client, analyst) -> None:
    client.force_login(analyst)
    assert client.get(ME).json()["username"] == analyst.username


def test_without_credentials_it_is_a_401(client) -> None:
    response = client.get(ME)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
