"""What a reader hands the import: the records of a feed in HSDS 3.0 form (with the bilingual
profile), and what it could not read, each problem named by record and field."""

from dataclasses import dataclass, field
from typing import Any


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

    def add(self, entity: str, data: dict[str, Any]) -> None:
        self.records.append((entity, data))


class FeedError(ValueError):
    """The file as a whole cannot be read (not the format said, unreadable): nothing imported."""
