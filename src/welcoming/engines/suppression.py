"""Small-count suppression for aggregates that describe people.

A count under the threshold (5) is never published ("fewer than 5"): primary suppression. A
count that is published beside its total could still be recovered by subtraction, so whenever a
line (a row or a column whose total is published) hides exactly one count, or hides counts that
add up to less than the threshold, the smallest count still shown in that line is hidden too:
secondary suppression, repeated until no line with a published total can be differenced back.
A total under the threshold is itself hidden.

What this guarantees, line by line: in a line whose total is shown, the hidden counts are none,
or at least two that add up to the threshold or more, so subtraction yields no count and no
sum under the threshold. It is not a full linear-programming audit of large linked tables.
"""

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import TypeVar

THRESHOLD = 5

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class SuppressedCounts:
    """Counts of one group and their total; None where a count is not published."""

    cells: tuple[int | None, ...]
    total: int | None


@dataclass(frozen=True)
class SuppressedTable:
    """A table of counts with its row, column and grand totals; None where not published."""

    cells: tuple[tuple[int | None, ...], ...]
    row_totals: tuple[int | None, ...]
    column_totals: tuple[int | None, ...]
    total: int | None


def suppress_counts(counts: Sequence[int], threshold: int = THRESHOLD) -> SuppressedCounts:
    """The counts of one group as they may be published beside their total."""
    _check(counts, threshold)
    values = {("cell", i): c for i, c in enumerate(counts)}
    values[("total", 0)] = sum(counts)
    hidden = _protect(values, [(list(values)[:-1], ("total", 0))], threshold)
    shown = _shown(values, hidden)
    return SuppressedCounts(
        cells=tuple(shown[("cell", i)] for i in range(len(counts))), total=shown[("total", 0)]
    )


def suppress_table(table: Sequence[Sequence[int]], threshold: int = THRESHOLD) -> SuppressedTable:
    """A rows × columns table as it may be published with its row, column and grand totals."""
    rows, columns = len(table), len(table[0]) if table else 0
    if any(len(row) != columns for row in table):
        raise ValueError("every row of the table needs the same number of columns")
    for row in table:
        _check(row, threshold)
    values: dict[tuple[str, int, int], int] = {}
    for r, row in enumerate(table):
        for c, count in enumerate(row):
            values[("cell", r, c)] = count
        values[("row", r, 0)] = sum(row)
    for c in range(columns):
        values[("column", 0, c)] = sum(row[c] for row in table)
    grand = ("total", 0, 0)
    values[grand] = sum(sum(row) for row in table)
    lines = [([("cell", r, c) for c in range(columns)], ("row", r, 0)) for r in range(rows)]
    lines += [([("cell", r, c) for r in range(rows)], ("column", 0, c)) for c in range(columns)]
    lines.append(([("row", r, 0) for r in range(rows)], grand))
    lines.append(([("column", 0, c) for c in range(columns)], grand))
    shown = _shown(values, _protect(values, lines, threshold))
    return SuppressedTable(
        cells=tuple(tuple(shown[("cell", r, c)] for c in range(columns)) for r in range(rows)),
        row_totals=tuple(shown[("row", r, 0)] for r in range(rows)),
        column_totals=tuple(shown[("column", 0, c)] for c in range(columns)),
        total=shown[grand],
    )


def _check(counts: Sequence[int], threshold: int) -> None:
    if threshold < 1:
        raise ValueError("the threshold must be at least 1")
    if any(c < 0 for c in counts):
        raise ValueError("counts cannot be negative")


def _protect(values: dict[K, int], lines: list[tuple[list[K], K]], threshold: int) -> set[K]:
    """Primary then secondary suppression, until every line with a shown total is safe."""
    hidden = {key for key, value in values.items() if value < threshold}
    changed = True
    while changed:
        changed = False
        for members, total in lines:
            if total in hidden:
                continue  # nothing to subtract from
            concealed = [m for m in members if m in hidden]
            if not concealed:
                continue
            if len(concealed) >= 2 and sum(values[m] for m in concealed) >= threshold:
                continue
            visible = [m for m in members if m not in hidden]
            if not visible:
                continue  # cannot happen: the total would be under the threshold
            hidden.add(min(visible, key=lambda m: (values[m], members.index(m))))
            changed = True
    return hidden


def _shown(values: dict[K, int], hidden: set[K]) -> dict[K, int | None]:
    return {key: None if key in hidden else value for key, value in values.items()}
