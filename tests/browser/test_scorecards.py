"""The scorecard page in Chromium, both languages, with axe-core."""

import pytest

from tests.browser.actions import follow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(site_with_cma_data: str) -> str:
    return site_with_cma_data


@pytest.mark.parametrize("language", ["en", "fr"])
def test_scorecard_is_accessible_and_changes_with_the_period(
    page, site, assert_accessible, language: str
) -> None:
    page.goto(f"{site}/{language}/communities/535/scorecard/")
    assert page.locator("h1").inner_text().endswith("Toronto")
    coverage = page.locator("#coverage").inner_text()
    assert ("Scored on 3 of 17" if language == "en" else "Évaluée sur 3 des 17") in coverage
    assert_accessible(page)
    page.select_option("#period", "2019")
    follow(page, "main button[type=submit]")
    assert "period=2019" in page.url
    assert page.locator("table", has_text="2019").count() >= 1


@pytest.mark.parametrize("language", ["en", "fr"])
def test_finder_is_accessible_and_ranks_by_priorities(
    page, site, assert_accessible, language: str
) -> None:
    page.goto(f"{site}/{language}/find-a-community/")
    assert_accessible(page)
    page.check("#safety-3")
    page.check("#employment-opportunities-0")
    follow(page, "main button[type=submit]")
    page.locator("main table tbody tr").first.wait_for()  # the results page has loaded
    assert page.locator("main table tbody tr").count() >= 10
    assert_accessible(page)


def test_data_steward_changes_a_weight_and_sees_the_score_change(page, site, data_steward) -> None:
    page.goto(f"{site}/en/accounts/login/?next=/en/communities/535/scorecard/%3Fperiod%3D2023")
    page.fill("#id_username", data_steward.username)
    page.fill("#id_password", "correct horse battery staple")
    follow(page, "main button[type=submit]")
    overall = page.locator("dl.facts dd").first.inner_text()
    follow(page, "text=Change the weights and methods")
    page.fill("#id_weight_safety", "10")
    page.fill("#id_min_framework_coverage", "0")  # 3 of 17 characteristics: show the overall
    follow(page, "main button[type=submit]")
    assert "period=2023" in page.url
    assert page.locator("dl.facts dd").first.inner_text() != overall
    with page.expect_download() as download:
        page.click("text=Download this scorecard as PDF")
    assert download.value.suggested_filename == "scorecard-535-2023.pdf"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_comparison_is_accessible(page, site, assert_accessible, language: str) -> None:
    page.goto(f"{site}/{language}/compare/?level=cma&province=35")
    assert page.locator("main table tbody tr").count() >= 10
    assert_accessible(page)
