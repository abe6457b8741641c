"""Uploads bounded in size before and while they are read.

Django limits the form fields of a request (DATA_UPLOAD_MAX_MEMORY_SIZE) but not its files. This
handler runs first: a request whose declared Content-Length is already past
WELCOMING_UPLOAD_MAX_BYTES is refused before a byte of its body is read, and a file that grows
past the limit (a streamed body, or a Content-Length that lied) stops as soon as it does.
`UploadTooLarge` is a `RequestDataTooBig`, so a page answers 400 like Django does; the API
answers 413 with its usual `{"detail": ...}`.
"""

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import UploadJob

Job = TypeVar("Job", bound=UploadJob)
UPLOADS = "uploads"  # under the data directory: where a queued import's file waits for a worker

# Multipart boundaries, headers and the small fields beside the file.
ENVELOPE_BYTES = 64 * 1024


class UploadTooLarge(RequestDataTooBig):
    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(
            _("The file is larger than %(size)s MB, the largest Welcoming accepts.")
            % {"size": f"{limit / (1024 * 1024):g}"}
        )


def upload_limit() -> int:
    return int(settings.WELCOMING_UPLOAD_MAX_BYTES)


class BoundedUploadHandler(FileUploadHandler):
    """Passes every chunk on to the next handler, counting the bytes of the current file."""

    def handle_raw_input(
        self,
        input_data: Any,
        META: Any,
        content_length: int,
        boundary: Any,
        encoding: str | None = None,
    ) -> None:
        limit = upload_limit()
        if content_length and content_length > limit + ENVELOPE_BYTES:
            raise UploadTooLarge(limit)

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received = start + len(raw_data)
        if self.received > upload_limit():
            raise UploadTooLarge(upload_limit())
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def uploads_dir() -> Path:
    return Path(settings.DATA_DIR) / UPLOADS


def upload_store(upload: Any, *, suffix: str = ".upload") -> tuple[str, int]:
    """Copy an upload (a Django UploadedFile, read in chunks, or an open binary file) under the
    data directory for a worker to read; its path relative to the data directory, and its size."""
    directory = uploads_dir()
    directory.mkdir(parents=True, exist_ok=True)
    stored = directory / f"{uuid.uuid4().hex}{suffix}"
    size = 0
    with stored.open("wb") as out:
        if hasattr(upload, "chunks"):
            chunks = upload.chunks()
        else:
            chunks = iter(lambda: upload.read(1 << 20), b"")
        for chunk in chunks:
            out.write(chunk)
            size += len(chunk)
    return str(stored.relative_to(settings.DATA_DIR)), size


def upload_job_run(model: type[Job], job_id: int, run: Callable[[Job], Job]) -> Job:
    """Take an import job (a core.models.UploadJob) from the queue and `run` it in the language
    of whoever started it (the reasons it records are for them); a job already taken by another
    worker is returned as it is."""
    taken = model._default_manager.filter(pk=job_id, status="queued").update(
        status="running", phase="reading"
    )
    job = model._default_manager.select_related("created_by").get(pk=job_id)
    if not taken:
        return job
    with translation.override(job.language):
        return run(job)


def upload_job_finish(job: Any, outcome: dict[str, Any]) -> None:
    """Delete the job's upload and record how it ended (the progress written meanwhile stays)."""
    (Path(settings.DATA_DIR) / job.stored_as).unlink(missing_ok=True)
    outcome.update(phase="finished", finished_at=timezone.now())
    for name, value in outcome.items():
        setattr(job, name, value)
    job.save(update_fields=[name.removesuffix("_id") for name in outcome])
