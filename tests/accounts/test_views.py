"""An organization's administrator manages its members from the web, in both languages."""

import pytest

from tests.factories import OrganizationFactory, UserFactory
from welcoming.accounts.models import Membership, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def organization():
    return OrganizationFactory(name_en="Member test (synthetic)")


@pytest.fixture
def administrator(person_with_role, organization):
    return person_with_role(Role.ADMINISTRATOR, organization)


def _members(organization) -> str:
    return f"/en/accounts/organizations/{organization.pk}/members/"


@pytest.mark.parametrize(("language", "label"), [("en", "Members"), ("fr", "Membres")])
def test_the_navigation_leads_an_administrator_to_the_members(
    client, administrator, organization, language: str, label: str
) -> None:
    client.force_login(administrator)
    home = client.get(f"/{language}/").content.decode()
    assert f'href="/{language}/accounts/organizations/"' in home and label in home
    listing = client.get(f"/{language}/accounts/organizations/").content.decode()
    assert f"/{language}/accounts/organizations/{organization.pk}/members/" in listing


def test_the_navigation_shows_no_members_link_to_other_roles(client, person_with_role) -> None:
    client.force_login(person_with_role(Role.DATA_STEWARD, OrganizationFactory()))
    assert "/accounts/organizations/" not in client.get("/en/").content.decode()
    assert client.get("/en/accounts/organizations/").status_code == 403


def test_an_administrator_adds_a_person_by_e_mail_with_a_role(
    client, administrator, organization
) -> None:
    person = UserFactory(email="synthetic.newcomer.worker@example.org")
    client.force_login(administrator)
    response = client.post(
        _members(organization),
        {"person": "Synthetic.Newcomer.Worker@example.org", "role": Role.AGENCY_STAFF},
        follow=True,
    )
    assert Membership.objects.filter(
        user=person, organization=organization, role=Role.AGENCY_STAFF
    ).exists()
    assert f"{person.username} is now Agency staff" in response.content.decode()
    # The change is recorded against the administrator who made it.
    assert Membership.history.filter(user=person).get().history_user == administrator


def test_an_unknown_person_is_named_in_the_form_and_nothing_changes(
    client, administrator, organization
) -> None:
    client.force_login(administrator)
    before = Membership.objects.count()
    response = client.post(_members(organization), {"person": "nobody-here", "role": "analyst"})
    assert response.status_code == 200
    assert "No single active account" in response.context["form"].errors["person"][0]
    assert Membership.objects.count() == before


def test_an_administrator_removes_a_member(client, administrator, organization) -> None:
    membership = Membership.objects.create(
        user=UserFactory(), organization=organization, role=Role.VOLUNTEER
    )
    client.force_login(administrator)
    response = client.post(f"{_members(organization)}{membership.pk}/remove/")
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_the_last_administrator_cannot_be_removed(client, administrator, organization) -> None:
    client.force_login(administrator)
    own = administrator.memberships.get()
    response = client.post(f"{_members(organization)}{own.pk}/remove/", follow=True)
    assert "would have no administrator left" in response.content.decode()
    assert Membership.objects.filter(pk=own.pk).exists()


def test_an_administrator_of_another_organization_is_refused(
    client, person_with_role, organization
) -> None:
    outsider = person_with_role(Role.ADMINISTRATOR, OrganizationFactory())
    membership = Membership.objects.create(
        user=UserFactory(), organization=organization, role=Role.VOLUNTEER
    )
    client.force_login(outsider)
    assert client.get(_members(organization)).status_code == 403
    response = client.post(
        _members(organization), {"person": outsider.username, "role": "administrator"}
    )
    assert response.status_code == 403
    assert client.post(f"{_members(organization)}{membership.pk}/remove/").status_code == 403
    assert not Membership.objects.filter(user=outsider, organization=organization).exists()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_membership_of_another_organization_is_not_found_through_this_one(
    client, administrator, organization
) -> None:
    elsewhere = Membership.objects.create(
        user=UserFactory(), organization=OrganizationFactory(), role=Role.VOLUNTEER
    )
    client.force_login(administrator)
    assert client.post(f"{_members(organization)}{elsewhere.pk}/remove/").status_code == 404
    assert Membership.objects.filter(pk=elsewhere.pk).exists()
