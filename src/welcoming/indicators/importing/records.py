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


class ImportRejected(Exception):
    """Nothing was written: every bad row is listed."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__(f"{len(errors)} bad rows")


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
