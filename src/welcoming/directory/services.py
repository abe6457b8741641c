"""Writes to the directory: importing a feed, exporting HSDS."""

import gc
import hashlib
import tempfile
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .hsds import export
from .hsds.feed import Feed, FeedError, Progress
from .hsds.importer import FeedWriter, Outcome
from .hsds.readers import airs, hsds1, hsds3
from .indicator import directory_indicator_refresh_task
from .models import ImportRun, Location, Service
from .search_index import service_search_entries_refresh

FORMATS = tuple(ImportRun.Format.values)
ACTIONS = ("added", "updated", "unchanged", "deactivated", "flagged", "rejected", "dropped")
NO_SOURCE = gettext_lazy(
    "The file does not say which source it comes from, and none of its records is known: "
    "name the source with --source."
)
SOURCE_MAX = 100  # ImportRun.source and the records' `source`
SOURCE_TOO_LONG = gettext_lazy("A source name is at most %(max)d characters.")
SOURCE_NOT_ONE_LINE = gettext_lazy("A source name is one line of text.")
UNKNOWN_FORMAT = gettext_lazy(
    "Cannot tell the format of %(path)s: give --format hsds3, hsds1 or airs-xml."
)


@dataclass
class ImportReport:
    source: str
    format: str
    sha256: str
    dry_run: bool
    records_read: int
    totals: dict[str, int]
    by_entity: dict[str, dict[str, int]]
    items: list[dict[str, str]] = field(default_factory=list)
    run_id: int | None = None

    @property
    def changed(self) -> bool:
        return any(self.totals[a] for a in ("added", "updated", "deactivated", "flagged"))

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class SourceUnknown(FeedError):
    """Neither the person, the file nor its records name the source: nothing imported."""


def feed_source_clean(name: str | None) -> str:
    """A source named by the person (`--source`, the web form), trimmed; empty when none. It
    names the feed across imports, so it must fit where it is kept: FeedError otherwise."""
    name = (name or "").strip()
    if len(name) > SOURCE_MAX:
        raise FeedError(SOURCE_TOO_LONG % {"max": SOURCE_MAX})
    if any(not character.isprintable() for character in name):
        raise FeedError(SOURCE_NOT_ONE_LINE)
    return name


class ImportRejected(Exception):
    """`--strict` and a bad record: nothing was written."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(
            _("%(count)d records could not be imported: nothing was imported.")
            % {"count": report.totals["rejected"]}
        )
        self.report = report


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        with file.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def _sniff(path: Path) -> str:
    if path.is_dir():
        names = {p.name for p in path.iterdir()}
        hsds1_only = {"services_at_location.csv", "physical_addresses.csv", "regular_schedules.csv"}
        return "hsds1" if names & hsds1_only else "hsds3"
    with path.open("rb") as f:
        start = f.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"<"):
        return "airs-xml"
    if start[:1] in (b"{", b"["):
        return "hsds3"
    raise FeedError(UNKNOWN_FORMAT % {"path": path.name})


def directory_read(
    path: Path, *, format: str | None = None, progress: Progress | None = None
) -> Feed:
    """Read a feed (a file, a folder of CSV files, or a zip of one) into HSDS 3.0 records;
    `progress` is told every few hundred records the reader hands over."""
    if not path.exists():
        raise FeedError(_("%(path)s does not exist.") % {"path": path})
    if path.is_file() and zipfile.is_zipfile(path):
        with tempfile.TemporaryDirectory() as folder:
            try:
                with zipfile.ZipFile(path) as archive:
                    archive.extractall(folder)
            except (zipfile.BadZipFile, OSError) as error:
                raise FeedError(
                    _("The zip file cannot be read: %(error)s") % {"error": error}
                ) from None
            root = Path(folder)
            inner = list(root.iterdir())
            if len(inner) == 1 and inner[0].is_dir():
                root = inner[0]
            return directory_read(root, format=format, progress=progress)
    format = format or _sniff(path)
    if format not in FORMATS:
        raise FeedError(UNKNOWN_FORMAT % {"path": path.name})
    if format == "airs-xml":
        return airs.read_file(path, progress=progress)
    if format == "hsds1":
        if not path.is_dir():
            raise FeedError(_("An HSDS 1.x data package is a folder (or zip) of CSV files."))
        return hsds1.read_package(path, progress=progress)
    if path.is_dir():
        return hsds3.read_tabular(path, progress=progress)
    return hsds3.read_json_file(path, progress=progress)


def _known_source(feed: Feed) -> str:
    """The source whose records the feed's identifiers match most often."""
    for entity, model in (("service", Service), ("location", Location)):
        ids = [str(d.get("id")) for e, d in feed.records if e == entity][:500]
        if ids:
            votes = Counter(
                model.objects.filter(source_id__in=ids)
                .exclude(source="")
                .values_list("source", flat=True)
            )
            if votes:
                return votes.most_common(1)[0][0]
    return ""


