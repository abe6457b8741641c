"""Real Chromium (Debian's package) driven by Playwright against the live test server."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from welcoming.accounts.services import operator_user

# Playwright's sync API runs an event loop in this thread; Django's async guard would refuse the
# live server's database access from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser) -> Iterator[object]:
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def assert_accessible():
    """Run axe-core in the page; fail with axe's own report when it finds any violation."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page) -> None:
        results = axe.run(page)
        assert results.violations_count == 0, results.generate_report()

    return check


@pytest.fixture
def site_with_cma_data(live_server) -> str:
    """The live server with every CMA's census 2021 figures and crime severity index."""
    from django.conf import settings

    from welcoming.core.services import community_import_geography
    from welcoming.framework.services import framework_load
    from welcoming.indicators.services import indicator_definitions_load, value_import

    data = Path(settings.WELCOMING_PACKAGE_DATA)
    framework_load(actor=operator_user())
    community_import_geography(actor=operator_user())
    indicator_definitions_load(actor=operator_user())
    for relative in (
        "statcan/census_2021_income_labour_housing_cma.csv",
        "statcan/35-10-0026-01_crime_severity_index.csv",
    ):
        value_import(
            actor=operator_user(), source=data / relative, file_name=relative, format="statcan"
        )
    return live_server.url
