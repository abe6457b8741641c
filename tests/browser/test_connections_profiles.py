"""Agency staff add a newcomer's profile in Chromium, in English and in French, consent first;
the pages pass axe-core and fit a 375 px screen."""

import pytest

from tests.browser.actions import follow
from tests.connections.factories import ProgramFactory, real_community
from tests.factories import OrganizationFactory, UserFactory
from welcoming.accounts.models import Role
from welcoming.accounts.services import membership_grant, operator_user
from welcoming.connections.models import NewcomerProfile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery staple"


@pytest.mark.parametrize(
    ("language", "menu", "add", "saved", "level"),
    [
        ("en", "Connections", "Add a newcomer", "Saved.", "Native or first language"),
        (
            "fr",
            "Connexions",
            "Ajouter une personne nouvellement arrivée",
            "Enregistré.",
            "Langue maternelle ou première langue",
        ),
    ],
)
def test_staff_add_a_newcomer_profile(
    page, live_server, assert_accessible, language, menu, add, saved, level
) -> None:
    organization = OrganizationFactory(
        name_en="Browser agency (synthetic)", name_fr="Organisme du navigateur (fictif)"
    )
    program = ProgramFactory(
        organization=organization,
        name_en="Browser mentoring (synthetic)",
        name_fr="Mentorat du navigateur (fictif)",
        communities=[real_community("1307022"), real_community("1307045")],
    )
    staff = UserFactory(username="synthetic-browser-staff", password=PASSWORD)
    membership_grant(
        actor=operator_user(), user=staff, organization=organization, role=Role.AGENCY_STAFF
    )
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/{language}/accounts/login/")
    page.fill("#id_username", staff.username)
    page.fill("#id_password", PASSWORD)
    follow(page, "form.stacked button[type=submit]")
    follow(page, page.get_by_role("link", name=menu, exact=True))
    assert_accessible(page)
    newcomers = "Newcomers" if language == "en" else "Personnes nouvellement arrivées"
    follow(page, page.get_by_role("navigation", name=menu).get_by_role("link", name=newcomers))
    follow(page, page.get_by_role("link", name=add))
    assert_accessible(page)

    # Consent comes first: without it, nothing is saved and the field says why.
    page.fill("#id_name", "Synthetic browser newcomer")
    page.select_option("#id_community", label="Dieppe (1307045)")
    page.fill("#id_postal_code", "E1A 1A1")
    page.fill("#id_arrival_date", "2025-11-03")
    page.select_option("#id_age_group", "adult")
    page.fill("#id_language_1", "tigrinya" if language == "fr" else "Tigrinya")
    page.select_option("#id_level_1", label=level)
    page.check("#id_availability_0")
    page.check("#id_availability_20")
    page.get_by_label(str(program.name_en if language == "en" else program.name_fr)).check()
    follow(page, page.locator("form.stacked button[type=submit]"))
    assert page.locator("#id_consent_error").is_visible()
    assert not NewcomerProfile.objects.exists()
    assert_accessible(page)

    page.check("#id_consent")
    follow(page, page.locator("form.stacked button[type=submit]"))
    assert saved in page.get_by_role("status").inner_text()
    profile = NewcomerProfile.objects.get()
    assert profile.postal_code == "E1A" and profile.availability == 1 | 1 << 20
    assert profile.consent is not None and list(profile.programs.all()) == [program]
    assert page.locator("h1").inner_text() == "Synthetic browser newcomer"
    # Nothing wider than the screen.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    assert_accessible(page)
