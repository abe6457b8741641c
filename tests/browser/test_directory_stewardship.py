"""A steward keeps their organization's services: edit and verify, in English and French, at
375 px, with no axe-core violation; a steward of another organization cannot edit them."""

import pytest

from tests.factories import LocationFactory, OrganizationFactory, ServiceFactory
from welcoming.accounts.models import Role
from welcoming.accounts.services import operator_user
from welcoming.directory.models import Service
from welcoming.directory.taxonomy import taxonomy_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 812}
PASSWORD = "correct horse battery staple"
MENU = {"en": "Directory records", "fr": "Fiches du répertoire"}
SAVED = {"en": "Your changes were saved.", "fr": "Vos modifications ont été enregistrées."}
VERIFY = {"en": "Mark as verified today", "fr": "Marquer comme vérifié aujourd'hui"}


@pytest.fixture
def directory(live_server, person_with_role) -> dict:
    taxonomy_load(actor=operator_user())
    agencies = [OrganizationFactory(name_en=f"Sample agency {n} (synthetic)") for n in (1, 2)]
    services = []
    for agency in agencies:
        service = ServiceFactory(
            organization=agency, name_en=f"Drop-in of {agency.name_en}", name_fr=""
        )
        service.service_at_locations.create(location=LocationFactory(organization=agency))
        services.append(service)
    stewards = [person_with_role(Role.DATA_STEWARD, agency) for agency in agencies]
    return {"url": live_server.url, "services": services, "stewards": stewards}


def _sign_in(page, url: str, language: str, user) -> None:
    page.goto(f"{url}/{language}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_steward_edits_and_verifies_a_record(
    browser, directory, assert_accessible, language: str
) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    own, other = directory["services"]
    _sign_in(page, directory["url"], language, directory["stewards"][0])
    page.get_by_role("link", name=MENU[language]).click()
    assert page.get_by_role("link", name=str(own), exact=True).is_visible()
    assert page.get_by_role("link", name=str(other), exact=True).count() == 0
    assert_accessible(page)
    _fits(page)

    page.get_by_role("link", name=str(own), exact=True).click()
    page.fill("#id_name_fr", "Accueil sans rendez-vous (exemple)")
    page.get_by_role(
        "checkbox", name="Welcome Centres" if language == "en" else "Centres d'accueil"
    ).check()
    page.fill("#id_languages", "eng, fra")
    page.click("main form.stacked button[type=submit]")
    assert SAVED[language] in page.get_by_role("status").first.inner_text()
    assert_accessible(page)
    _fits(page)
    own.refresh_from_db()
    assert own.name_fr == "Accueil sans rendez-vous (exemple)" and own.version == 2

    page.get_by_role(
        "link", name="Verify this service" if language == "en" else "Vérifier ce service"
    ).click()
    assert_accessible(page)
    page.get_by_role("button", name=VERIFY[language]).click()
    assert page.get_by_role("status").first.is_visible()
    own.refresh_from_db()
    assert own.last_verified is not None
    assert_accessible(page)
    context.close()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_another_organizations_steward_cannot_edit_it(browser, directory, language: str) -> None:
    page = browser.new_page()
    own, _other = directory["services"]
    _sign_in(page, directory["url"], language, directory["stewards"][1])
    response = page.goto(f"{directory['url']}/{language}/directory/stewardship/services/{own.pk}/")
    assert response.status == 403
    page.request.post(
        f"{directory['url']}/{language}/directory/stewardship/services/{own.pk}/",
        form={"name_en": "Taken over", "version": "1"},
    )
    assert Service.objects.get(pk=own.pk).name_en != "Taken over"
    page.close()