def _named_source(feed: Feed) -> str:
    """A new source named after the organization that publishes the most records in it."""
    names = Counter(
        str(d.get("name", "")) for e, d in feed.records if e == "organization" and d.get("name")
    )
    return slugify(names.most_common(1)[0][0])[:100] if names else ""


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector (for the whole process) while a feed is imported: the
    import holds the feed's records and their converted rows, hundreds of thousands of objects
    that every collection walked again, for a third of the import's CPU time. What cycles the
    import leaves are collected when it is done."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def directory_import(
    *,
    path: Path,
    actor: Any,
    format: str | None = None,
    source: str | None = None,
    dry_run: bool = False,
    strict: bool = False,
    file_name: str = "",
    on_reading: Progress | None = None,
    on_read: Callable[[Feed], None] | None = None,
) -> ImportReport:
    """Import a feed into the directory (see `hsds.importer`); raises FeedError for a file that
    cannot be read, ImportRejected under `strict` when a record is bad, and PermissionDenied.
    A job's progress: `on_reading` is told every few hundred records read and converted,
    `on_read` the feed once it is read. Both come before the import's transaction: what it
    writes is invisible until it ends, and so would progress written within it be."""
    if not actor.has_perm("directory.import_directory"):
        raise PermissionDenied(_("You may not import directory feeds."))
    source = feed_source_clean(source)
    with _no_cycle_collection():
        return _import(
            path, actor, format=format, source=source, dry_run=dry_run, strict=strict,
            file_name=file_name, on_reading=on_reading, on_read=on_read,
        )  # fmt: skip


def _import(
    path: Path,
    actor: Any,
    *,
    format: str | None,
    source: str | None,
    dry_run: bool,
    strict: bool,
    file_name: str,
    on_reading: Progress | None,
    on_read: Callable[[Feed], None] | None,
) -> ImportReport:
    feed = directory_read(path, format=format, progress=on_reading)
    if on_read is not None:
        on_read(feed)
    source = (source or feed.source or _known_source(feed) or _named_source(feed)).strip()
    if not source:
        raise SourceUnknown(NO_SOURCE)
    sha = _sha256(path)
    with transaction.atomic():
        writer = FeedWriter(source=source, actor=actor)
        outcome = writer.write(feed)
        report = _report(outcome, feed, source=source, sha256=sha, dry_run=dry_run)
        if strict and report.totals["rejected"]:
            transaction.set_rollback(True)
            raise ImportRejected(report)
        if dry_run or not report.changed:
            transaction.set_rollback(True)  # nothing to keep: no run, no history
            return report
        run = ImportRun.objects.create(
            source=source,
            format=feed.format,
            file_name=(file_name or path.name)[:255],
            sha256=sha,
            imported_by=actor,
            records_read=report.records_read,
            report={"by_entity": report.by_entity, "items": report.items},
            **{a: report.totals[a] for a in ACTIONS},
        )
        report.run_id = run.pk
        # The scorecard's count of newcomer-serving services moves with the directory.
        transaction.on_commit(directory_indicator_refresh_task.enqueue)
        # Search reads its own table: rewrite the rows of the services the run changed.
        service_search_entries_refresh(service_ids=writer.services_to_reindex())
    return report


def _report(outcome: Outcome, feed: Feed, **kwargs: Any) -> ImportReport:
    by_entity = {entity: dict(actions) for entity, actions in outcome.counts.items()}
    return ImportReport(
        format=feed.format,
        records_read=len(feed.records) + len(feed.rejected),
        totals={a: outcome.total(a) for a in ACTIONS},
        by_entity=by_entity,
        items=outcome.items,
        **kwargs,
    )


def directory_export(*, directory: Path, actor: Any, bilingual: bool = True) -> dict[str, int]:
    """Write the directory as HSDS 3.0 (JSON and the tabular package) into `directory`."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied
    return export.write_directory(directory, bilingual=bilingual)
