"""Every page in both languages, in Chromium, with axe-core finding no accessibility violation."""

import pytest

from tests.browser.actions import follow
from tests.slices import load_real_slice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server) -> str:
    load_real_slice()
    return live_server.url


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(
    "path",
    [
        "",
        "communities/",
        "communities/3520005/",
        "communities/535/",
        "framework/",
        "accounts/login/",
    ],
)
def test_page_is_accessible(page, site, assert_accessible, language: str, path: str) -> None:
    response = page.goto(f"{site}/{language}/{path}")
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == language
    assert_accessible(page)


def test_searching_as_one_types_updates_the_results(page, site) -> None:
    page.goto(f"{site}/en/communities/")
    page.fill("#q", "Montreal")
    page.wait_for_function(
        "() => document.querySelector('#result-count').innerText.includes('1 community')"
    )
    assert page.locator("#results a", has_text="Montréal").count() == 1
    assert "q=Montreal" in page.url


def test_filtering_by_province_without_javascript(browser, site) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/fr/communities/")
    page.select_option("#province", "24")
    follow(page, "button[type=submit]")
    assert page.locator("#results a", has_text="Montréal").count() == 1
    assert page.locator("#results a", has_text="Toronto").count() == 0
    context.close()


def test_language_switch_keeps_the_page(page, site) -> None:
    page.goto(f"{site}/en/communities/3520005/")
    follow(page, "a[hreflang=fr]")
    assert page.url.endswith("/fr/communities/3520005/")
    assert page.locator("html").get_attribute("lang") == "fr"


def test_profile_shows_a_chart_and_its_table(page, site) -> None:
    page.goto(f"{site}/en/communities/535/")
    assert page.locator("figure.chart svg").count() >= 1
    assert page.locator("table", has_text="Crime severity index").count() >= 1


def test_signing_in_and_out(page, site, data_steward) -> None:
    page.goto(f"{site}/en/accounts/login/")
    page.fill("#id_username", data_steward.username)
    page.fill("#id_password", "correct horse battery staple")
    follow(page, "main button[type=submit]")
    assert page.get_by_text(f"Signed in as {data_steward.username}").is_visible()
    follow(page, "text=Sign out")
    assert page.get_by_role("link", name="Sign in").is_visible()
