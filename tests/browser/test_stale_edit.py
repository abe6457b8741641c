"""Two tabs open the same scoring profile: the second save is refused, never applied."""

from pathlib import Path

import pytest
from django.conf import settings

from tests.browser.actions import follow
from welcoming.accounts.services import operator_user
from welcoming.core.services import community_import_geography
from welcoming.framework.services import framework_load
from welcoming.indicators.services import indicator_definitions_load, value_import
from welcoming.scorecards.selectors import scoring_profile_current

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DATA = Path(settings.WELCOMING_PACKAGE_DATA)
REFUSED = {
    "en": "changed by someone else since you opened it",
    "fr": "modifiée par quelqu'un d'autre depuis que vous l'avez ouverte",
}


@pytest.fixture
def site(live_server) -> str:
    framework_load(actor=operator_user())
    community_import_geography(actor=operator_user())
    indicator_definitions_load(actor=operator_user())
    relative = "statcan/35-10-0026-01_crime_severity_index.csv"
    value_import(
        actor=operator_user(), source=DATA / relative, file_name=relative, format="statcan"
    )
    return live_server.url


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_stale_edit_is_refused_with_a_clear_message(
    browser, site, data_steward, assert_accessible, language: str
) -> None:
    context = browser.new_context()
    first, second = context.new_page(), context.new_page()
    first.goto(f"{site}/{language}/accounts/login/")
    first.fill("#id_username", data_steward.username)
    first.fill("#id_password", "correct horse battery staple")
    follow(first, "main button[type=submit]")
    edit = f"{site}/{language}/scoring-profiles/default/?level=cma"
    first.goto(edit)
    second.goto(edit)  # both opened on version 1

    first.fill("#id_weight_safety", "10")
    follow(first, "main button[type=submit]")
    assert first.get_by_role("status").first.is_visible()

    second.fill("#id_weight_safety", "2")
    follow(second, "main button[type=submit]")
    alert = second.get_by_role("alert")
    assert REFUSED[language] in alert.inner_text()
    assert_accessible(second)
    latest = scoring_profile_current(name="default")
    assert (latest.version, latest.weights["safety"]) == (2, 10.0)

    follow(second, alert.get_by_role("link"))  # open the current version, with the first save in it
    assert second.locator("#id_weight_safety").input_value() == "10.0"
    assert_accessible(second)
    context.close()
