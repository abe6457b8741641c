"""A steward keeps their organization's services: edit and verify, in English and French, at
375 px, with no axe-core violation; a steward of another organization cannot edit them."""

import pytest

from tests.browser.actions import follow
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
    follow(page, "main button[type=submit]")


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
    follow(page, page.get_by_role("link", name=MENU[language]))
    assert page.get_by_role("link", name=str(own), exact=True).is_visible()
    assert page.get_by_role("link", name=str(other), exact=True).count() == 0
    assert_accessible(page)
    _fits(page)

    follow(page, page.get_by_role("link", name=str(own), exact=True))
    page.fill("#id_name_fr", "Accueil sans rendez-vous (exemple)")
    page.get_by_role(
        "checkbox", name="Welcome Centres" if language == "en" else "Centres d'accueil"
    ).check()
    page.fill("#id_languages", "eng, fra")
    follow(page, "main form.stacked button[type=submit]")
    assert SAVED[language] in page.get_by_role("status").first.inner_text()
    assert_accessible(page)
    _fits(page)
    own.refresh_from_db()
    assert own.name_fr == "Accueil sans rendez-vous (exemple)" and own.version == 2

    verify_link = "Verify this service" if language == "en" else "Vérifier ce service"
    follow(page, page.get_by_role("link", name=verify_link))
    assert_accessible(page)
    follow(page, page.get_by_role("button", name=VERIFY[language]))
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


IMPORTED = {
    "en": "The feed of source sample-feed was imported.",
    "fr": "Le flux de la source sample-feed a été importé.",
}
IMPORT_LINK = {"en": "Import a feed", "fr": "Importer un flux"}
NOT_DUPLICATE = {"en": "Not a duplicate", "fr": "Pas un doublon"}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_installation_steward_imports_a_feed_and_reads_its_report(
    browser, directory, data_steward, assert_accessible, settings, tmp_path, language: str
) -> None:
    import json

    from tests.directory.test_feeds import _feed, _service

    settings.DATA_DIR = tmp_path
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps(_feed([_service(1), _service(2, minimum_age="twelve")])))
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    _sign_in(page, directory["url"], language, data_steward)
    follow(page, page.get_by_role("link", name=MENU[language]))
    follow(page, page.get_by_role("link", name=IMPORT_LINK[language]))
    assert_accessible(page)
    _fits(page)
    page.set_input_files("#id_file", str(feed))
    follow(page, "main form.stacked button[type=submit]")
    assert IMPORTED[language] in page.get_by_role("status").first.inner_text()
    assert page.get_by_role("cell", name="svc-2", exact=True).is_visible()
    assert page.get_by_role("cell", name="minimum_age", exact=True).is_visible()
    assert_accessible(page)
    context.close()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_pair_dismissed_as_not_a_duplicate_is_gone_from_the_list(
    browser, directory, assert_accessible, language: str
) -> None:
    own = directory["services"][0]
    twin = ServiceFactory(organization=own.organization, name_en=own.name_en.lower(), name_fr="")
    twin.service_at_locations.create(location=own.service_at_locations.get().location)
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    _sign_in(page, directory["url"], language, directory["stewards"][0])
    page.goto(f"{directory['url']}/{language}/directory/stewardship/duplicates/")
    assert_accessible(page)
    _fits(page)
    follow(page, page.get_by_role("button", name=NOT_DUPLICATE[language]))
    assert page.get_by_role("status").first.is_visible()
    assert page.get_by_role("button", name=NOT_DUPLICATE[language]).count() == 0
    assert Service.objects.filter(pk__in=[own.pk, twin.pk]).count() == 2
    context.close()
