"""Imports run by a worker: the request stores the upload and queues a task, the person follows
the job on a page or through the API, and the outcome (a batch, the bad rows, or a failure) is
kept on the job. The import itself is `services.value_import`, all-or-nothing as ever; the CLI
calls it directly and waits.
"""

import logging
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from welcoming.core.uploads import upload_job_finish, upload_job_run, upload_store

from .models import ImportJob
from .services import FORMATS, ImportRejected, value_import
from .signals import values_imported

logger = logging.getLogger(__name__)

ERRORS_KEPT = 1_000  # bad rows kept on a job; the total is kept too
PROGRESS_EVERY = 0.5  # seconds between two writes of a job's progress

NO_LONGER_ALLOWED = gettext_lazy(
    "The person who started this import may no longer import values: nothing was imported."
)
UNEXPECTED = gettext_lazy(
    "An unexpected error stopped the import: nothing was imported. The operators' log has the "
    "details (job %(job)d)."
)


def import_job_create(
    *, upload: Any, file_name: str, format: str, dry_run: bool = False, actor: Any
) -> ImportJob:
    """Store an uploaded file under the data directory and queue its import.

    `upload` is a Django UploadedFile (read in chunks) or an open binary file."""
    if not actor.has_perm("indicators.import_values"):
        raise PermissionDenied(_("You may not import indicator values."))
    if format not in FORMATS:
        raise ValueError(format)
    stored_as, size = upload_store(upload)
    job = ImportJob.objects.create(
        file_name=(file_name or "upload")[:255],
        format=format,
        dry_run=dry_run,
        stored_as=stored_as,
        created_by=actor,
        bytes_total=size,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    from .tasks import import_job_run_task  # the task module imports this one

    import_job_run_task.enqueue(job_id=job.pk)
    return job


def import_job_run(*, job_id: int) -> ImportJob:
    """Run a queued import and record how it ended; a job already taken is left as it is."""
    return upload_job_run(ImportJob, job_id, _run)


def _run(job: ImportJob) -> ImportJob:
    path = Path(settings.DATA_DIR) / job.stored_as
    outcome: dict[str, Any]
    try:
        if job.created_by is None:
            raise PermissionDenied
        with path.open("rb") as raw:
            report = value_import(
                source=_Progress(raw, job),
                file_name=job.file_name,
                format=job.format,
                actor=job.created_by,
                dry_run=job.dry_run,
            )
    except ImportRejected as rejected:
        outcome = {
            "status": ImportJob.Status.REJECTED,
            "errors": [asdict(e) for e in rejected.errors[:ERRORS_KEPT]],
            "errors_total": len(rejected.errors),
        }
    except PermissionDenied:
        outcome = {"status": ImportJob.Status.FAILED, "failure": str(NO_LONGER_ALLOWED)}
    except Exception:
        logger.exception("Import job %d failed", job.pk)
        failure = UNEXPECTED % {"job": job.pk}
        outcome = {"status": ImportJob.Status.FAILED, "failure": str(failure)}
    else:
        outcome = {
            "status": ImportJob.Status.DONE,
            "report": asdict(report),
            "batch_id": report.batch_id,
        }
    upload_job_finish(job, outcome)
    if job.batch_id is not None:
        values_imported.send(sender=ImportJob, batch_id=job.batch_id)
    return job


class _Progress:
    """The stored file, read through while the job's progress is written now and then: where
    the reader is, and once it reaches the end, that the values are being checked and written
    (those writes are in the import's transaction, invisible until it ends)."""

    def __init__(self, raw: Any, job: ImportJob) -> None:
        self._raw, self._job = raw, job
        self._phase = ImportJob.Phase.READING
        self._saved_at = 0.0

    def read(self, size: int = -1, /) -> bytes:
        data = self._raw.read(size)
        phase = ImportJob.Phase.READING if data else ImportJob.Phase.WRITING
        now = time.monotonic()
        if phase != self._phase or now - self._saved_at >= PROGRESS_EVERY:
            self._phase, self._saved_at = phase, now
            ImportJob.objects.filter(pk=self._job.pk).update(
                phase=phase, bytes_read=self._raw.tell()
            )
        return data

    def __getattr__(self, name: str) -> Any:  # seek, tell, readable... as the file has them
        return getattr(self._raw, name)
