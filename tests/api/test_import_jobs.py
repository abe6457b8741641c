"""POST /api/v1/imports/jobs and GET /api/v1/imports/jobs/{id}: imports run by a worker."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings

from welcoming.indicators.importing import records as reasons
from welcoming.indicators.models import ImportJob, IndicatorValue

HEADER = "community_code,indicator_code,period,value,status\n"
ONE_VALUE = "3520005,unemployment-rate,2021,12.1,\n"


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def no_warming(monkeypatch) -> None:
    monkeypatch.setattr("welcoming.scorecards.tasks.scorecards_warm", lambda *, profile: [])


def _start(client, body: str, headers: dict[str, str]):
    file = SimpleUploadedFile("values.csv", (HEADER + body).encode(), "text/csv")
    return client.post("/api/v1/imports/jobs", {"file": file, "format": "tidy"}, **headers)


@pytest.mark.django_db
@pytest.mark.usefixtures("no_warming")
def test_a_job_answers_202_and_its_status_tells_how_it_ended(client, data_steward, bearer) -> None:
    response = _start(client, ONE_VALUE, bearer(data_steward))
    assert response.status_code == 202
    job = response.json()
    status = client.get(f"/api/v1/imports/jobs/{job['id']}", **bearer(data_steward))
    assert status.status_code == 200
    body = status.json()
    assert (body["status"], body["phase"], body["errors"], body["failure"]) == (
        "done",
        "finished",
        [],
        "",
    )
    assert body["report"]["values_created"] == 1 and body["batch_id"] is not None


@pytest.mark.django_db
def test_a_rejected_job_gives_its_bad_rows_through_the_api(client, data_steward, bearer) -> None:
    job = _start(client, "3520005,unemployment-rate,2021,abc,\n", bearer(data_steward)).json()
    body = client.get(f"/api/v1/imports/jobs/{job['id']}", **bearer(data_steward)).json()
    assert (body["status"], body["errors_total"], body["report"]) == ("rejected", 1, None)
    assert body["errors"] == [
        {"line": 2, "column": "value", "value": "abc", "reason": str(reasons.NOT_A_NUMBER)}
    ]


@pytest.mark.django_db
def test_an_analyst_may_neither_start_nor_follow_a_job(
    client, analyst, data_steward, bearer
) -> None:
    assert _start(client, ONE_VALUE, bearer(analyst)).status_code == 403
    job = ImportJob.objects.create(file_name="x.csv", format="tidy", created_by=data_steward)
    assert client.get(f"/api/v1/imports/jobs/{job.pk}", **bearer(analyst)).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("job_id", ["999999", "9223372036854775807"])
def test_an_unknown_job_is_not_found(client, data_steward, bearer, job_id: str) -> None:
    response = client.get(f"/api/v1/imports/jobs/{job_id}", **bearer(data_steward))
    assert response.status_code == 404 and response.json()["detail"]


@pytest.mark.django_db
def test_a_job_number_too_large_for_the_database_is_refused(client, data_steward, bearer) -> None:
    response = client.get("/api/v1/imports/jobs/9223372036854775808", **bearer(data_steward))
    assert response.status_code == 422


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_a_queued_import_from_the_database(client, data_steward, bearer) -> None:
    """With the database backend, the request only queues; `welcoming worker` imports."""
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        job = _start(client, ONE_VALUE, bearer(data_steward)).json()
        assert (job["status"], job["phase"]) == ("queued", "waiting")
        assert not IndicatorValue.objects.filter(indicator__code="unemployment-rate").exists()
        call_command("worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    done = ImportJob.objects.get(pk=job["id"])
    assert (done.status, done.report["values_created"]) == ("done", 1)
    assert IndicatorValue.objects.filter(indicator__code="unemployment-rate").count() == 1
