"""Keyboard, language and offline behaviour of the pages, in Chromium."""

import pytest

from tests.browser.actions import follow
from tests.slices import load_real_slice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PATHS = ["", "communities/", "communities/3520005/", "framework/", "accounts/login/"]


@pytest.fixture
def site(live_server) -> str:
    load_real_slice()
    return live_server.url


@pytest.mark.parametrize("path", PATHS)
def test_pages_load_nothing_from_outside_the_site(page, site, path: str) -> None:
    """There is no internet where Welcoming may run: no CDN, no web font, no tracker."""
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{site}/fr/{path}", wait_until="networkidle")
    assert requested and all(url.startswith(site) for url in requested), requested


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(page, site) -> None:
    page.goto(f"{site}/en/communities/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_focus_is_visible_on_links_and_buttons(page, site) -> None:
    page.goto(f"{site}/en/communities/")
    for _stop in range(4):
        page.keyboard.press("Tab")
        outline = page.evaluate(
            "(() => { const s = getComputedStyle(document.activeElement);"
            " return [s.outlineStyle, parseFloat(s.outlineWidth)]; })()"
        )
        assert outline[0] != "none" and outline[1] >= 2, outline


@pytest.mark.parametrize(
    ("start", "other", "expected"),
    [
        ("/en/framework/", "fr", "/fr/framework/"),
        ("/fr/communities/2466023/", "en", "/en/communities/2466023/"),
        ("/fr/accounts/login/", "en", "/en/accounts/login/"),
    ],
)
def test_language_toggle_keeps_the_page(page, site, start: str, other: str, expected: str) -> None:
    page.goto(f"{site}{start}")
    follow(page, f"a[hreflang={other}]")
    assert page.url == f"{site}{expected}"
    assert page.locator("html").get_attribute("lang") == other


def test_language_toggle_follows_a_search_typed_with_htmx(page, site) -> None:
    page.goto(f"{site}/en/communities/")
    page.fill("#q", "montreal")
    page.wait_for_function("() => document.querySelector('#result-count').innerText.includes('1 ')")
    follow(page, "a[hreflang=fr]")
    assert page.url == f"{site}/fr/communities/?q=montreal"
    assert page.input_value("#q") == "montreal"
    assert page.locator("#results a", has_text="Montréal").count() == 1


def test_choosing_a_filter_updates_the_results_and_stays_accessible(
    page, site, assert_accessible
) -> None:
    page.goto(f"{site}/fr/communities/")
    page.select_option("#level", "cma")
    page.wait_for_function("() => location.search.includes('level=cma')")
    page.wait_for_function(
        "() => document.querySelector('#result-count').innerText.startsWith('1 ')"
    )
    assert page.locator("#results tbody tr").count() == 1
    assert page.locator("#results a", has_text="Toronto").count() == 1
    assert_accessible(page)


def test_signed_in_page_is_accessible(page, site, assert_accessible, data_steward) -> None:
    page.goto(f"{site}/fr/accounts/login/")
    page.fill("#id_username", data_steward.username)
    page.fill("#id_password", "correct horse battery staple")
    follow(page, "main button[type=submit]")
    page.wait_for_url(f"{site}/fr/")
    assert page.get_by_role("button", name="Fermer la session").is_visible()
    assert_accessible(page)


def test_wrong_password_is_announced_and_accessible(page, site, assert_accessible) -> None:
    page.goto(f"{site}/en/accounts/login/")
    page.fill("#id_username", "nobody")
    page.fill("#id_password", "wrong")
    follow(page, "main button[type=submit]")
    assert page.get_by_role("alert").is_visible()
    assert_accessible(page)
