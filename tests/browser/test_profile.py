"""The community profile in Chromium: a server-drawn chart beside its table, in both languages."""

import pytest

from tests.browser.actions import follow
from tests.slices import load_real_slice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server) -> str:
    load_real_slice()
    return live_server.url


@pytest.mark.parametrize(
    ("language", "name", "latest"),
    [
        ("en", "Crime severity index", "59.02"),
        ("fr", "Indice de gravité de la criminalité", "59,02"),
    ],
)
def test_series_chart_is_an_image_with_a_name_and_a_table(
    page, site, assert_accessible, language: str, name: str, latest: str
) -> None:
    page.goto(f"{site}/{language}/communities/535/")
    chart = page.locator('svg[role="img"]').first
    assert chart.is_visible()
    assert chart.get_attribute("aria-label")
    # The chart draws the five real years; its table gives the latest value, localised.
    assert chart.locator("text", has_text="2019").count() >= 1
    row = page.locator("tr", has_text=name).first
    assert latest in row.inner_text()
    assert_accessible(page)


def test_language_switch_keeps_the_search(page, site) -> None:
    page.goto(f"{site}/en/communities/?q=Montreal")
    follow(page, "a[hreflang=fr]")
    assert "/fr/communities/" in page.url and "q=Montreal" in page.url
    assert page.locator("#results a", has_text="Montréal").count() == 1


def test_profile_links_up_to_the_province_in_french(page, site) -> None:
    page.goto(f"{site}/fr/communities/2466023/")
    follow(page, page.get_by_role("link", name="Québec").first)
    assert page.url.endswith("/fr/communities/24/")
    assert page.locator("h1").inner_text().strip() == "Québec"
