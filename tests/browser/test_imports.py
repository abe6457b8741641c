"""Importing from the web in Chromium: the form, the job page, a rejected file; axe-core clean."""

import pytest

from tests.browser.actions import follow
from tests.slices import load_real_slice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
HEADER = "community_code,indicator_code,period,value,status\n"


@pytest.fixture
def site(live_server, settings, tmp_path, monkeypatch) -> str:
    load_real_slice()
    settings.DATA_DIR = tmp_path
    monkeypatch.setattr("welcoming.scorecards.tasks.scorecards_warm", lambda *, profile: [])
    return live_server.url


@pytest.mark.parametrize(
    ("language", "done", "rejected"),
    [
        ("en", "1 values created", "the file has 1 bad row"),
        ("fr", "1 valeurs créées", "le fichier a 1 ligne erronée"),
    ],
)
def test_a_steward_imports_a_file_and_follows_it(
    page, site, data_steward, assert_accessible, tmp_path, language: str, done: str, rejected: str
) -> None:
    page.goto(f"{site}/{language}/accounts/login/?next=/{language}/imports/")
    page.fill("#id_username", data_steward.username)
    page.fill("#id_password", "correct horse battery staple")
    follow(page, "main button[type=submit]")
    assert page.url.endswith(f"/{language}/imports/")
    assert_accessible(page)

    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(HEADER + "3520005,unemployment-rate,2021,12.1,\n")
    bad.write_text(HEADER + "3520005,unemployment-rate,2021,abc,\n")
    page.set_input_files("#id_file", str(good))
    page.select_option("#id_format", "tidy")
    follow(page, "main button[type=submit]")
    assert done in page.get_by_role("status").inner_text()
    assert_accessible(page)

    page.goto(f"{site}/{language}/imports/")
    page.set_input_files("#id_file", str(bad))
    page.select_option("#id_format", "tidy")
    follow(page, "main button[type=submit]")
    assert rejected in page.get_by_role("alert").inner_text()
    assert page.locator("table tbody tr").count() == 1
    assert_accessible(page)
