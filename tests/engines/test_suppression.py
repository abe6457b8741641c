"""Small-count suppression: no count under 5 is shown, and none can be subtracted back."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from welcoming.engines.suppression import THRESHOLD, suppress_counts, suppress_table

counts = st.lists(st.integers(0, 40), min_size=1, max_size=12)
tables = st.integers(1, 6).flatmap(
    lambda width: st.lists(
        st.lists(st.integers(0, 30), min_size=width, max_size=width), min_size=1, max_size=6
    )
)


def _line_is_safe(cells: list[int | None], originals: list[int], total: int | None) -> bool:
    """With its total shown, a line hides nothing, or two or more counts adding up to >= 5."""
    if total is None:
        return True
    hidden = [o for c, o in zip(cells, originals, strict=True) if c is None]
    return not hidden or (len(hidden) >= 2 and sum(hidden) >= THRESHOLD)


@given(counts)
def test_no_count_under_five_is_ever_shown(values: list[int]) -> None:
    result = suppress_counts(values)
    assert all(c is None or c >= THRESHOLD for c in result.cells)
    assert result.total is None or result.total >= THRESHOLD


@given(counts)
def test_what_is_shown_is_the_true_count(values: list[int]) -> None:
    result = suppress_counts(values)
    assert all(c is None or c == v for c, v in zip(result.cells, values, strict=True))
    assert result.total in (None, sum(values))


@given(counts)
def test_a_hidden_count_cannot_be_recovered_from_the_total(values: list[int]) -> None:
    result = suppress_counts(values)
    assert _line_is_safe(list(result.cells), values, result.total)


@given(st.lists(st.integers(THRESHOLD, 1000), min_size=1, max_size=12))
def test_counts_of_five_or_more_are_all_shown(values: list[int]) -> None:
    assert suppress_counts(values).cells == tuple(values)


@given(tables)
def test_no_row_or_column_of_a_table_can_be_differenced_back(table: list[list[int]]) -> None:
    result = suppress_table(table)
    for r, row in enumerate(table):
        assert _line_is_safe(list(result.cells[r]), row, result.row_totals[r])
    for c in range(len(table[0])):
        column = [row[c] for row in table]
        assert _line_is_safe([cells[c] for cells in result.cells], column, result.column_totals[c])
    assert _line_is_safe(list(result.row_totals), [sum(r) for r in table], result.total)
    shown = [v for row in result.cells for v in row] + list(result.row_totals)
    assert all(v is None or v >= THRESHOLD for v in shown + list(result.column_totals))


def test_one_small_cell_beside_a_total_hides_the_next_smallest_too() -> None:
    result = suppress_counts([3, 12, 8, 20])
    assert result.cells == (None, 12, None, 20) and result.total == 43


def test_two_small_cells_adding_up_to_under_five_hide_a_third() -> None:
    assert suppress_counts([1, 2, 9, 30]).cells == (None, None, None, 30)


def test_a_total_under_five_hides_everything() -> None:
    result = suppress_counts([1, 2])
    assert (result.cells, result.total) == ((None, None), None)


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        suppress_counts([-1, 5])
    with pytest.raises(ValueError, match="same number"):
        suppress_table([[1, 2], [3]])
