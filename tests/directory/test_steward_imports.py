"""Feed imports from the stewards' pages run as tasks: checked, stored, queued, followed on a page
that asks again until they end, with the import's report (rejected records by id and field); a
failed import changes nothing."""

import html
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from tests.directory.test_feeds import _feed, _service
from welcoming.core.uploads import UPLOADS
from welcoming.directory import import_jobs
from welcoming.directory.hsds.importer import FeedWriter
from welcoming.directory.models import FeedImportJob, ImportRun, Service

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


def _upload(client, data: object, language: str = "en", name: str = "feed.json", **fields: str):
    body = data if isinstance(data, bytes) else json.dumps(data).encode()
    file = SimpleUploadedFile(name, body, "application/json")
    with translation.override(language):
        url = reverse("stewardship:import-list")
    return client.post(url, {"file": file, "format": "", **fields})


def test_an_upload_is_imported_by_a_task_and_its_report_kept(
    client, data_steward, data_dir: Path
) -> None:
    client.force_login(data_steward)
    response = _upload(client, _feed([_service(1), _service(2, minimum_age="twelve")]))
    job = FeedImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("stewardship:import-job", args=[job.pk])
    assert (job.status, job.phase, job.created_by) == ("done", "finished", data_steward)
    assert job.records_read == 4 and job.run == ImportRun.objects.get()
    assert job.run.file_name == "feed.json"
    assert job.report["totals"]["added"] == 3 and job.report["totals"]["rejected"] == 1
    rejected = [i for i in job.items if i["action"] == "rejected"]
    assert [(i["entity"], i["id"], i["field"]) for i in rejected] == [
        ("service", "svc-2", "minimum_age")
    ]
    assert Service.objects.get().source_id == "svc-1"
    assert list((data_dir / UPLOADS).iterdir()) == []  # the stored upload is gone
    page = client.get(response.url).content.decode()
    assert "The feed of source sample-feed was imported." in page
    assert "svc-2" in page and "minimum_age" in page
    assert "hx-trigger" not in page  # a finished job is not asked about again


def test_a_check_only_import_writes_nothing(client, data_steward) -> None:
    client.force_login(data_steward)
    _upload(client, _feed([_service(1)]), dry_run="on")
    job = FeedImportJob.objects.get()
    assert (job.status, job.dry_run, job.run) == ("done", True, None)
    assert job.report["totals"]["added"] == 3
    assert not Service.objects.exists()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_failed_import_says_so_and_leaves_the_directory_as_it_was(
    client, data_steward, monkeypatch, language: str
) -> None:
    client.force_login(data_steward)
    _upload(client, _feed([_service(1)]))
    before = list(Service.objects.values_list("pk", "name_en", "version"))

    def broken(self, feed):
        Service.objects.update(name_en="Half-written")
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(FeedWriter, "write", broken)
    response = _upload(client, _feed([_service(1, name="Changed")]), language)
    job = FeedImportJob.objects.latest("pk")
    assert (job.status, job.run) == ("failed", None)
    assert list(Service.objects.values_list("pk", "name_en", "version")) == before
    page = html.unescape(client.get(response.url).content.decode())
    with translation.override(language):
        expected = str(import_jobs.UNEXPECTED % {"job": job.pk})
    assert expected in page and 'role="alert"' in page


def test_a_file_that_is_not_a_feed_fails_with_the_readers_reason(client, data_steward) -> None:
    client.force_login(data_steward)
    _upload(client, b'{"services": ')
    job = FeedImportJob.objects.get()
    assert job.status == "failed" and job.failure


@pytest.mark.parametrize(
    ("name", "body", "reason"),
    [
        ("feed.csv", b"id,name\n", str(import_jobs.WRONG_TYPE)),
        ("feed.json", b"<xml/>", str(import_jobs.WRONG_TYPE)),
        ("feed.xml", b"{}", str(import_jobs.WRONG_TYPE)),
        ("feed.zip", b"PK not a zip", "The zip file cannot be read."),
        ("feed.json", b"", "The submitted file is empty."),
    ],
)
def test_what_cannot_be_a_feed_is_refused_before_it_is_stored(
    client, data_steward, data_dir: Path, name: str, body: bytes, reason: str
) -> None:
    client.force_login(data_steward)
    response = _upload(client, body, name=name)
    assert response.status_code == 200
    assert reason in html.unescape(response.content.decode())
    assert not FeedImportJob.objects.exists()
    assert not (data_dir / UPLOADS).exists() or not list((data_dir / UPLOADS).iterdir())


def test_a_file_over_the_limit_is_refused(client, data_steward, settings) -> None:
    settings.WELCOMING_UPLOAD_MAX_BYTES = 100
    client.force_login(data_steward)
    response = _upload(client, _feed([_service(1)]))
    assert response.status_code in {200, 400}
    assert not FeedImportJob.objects.exists()


def test_the_progress_page_follows_a_job_until_it_ends(client, data_steward) -> None:
    job = FeedImportJob.objects.create(
        file_name="feed.json", stored_as="uploads/x.json", created_by=data_steward
    )
    client.force_login(data_steward)
    url = reverse("stewardship:import-job", args=[job.pk])
    queued = client.get(url).content.decode()
    assert "A worker will start this import shortly." in queued and "hx-trigger" in queued
    FeedImportJob.objects.filter(pk=job.pk).update(
        status="running", phase="writing", records_read=1200, unreadable=3
    )
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial and "hx-trigger" in partial
    assert "1200 records read so far, 3 of them unreadable" in partial


def test_the_task_runs_a_queued_job_once(client, data_steward, data_dir: Path) -> None:
    client.force_login(data_steward)
    _upload(client, _feed([_service(1)]))
    job = FeedImportJob.objects.get()
    again = import_jobs.feed_import_job_run(job_id=job.pk)  # already done: left as it was
    assert again.status == "done" and ImportRun.objects.count() == 1


def test_only_the_installations_data_managers_import_feeds(
    client, steward_of, agency, data_steward
) -> None:
    job = FeedImportJob.objects.create(
        file_name="feed.json", stored_as="uploads/x.json", created_by=data_steward
    )
    urls = [reverse("stewardship:import-list"), reverse("stewardship:import-job", args=[job.pk])]
    for url in urls:  # anonymous: the sign-in page
        assert "/login/" in client.get(url).url
    client.force_login(steward_of(agency))  # a steward of an organization, not the installation
    for url in urls:
        assert client.get(url).status_code == 403
    assert _upload(client, _feed([_service(1)])).status_code == 403
    assert FeedImportJob.objects.count() == 1
    listing = client.get(reverse("stewardship:service-list")).content.decode()
    assert urls[0] not in listing
    client.force_login(data_steward)
    assert urls[0] in client.get(reverse("stewardship:service-list")).content.decode()
