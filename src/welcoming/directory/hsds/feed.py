"""What a reader hands the import: the records of a feed in HSDS 3.0 form (with the bilingual
profile), and what it could not read, each problem named by record and field."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Progress = Callable[[int], None]  # told how many records a reader has handed over so far
PROGRESS_EVERY = 500  # records between two calls: the readers' loops stay as fast as they were


@dataclass(frozen=True)
class Issue:
    """A line of an import report: a record (or part of one) not imported, and why."""

    entity: str
    record_id: str
    field: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.entity} {self.record_id or '(no id)'}"
        return f"{where}, {self.field}: {self.reason}" if self.field else f"{where}: {self.reason}"


@dataclass
class Feed:
    format: str
    source: str = ""  # the source the content names, if it names one
    records: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (entity, HSDS)
    rejected: list[Issue] = field(default_factory=list)
    dropped: list[Issue] = field(default_factory=list)
    progress: Progress | None = field(default=None, repr=False, compare=False)

    def add(self, entity: str, data: dict[str, Any]) -> None:
        self.records.append((entity, data))
        if self.progress is not None and len(self.records) % PROGRESS_EVERY == 0:
            self.progress(len(self.records))


class FeedError(ValueError):
    """The file as a whole cannot be read (not the format said, unreadable): nothing imported."""
