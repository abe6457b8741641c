"""The scorecard page in Chromium, both languages, with axe-core."""

from pathlib import Path

import pytest
from django.conf import settings

from welcoming.accounts.services import operator_user
from welcoming.core.services import community_import_geography
from welcoming.framework.services import framework_load
from welcoming.indicators.services import indicator_definitions_load, value_import

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DATA = Path(settings.WELCOMING_PACKAGE_DATA)


@pytest.fixture
def site(live_server) -> str:
    framework_load(actor=operator_user())
    community_import_geography(actor=operator_user())
    indicator_definitions_load(actor=operator_user())
    for relative in (
        "statcan/census_2021_income_labour_housing_cma.csv",
        "statcan/35-10-0026-01_crime_severity_index.csv",
    ):
        value_import(
            actor=operator_user(), source=DATA / relative, file_name=relative, format="statcan"
        )
    return live_server.url


@pytest.mark.parametrize("language", ["en", "fr"])
def test_scorecard_is_accessible_and_changes_with_the_period(
    page, site, assert_accessible, language: str
) -> None:
    page.goto(f"{site}/{language}/communities/535/scorecard/")
    assert page.locator("h1").inner_text().endswith("Toronto")
    assert_accessible(page)
    page.select_option("#period", "2019")
    page.click("main button[type=submit]")
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
    page.click("main button[type=submit]")
    assert page.locator("main table tbody tr").count() >= 10
    assert_accessible(page)


def test_data_steward_changes_a_weight_and_sees_the_score_change(page, site, data_steward) -> None:
    page.goto(f"{site}/en/accounts/login/?next=/en/communities/535/scorecard/%3Fperiod%3D2023")
    page.fill("#id_username", data_steward.username)
    page.fill("#id_password", "correct horse battery staple")
    page.click("main button[type=submit]")
    overall = page.locator("dl.facts dd").first.inner_text()
    page.click("text=Change the weights and methods")
    page.fill("#id_weight_safety", "10")
    page.click("main button[type=submit]")
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
