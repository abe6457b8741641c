"""The shapes every reader produces, and the errors an import can report."""

from dataclasses import dataclass
from typing import NamedTuple

from django.utils.translation import gettext_lazy as _


class Record(NamedTuple):
    """One value as a file gives it, before validation. `value` is text from tidy files.

    A named tuple rather than a frozen dataclass: a million of them are built per import, and a
    tuple is built several times faster.
    """

    line: int
    community: str
    indicator: str
    period: str
    value: str | float | None
    status: str = ""
    value_column: str = "value"


@dataclass(frozen=True)
class RowError:
    """A bad row: where it is, what it holds, and why it cannot be imported."""

    line: int
    column: str
    value: str
    reason: str


# A file costs no more to refuse than to read: the errors kept, and the columns of a row, are
# bounded whatever the file holds (issue 16).
MAX_ERRORS = 1_000
MAX_COLUMNS = 1_000


class ImportRejected(Exception):
    """Nothing was written: the first MAX_ERRORS bad rows are listed, `more` counts the rest."""

    def __init__(self, errors: list[RowError], more: int = 0) -> None:
        self.errors = errors
        self.more = more
        super().__init__(f"{self.count} errors")

    @property
    def count(self) -> int:
        """How many errors the file has, listed or not."""
        return len(self.errors) + self.more


class ImportConflict(Exception):
    """Another import wrote some of the same values at the same time; nothing was written."""


class ErrorCollector:
    """The errors of one import: the first `limit` are kept, the others only counted."""

    def __init__(self, limit: int = MAX_ERRORS) -> None:
        self.limit = limit
        self.kept: list[RowError] = []
        self.more = 0

    def __len__(self) -> int:
        return len(self.kept) + self.more

    def add(self, line: int, column: str, value: str, reason: object) -> None:
        """Keep or count one error; `reason` (a lazy translation) is turned into text only for
        the errors kept, so that counting the others costs next to nothing."""
        if len(self.kept) < self.limit:
            self.kept.append(RowError(line, column, value[:200], str(reason)))
        else:
            self.more += 1

    def raise_if_any(self) -> None:
        if self.kept:
            raise ImportRejected(self.kept, self.more)


# Reasons, as constants that tests and API clients can rely on.
UNKNOWN_LAYOUT = _("this file is not in a layout Welcoming knows")
MISSING_COLUMN = _("a required column is missing")
UNKNOWN_COMMUNITY = _("no community has this code")
UNKNOWN_INDICATOR = _("no indicator has this code")
NOT_A_NUMBER = _("not a number")
BELOW_MINIMUM = _("below the smallest possible value for this indicator")
ABOVE_MAXIMUM = _("above the largest possible value for this indicator")
DUPLICATE_KEY = _("the same community, indicator and period appear on an earlier line")
UNKNOWN_STATUS = _("unknown status (use estimate, suppressed, imputed, provisional or leave empty)")
VALUE_REQUIRED = _("a value is required unless the status is suppressed")
BAD_PERIOD = _("expected a year such as 2021")
EMPTY_FILE = _("the file has no rows")
UNREADABLE = _("the file cannot be read as CSV (UTF-8 or Windows-1252) or XLSX")
TOO_LARGE = _("the file is larger than the largest file Welcoming accepts")
TOO_MANY_COLUMNS = _("this row has more than 1,000 columns")
LINE_TOO_LONG = _("this line is longer than 1,000,000 characters")
FIELD_TOO_LONG = _("a field on this line is longer than 131,072 characters (an unclosed quote?)")
BAD_CSV = _("this line is not valid CSV")
TOO_MANY_ROWS = _("the sheet has more rows than a spreadsheet can hold (1,048,576)")
SHEET_TOO_LARGE = _("the spreadsheet unpacks to more data than Welcoming accepts")
