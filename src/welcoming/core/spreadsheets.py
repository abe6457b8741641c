"""Cells written to CSV and XLSX files that a spreadsheet cannot run as formulas.

A spreadsheet treats a text cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage
return before one) as a formula: a community renamed `=HYPERLINK(...)` would become a live link
in every export. Every CSV or XLSX writer of the project passes its rows through `safe_rows`,
which prefixes such text with an apostrophe (OWASP's advice); numbers are left as they are.
"""

from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value, with text that a spreadsheet would read as a formula made plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_rows(rows: Iterable[Iterable[Any]]) -> list[list[Any]]:
    """Every row with each of its cells passed through `safe_cell`."""
    return [[safe_cell(value) for value in row] for row in rows]
