"""An administrator adds a member from the web, in Chromium, in both languages."""

import pytest

from tests.browser.actions import follow
from tests.factories import OrganizationFactory, UserFactory
from welcoming.accounts.models import Membership, Role
from welcoming.accounts.services import membership_grant, operator_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery staple"


@pytest.mark.parametrize(
    ("language", "members", "added"),
    [
        ("en", "Members", "is now"),
        ("fr", "Membres", "a maintenant le rôle"),
    ],
)
def test_an_administrator_adds_a_member(
    page, live_server, assert_accessible, language: str, members: str, added: str
) -> None:
    organization = OrganizationFactory(
        name_en="Browser agency (synthetic)", name_fr="Organisme du navigateur (fictif)"
    )
    administrator = UserFactory(username="synthetic-browser-admin", password=PASSWORD)
    membership_grant(
        actor=operator_user(),
        user=administrator,
        organization=organization,
        role=Role.ADMINISTRATOR,
    )
    newcomer_worker = UserFactory(username="synthetic-browser-worker")

    page.goto(f"{live_server.url}/{language}/accounts/login/")
    page.fill("#id_username", administrator.username)
    page.fill("#id_password", PASSWORD)
    follow(page, "form.stacked button[type=submit]")
    follow(page, page.get_by_role("link", name=members, exact=True))
    name = organization.name_en if language == "en" else organization.name_fr
    follow(page, page.get_by_role("link", name=name))
    assert_accessible(page)

    page.fill("#id_person", newcomer_worker.username)
    page.select_option("#id_role", Role.AGENCY_STAFF.value)
    follow(page, page.locator("form.stacked button[type=submit]"))
    status = page.get_by_role("status")
    assert added in status.inner_text()
    assert page.locator("tr", has_text=newcomer_worker.username).is_visible()
    assert Membership.objects.filter(
        user=newcomer_worker, organization=organization, role=Role.AGENCY_STAFF
    ).exists()
    assert_accessible(page)
