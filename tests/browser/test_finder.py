"""The community finder in Chromium, both languages, with axe-core: reached from the home page,
a choice of safety honoured, results focused, and no sideways scrolling on a phone."""

import pytest

from tests.browser.actions import follow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 812}


@pytest.fixture
def site(site_with_cma_data: str) -> str:
    return site_with_cma_data


def _ranked(page) -> list[str]:
    return page.locator("main table tbody th a").all_inner_texts()


def _choose_only_safety(page, importance: int) -> None:
    for radio in page.locator("fieldset.importance input[value='0']").all():
        radio.check()
    page.check(f"#safety-{importance}")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_finder_reached_from_the_home_page_honours_safety(
    page, site, assert_accessible, language: str
) -> None:
    page.goto(f"{site}/{language}/")
    follow(page, page.locator(f"main a[href='/{language}/find-a-community/']"))
    assert page.url.endswith(f"/{language}/find-a-community/")
    assert_accessible(page)
    _choose_only_safety(page, 3)
    follow(page, "main button[type=submit]")
    page.wait_for_function("() => document.activeElement?.id === 'results'", timeout=5000)
    safest = _ranked(page)
    column = (
        page.locator("main table thead th")
        .all_inner_texts()
        .index("Safety" if language == "en" else "Sécurité")
    )
    scores = [
        float(row.locator("td, th").nth(column).inner_text().replace(",", "."))
        for row in page.locator("main table tbody tr").all()
    ]
    assert scores == sorted(scores, reverse=True) and len(scores) == 10
    assert_accessible(page)
    page.goto(f"{site}/{language}/find-a-community/")
    page.check("#safety-0")
    follow(page, "main button[type=submit]")
    assert _ranked(page) != safest  # safety 0 and safety 3 give different places


@pytest.mark.parametrize("language", ["en", "fr"])
def test_finder_fits_a_phone_without_sideways_scrolling(
    browser, site, assert_accessible, language: str
) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(f"{site}/{language}/find-a-community/")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.check("#safety-3")
        follow(page, "main button[type=submit]")
        assert page.locator("main table tbody tr").count() == 10
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert_accessible(page)
    finally:
        context.close()
