"""Feed imports started from the stewards' pages run by a worker, as indicator imports do
(indicators/jobs.py): the request checks and stores the upload and queues a task, the steward
follows the job on a page that asks again every two seconds, and how it ended (the import's
report, or a failure) is kept on the job. The import itself is `services.directory_import`, one
transaction: a failure leaves the directory as it was. The CLI calls it directly and waits.
"""

import logging
import time
import zipfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from welcoming.core.uploads import upload_job_finish, upload_job_run, upload_limit, upload_store

from .hsds.feed import Feed, FeedError, Progress
from .models import FeedImportJob
from .services import (
    ImportRejected,
    ImportReport,
    SourceUnknown,
    directory_import,
    feed_source_clean,
)

logger = logging.getLogger(__name__)

ITEMS_KEPT = 1_000  # report lines kept on a job (the import run keeps them all); the total too
SHOWN = ("rejected", "dropped", "deactivated", "flagged")  # what the page lists, record by record
EXTENSIONS = (".json", ".zip", ".xml")
UNZIPPED_RATIO = 20  # a zip may unpack to this many times the upload limit, no more
PROGRESS_EVERY = 0.5  # seconds between two writes of the count of records read, at least

NO_LONGER_ALLOWED = gettext_lazy(
    "The person who started this import may no longer import feeds: nothing was imported."
)
UNEXPECTED = gettext_lazy(
    "An unexpected error stopped the import: nothing was imported and the directory is as it "
    "was. The operators' log has the details (job %(job)d)."
)
NO_SOURCE = gettext_lazy(
    "The file does not say which source it comes from, and none of its records is known: "
    "name the source in the form and import it again. Nothing was imported."
)
WRONG_TYPE = gettext_lazy(
    "Choose an HSDS 3.0 JSON file, a zip of CSV files (HSDS 3.0 or 1.x) or an AIRS XML file."
)


def feed_upload_check(upload: Any) -> None:
    """Refuse what cannot be a feed before it is stored: its name, its size, its first bytes,
    and what a zip would unpack to. Raises ValueError with a message for the person."""
    name = (getattr(upload, "name", "") or "").lower()
    if not name.endswith(EXTENSIONS):
        raise ValueError(WRONG_TYPE)
    size = getattr(upload, "size", 0) or 0
    if size == 0:
        raise ValueError(_("The file is empty."))
    if size > upload_limit():
        raise ValueError(
            _("The file is larger than %(size)s MB, the largest Welcoming accepts.")
            % {"size": f"{upload_limit() / (1024 * 1024):g}"}
        )
    upload.seek(0)
    start = upload.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
    upload.seek(0)
    if name.endswith(".zip"):
        _zip_check(upload)
    elif (name.endswith(".json") and start[:1] not in (b"{", b"[")) or (
        name.endswith(".xml") and not start.startswith(b"<")
    ):
        raise ValueError(WRONG_TYPE)


def _zip_check(upload: Any) -> None:
    try:
        with zipfile.ZipFile(upload) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        raise ValueError(_("The zip file cannot be read.")) from None
    finally:
        upload.seek(0)
    if unpacked > UNZIPPED_RATIO * upload_limit():
        raise ValueError(_("The zip file unpacks to more than Welcoming accepts."))


def feed_import_job_create(
    *,
    upload: Any,
    file_name: str,
    format: str = "",
    source: str = "",
    strict: bool = False,
    dry_run: bool = False,
    actor: Any,
) -> FeedImportJob:
    """Store an uploaded feed under the data directory and queue its import; `source` and
    `strict` mean what the command's --source and --strict do."""
    if not actor.has_perm("directory.import_directory"):
        raise PermissionDenied(_("You may not import directory feeds."))
    feed_upload_check(upload)
    source = feed_source_clean(source)
    stored_as, size = upload_store(upload, suffix=Path(file_name).suffix.lower() or ".upload")
    job = FeedImportJob.objects.create(
        file_name=(file_name or "feed")[:255],
        format=format,
        source=source,
        strict=strict,
        dry_run=dry_run,
        stored_as=stored_as,
        bytes_total=size,
        created_by=actor,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    from .tasks import feed_import_job_run_task  # the task module imports this one

    feed_import_job_run_task.enqueue(job_id=job.pk)
    return job


def feed_import_job_run(*, job_id: int) -> FeedImportJob:
    """Run a queued import and record how it ended; a job already taken is left as it is."""
    return upload_job_run(FeedImportJob, job_id, _run)


def _run(job: FeedImportJob) -> FeedImportJob:
    path = Path(settings.DATA_DIR) / job.stored_as
    outcome: dict[str, Any]
    try:
        if job.created_by is None:
            raise PermissionDenied
        report = directory_import(
            path=path,
            actor=job.created_by,
            format=job.format or None,
            source=job.source or None,
            strict=job.strict,
            dry_run=job.dry_run,
            file_name=job.file_name,
            on_reading=_reading(job),
            on_read=lambda feed: _read(job, feed),
        )
    except SourceUnknown:
        outcome = {"status": FeedImportJob.Status.FAILED, "failure": str(NO_SOURCE)}
    except FeedError as error:
        outcome = {"status": FeedImportJob.Status.FAILED, "failure": str(error)}
    except ImportRejected as rejected:  # strict: the bad records are listed, nothing written
        outcome = {
            "status": FeedImportJob.Status.FAILED,
            "failure": str(rejected),
            **_listed(rejected.report, shown=("rejected",)),
        }
    except PermissionDenied:
        outcome = {"status": FeedImportJob.Status.FAILED, "failure": str(NO_LONGER_ALLOWED)}
    except Exception:
        logger.exception("Feed import job %d failed", job.pk)
        failure = UNEXPECTED % {"job": job.pk}
        outcome = {"status": FeedImportJob.Status.FAILED, "failure": str(failure)}
    else:
        outcome = {
            "status": FeedImportJob.Status.DONE,
            **_listed(report),
            "run_id": report.run_id,
        }
    upload_job_finish(job, outcome)
    return job


def _listed(report: ImportReport, shown: tuple[str, ...] = SHOWN) -> dict[str, Any]:
    """What the job keeps of an import's report: its counts and the records it lists."""
    items = [item for item in report.items if item["action"] in shown]
    return {
        "report": {"source": report.source, "format": report.format,
                   "totals": report.totals, "by_entity": report.by_entity},
        "items": items[:ITEMS_KEPT],
        "items_total": len(items),
        "records_read": report.records_read,
    }  # fmt: skip


def _reading(job: FeedImportJob) -> Progress:
    """While the file is read and converted: the count of records so far, written now and
    then (the reader tells it every few hundred records; a large feed, many times a second)."""
    saved_at = float("-inf")

    def told(count: int) -> None:
        nonlocal saved_at
        now = time.monotonic()
        if now - saved_at >= PROGRESS_EVERY:
            saved_at = now
            _records_read_save(job, count)

    return told


def _records_read_save(job: FeedImportJob, count: int) -> None:
    job.records_read = count
    FeedImportJob.objects.filter(pk=job.pk).update(records_read=count)


def _read(job: FeedImportJob, feed: Feed) -> None:
    """The feed is read: how many records, how many the reader could not read, and that the
    writing starts (its writes are in one transaction, invisible until it ends)."""
    job.records_read = len(feed.records) + len(feed.rejected)
    job.unreadable = len(feed.rejected)
    job.phase = FeedImportJob.Phase.WRITING
    FeedImportJob.objects.filter(pk=job.pk).update(
        records_read=job.records_read, unreadable=job.unreadable, phase=job.phase
    )
