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
        status="running", phase="reading", records_read=1500
    )
    reading = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "1500 records read so far; the file is being read and converted." in reading
    with translation.override("fr"):
        french = reverse("stewardship:import-job", args=[job.pk])
    assert "1500 fiches lues jusqu" in html.unescape(client.get(french).content.decode())
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


# --- the command's --source and --strict, on the form ---------------------------------------


def _form(**data: str):
    from welcoming.directory.steward_forms import FeedImportForm

    file = SimpleUploadedFile("feed.json", json.dumps(_feed([_service(1)])).encode())
    return FeedImportForm(data={"format": "", **data}, files={"file": file})


def test_the_form_takes_a_source_name_and_strict() -> None:
    form = _form(source="  city-of-ottawa-211 ", strict="on")
    assert form.is_valid(), form.errors
    cleaned = form.cleaned_data
    assert (cleaned["source"], cleaned["strict"]) == ("city-of-ottawa-211", True)
    empty = _form(source="   ")
    assert empty.is_valid() and empty.cleaned_data["source"] == ""
    assert empty.cleaned_data["strict"] is False


@pytest.mark.parametrize(
    ("source", "reason"),
    [("x" * 101, "at most 100 characters"), ("line one\nline two", "one line of text")],
)
def test_a_source_name_that_cannot_name_a_feed_is_refused(source: str, reason: str) -> None:
    form = _form(source=source)
    assert not form.is_valid()
    assert reason in " ".join(form.errors["source"])


def test_the_command_refuses_the_same_source_names(operator, tmp_path: Path) -> None:
    from welcoming.directory.hsds.feed import FeedError
    from welcoming.directory.services import directory_import

    path = tmp_path / "feed.json"
    path.write_text(json.dumps(_feed([_service(1)])), encoding="utf-8")
    with pytest.raises(FeedError, match="at most 100 characters"):
        directory_import(path=path, actor=operator, source="x" * 101)
    assert not Service.objects.exists()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_strict_import_with_one_bad_record_imports_nothing_and_says_which(
    client, data_steward, language: str
) -> None:
    client.force_login(data_steward)
    feed = _feed([_service(1), _service(2, minimum_age="twelve")])
    response = _upload(client, feed, language, strict="on")
    job = FeedImportJob.objects.get()
    assert (job.strict, job.status, job.run) == (True, "failed", None)
    assert not Service.objects.exists() and not ImportRun.objects.exists()
    assert [(i["action"], i["id"], i["field"]) for i in job.items] == [
        ("rejected", "svc-2", "minimum_age")
    ]
    with translation.override(language):
        expected = "1 records could not be imported: nothing was imported."
        assert job.failure == translation.gettext(
            "%(count)d records could not be imported: nothing was imported."
        ) % {"count": 1}
    page = html.unescape(client.get(response.url).content.decode())
    assert job.failure in page and 'role="alert"' in page
    assert "svc-2" in page and "minimum_age" in page
    if language == "en":
        assert expected in page


def test_a_strict_import_of_good_records_imports_them(client, data_steward) -> None:
    client.force_login(data_steward)
    _upload(client, _feed([_service(1)]), strict="on")
    assert FeedImportJob.objects.get().status == "done"
    assert Service.objects.count() == 1


def _dated(services: list, export: str) -> dict:
    """A feed that names each export after its date, as some publishers do: not a source."""
    return _feed(services, source=f"ottawa-export-{export}")


def test_a_source_named_on_the_form_updates_and_deactivates_across_files(
    client, data_steward
) -> None:
    client.force_login(data_steward)
    first = _dated([_service(1), _service(2), _service(3)], "2026-01")
    _upload(client, first, name="january.json", source="ottawa-211")
    newer = _dated([_service(1, name="Renamed at the source"), _service(2)], "2026-02")
    response = _upload(client, newer, name="february.json", source="ottawa-211")
    job = FeedImportJob.objects.latest("pk")
    assert (job.source, job.status) == ("ottawa-211", "done")
    assert job.report["source"] == "ottawa-211"
    assert job.report["totals"]["updated"] == 1
    assert job.report["by_entity"]["service"]["deactivated"] == 1
    assert set(Service.objects.values_list("source", flat=True)) == {"ottawa-211"}
    assert Service.objects.get(source_id="svc-1").name_en == "Renamed at the source"
    assert Service.objects.get(source_id="svc-3").status == Service.Status.INACTIVE
    assert ImportRun.objects.filter(source="ottawa-211").count() == 2
    assert "ottawa-211" in client.get(response.url).content.decode()
    listing = client.get(reverse("stewardship:import-list")).content.decode()
    assert listing.count("ottawa-211") == 2  # each job's source, in the list


def test_without_a_source_the_file_names_its_own(client, data_steward) -> None:
    client.force_login(data_steward)
    _upload(client, _dated([_service(1)], "2026-01"))
    assert FeedImportJob.objects.get().report["source"] == "ottawa-export-2026-01"


def test_a_feed_that_names_no_source_asks_for_one_on_the_form(client, data_steward) -> None:
    client.force_login(data_steward)
    feed = _feed([_service(1)])
    del feed["x-source"], feed["organizations"]  # nothing to name it after, nothing known
    feed["services"][0].pop("organization_id")
    _upload(client, feed)
    job = FeedImportJob.objects.get()
    assert job.status == "failed"
    assert job.failure == str(import_jobs.NO_SOURCE)


# --- progress while the file is read and converted -----------------------------------------


def test_a_reader_tells_its_progress_every_few_hundred_records(tmp_path: Path) -> None:
    from welcoming.directory.hsds.feed import PROGRESS_EVERY
    from welcoming.directory.services import directory_read

    path = tmp_path / "feed.json"
    path.write_text(json.dumps(_feed([_service(n) for n in range(1, 1200)])), encoding="utf-8")
    told: list[int] = []
    feed = directory_read(path, progress=told.append)
    assert len(feed.records) == 1201  # the organization, the site and the services
    assert told == [PROGRESS_EVERY, 2 * PROGRESS_EVERY]


def test_a_job_counts_the_records_read_while_the_file_is_read(
    client, data_steward, monkeypatch
) -> None:
    """The count is written as the reader goes, before the import's transaction (the page
    would not see it within), and at most every PROGRESS_EVERY seconds."""
    monkeypatch.setattr(import_jobs, "PROGRESS_EVERY", 0)
    seen: list[tuple[str, int]] = []
    save = import_jobs._records_read_save

    def watched(job: FeedImportJob, count: int) -> None:
        save(job, count)
        stored = FeedImportJob.objects.get(pk=job.pk)
        seen.append((stored.phase, stored.records_read))

    monkeypatch.setattr(import_jobs, "_records_read_save", watched)
    client.force_login(data_steward)
    _upload(client, _feed([_service(n) for n in range(1, 1200)]))
    assert seen == [("reading", 500), ("reading", 1000)]
    job = FeedImportJob.objects.get()
    assert (job.status, job.records_read) == ("done", 1201)
