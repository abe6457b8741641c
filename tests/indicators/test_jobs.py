"""Imports started from the web run as tasks: stored, queued, followed, and how they ended kept."""

import html
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from tests.slices import load_real_slice
from welcoming.core.uploads import UPLOADS
from welcoming.indicators import jobs
from welcoming.indicators.importing import records as reasons
from welcoming.indicators.models import ImportJob, IndicatorValue

pytestmark = pytest.mark.django_db
HEADER = "community_code,indicator_code,period,value,status\n"
ONE_VALUE = "3520005,unemployment-rate,2021,12.1,\n"


@pytest.fixture(autouse=True)
def real_slice(db: None, settings, tmp_path: Path) -> Path:
    load_real_slice()
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def warmed(monkeypatch) -> list[str]:
    """Records each warming of the scores the import queued (the scoring itself is tested in
    tests/scorecards)."""
    profiles: list[str] = []
    monkeypatch.setattr(
        "welcoming.scorecards.tasks.scorecards_warm",
        lambda *, profile: profiles.append(profile.name) or [],
    )
    return profiles


def _upload(client, body: str, language: str = "en", **fields: str):
    file = SimpleUploadedFile("values.csv", (HEADER + body).encode(), "text/csv")
    return client.post(f"/{language}/imports/", {"file": file, "format": "tidy", **fields})


def test_an_upload_is_imported_by_a_task_and_the_scores_are_warmed_after(
    client, data_steward, warmed, real_slice: Path
) -> None:
    client.force_login(data_steward)
    response = _upload(client, ONE_VALUE)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == f"/en/imports/{job.pk}/"
    assert (job.status, job.phase, job.created_by) == ("done", "finished", data_steward)
    assert job.bytes_read == job.bytes_total == len(HEADER + ONE_VALUE)
    assert job.report["values_created"] == 1 and job.batch is not None
    assert IndicatorValue.objects.filter(indicator__code="unemployment-rate").count() == 1
    assert warmed == ["default"]
    assert list((real_slice / UPLOADS).iterdir()) == []  # the stored upload is gone
    page = client.get(response.url).content.decode()
    assert "Read 1 rows: 1 values created, 0 updated and 0 unchanged." in page
    assert "hx-trigger" not in page  # a finished job is not asked about again


def test_a_check_only_import_writes_nothing_and_warms_nothing(client, data_steward, warmed) -> None:
    client.force_login(data_steward)
    _upload(client, ONE_VALUE, dry_run="on")
    job = ImportJob.objects.get()
    assert (job.status, job.dry_run, job.batch, warmed) == ("done", True, None, [])
    assert not IndicatorValue.objects.filter(indicator__code="unemployment-rate").exists()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_rejected_file_lists_its_bad_rows_in_the_language_of_the_person(
    client, data_steward, language: str
) -> None:
    client.force_login(data_steward)
    response = _upload(client, "3520005,unemployment-rate,2021,abc,\n", language)
    job = ImportJob.objects.get()
    assert (job.status, job.errors_total, job.batch) == ("rejected", 1, None)
    page = html.unescape(client.get(response.url).content.decode())
    with translation.override(language):
        assert str(reasons.NOT_A_NUMBER) in page
    assert ("bad row" if language == "en" else "ligne") in page


def test_an_unexpected_failure_is_recorded_and_shown(client, data_steward, monkeypatch) -> None:
    def broken(**kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(jobs, "value_import", broken)
    client.force_login(data_steward)
    response = _upload(client, ONE_VALUE)
    job = ImportJob.objects.get()
    assert job.status == "failed" and f"job {job.pk}" in job.failure
    assert "disk on fire" not in job.failure  # no internals shown to people
    page = html.unescape(client.get(response.url).content.decode())
    assert "An unexpected error stopped the import: nothing was imported." in page


def test_a_running_job_page_refreshes_itself_and_shows_how_far_it_is(client, data_steward) -> None:
    job = ImportJob.objects.create(
        file_name="big.csv",
        format="tidy",
        stored_as="uploads/none",
        created_by=data_steward,
        status="running",
        phase="reading",
        bytes_read=250,
        bytes_total=1000,
    )
    client.force_login(data_steward)
    page = client.get(f"/en/imports/{job.pk}/").content.decode()
    assert f'hx-get="/en/imports/{job.pk}/"' in page and 'hx-trigger="every 2s"' in page
    assert '<progress id="import-progress" max="100" value="25">' in page
    assert "<script>" not in page.split("<main", 1)[1]  # no inline script (CSP)
    partial = client.get(f"/en/imports/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<section id="import-status"')
    assert "<html" not in partial


def test_a_task_run_again_leaves_a_finished_job_as_it_was(client, data_steward) -> None:
    client.force_login(data_steward)
    _upload(client, ONE_VALUE)
    job = ImportJob.objects.get()
    again = jobs.import_job_run(job_id=job.pk)
    assert (again.status, again.batch_id) == ("done", job.batch_id)


def test_progress_is_written_while_the_file_is_read(data_steward, real_slice: Path) -> None:
    stored = real_slice / "file.csv"
    stored.write_bytes(b"x" * 3000)
    job = ImportJob.objects.create(
        file_name="f.csv", format="tidy", stored_as="file.csv", bytes_total=3000
    )
    with stored.open("rb") as raw:
        reader = jobs._Progress(raw, job)
        reader.read(1000)
        job.refresh_from_db()
        assert (job.phase, job.bytes_read, job.percent_read) == ("reading", 1000, 33)
        reader.read()
        reader.read(10)  # the end of the file: what remains is checking and writing
        job.refresh_from_db()
        assert (job.phase, job.bytes_read) == ("writing", 3000)


def test_only_those_who_import_may_start_or_follow_an_import(client, analyst) -> None:
    client.force_login(analyst)
    assert client.get("/en/imports/").status_code == 403
    assert _upload(client, ONE_VALUE).status_code == 403
    assert not ImportJob.objects.exists()


def test_the_imports_page_is_in_the_menu_of_those_who_import(client, data_steward) -> None:
    client.force_login(data_steward)
    page = client.get("/fr/imports/").content.decode()
    assert 'href="/fr/imports/"' in page and 'aria-current="page"' in page
