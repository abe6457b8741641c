"""The public directory in Chromium, both languages, with axe-core: search in French with and
without accents, filter by language, open a service, print a Welcome Centre sheet, and a phone's
width without sideways scrolling."""

import pytest

from tests.browser.actions import follow
from tests.directory.samples import sample_needs, sample_ottawa, sample_service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 812}


@pytest.fixture
def site(live_server) -> str:
    sample_ottawa()
    centre, housing = sample_needs()
    sample_service(
        name_en="Ottawa Welcome Centre (sample)",
        name_fr="Centre d'accueil d'Ottawa (échantillon)",
        terms=(centre,),
        languages=("eng", "fra"),
    )
    sample_service(
        name_en="Newcomer housing help (sample)",
        name_fr="Aide au logement des réfugiés (échantillon)",
        terms=(housing,),
        languages=("eng", "fra", "ara"),
    )
    sample_service(
        name_en="Refugee housing clinic (sample)", terms=(housing,), languages=("eng", "spa")
    )
    return live_server.url


def _results(page) -> list[str]:
    return page.locator("main ol.results h3").all_inner_texts()


@pytest.mark.parametrize("words", ["réfugiés", "refugies"])
def test_search_in_french_with_and_without_accents(page, site, assert_accessible, words) -> None:
    page.goto(f"{site}/fr/")
    follow(page, page.locator("nav a[href='/fr/directory/']"))
    page.fill("#id_q", words)
    follow(page, "main form.directory-search button[type=submit]")
    assert _results(page) == ["Aide au logement des réfugiés (échantillon)"]
    assert_accessible(page)
    page.fill("#id_q", "clinic")
    follow(page, "main form.directory-search button[type=submit]")
    assert _results(page) == ["Refugee housing clinic (sample)"]  # English only, marked so
    assert page.locator("main ol.results h3 span[lang='en']").count() == 1


@pytest.mark.parametrize("language", ["en", "fr"])
def test_filter_by_language_then_open_a_service(page, site, assert_accessible, language) -> None:
    page.goto(f"{site}/{language}/directory/")
    page.fill("#id_q", "housing" if language == "en" else "logement")
    page.select_option("#id_language", "ara")
    follow(page, "main form.directory-search button[type=submit]")
    assert _results(page) == [
        "Newcomer housing help (sample)"
        if language == "en"
        else "Aide au logement des réfugiés (échantillon)"
    ]
    assert_accessible(page)
    follow(page, page.locator("main ol.results h3 a").first)
    assert "/directory/services/" in page.url
    assert page.locator("main dl.facts").count() == 1
    assert_accessible(page)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_print_a_welcome_centre_sheet(page, site, assert_accessible, language) -> None:
    page.goto(f"{site}/{language}/directory/welcome-centres/")
    page.fill("#community", "Ottawa")
    follow(page, "main button[type=submit]")
    assert page.url.endswith("/directory/welcome-centres/3506008/")
    assert "Ottawa Welcome Centre (sample)" in page.locator("main").inner_text()
    assert_accessible(page)
    pdf = page.locator("main a[href$='sheet.pdf']").get_attribute("href")
    response = page.request.get(f"{site}{pdf}")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_search_fits_a_phone(browser, site, assert_accessible, language) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(f"{site}/{language}/directory/?q=housing&near=K1P")
        assert page.locator("main ol.results li").count() >= 1
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert_accessible(page)
    finally:
        context.close()
