"""Text that a spreadsheet would run as a formula is written as plain text; numbers are not."""

import pytest

from welcoming.core.spreadsheets import safe_cell, safe_rows


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://x.example","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
)
def test_formula_like_text_is_prefixed_with_an_apostrophe(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Toronto", "Saint-Jean", "", None, -2.5, 0, -7, "a=b"])
def test_other_cells_and_numbers_are_unchanged(value: object) -> None:
    assert safe_cell(value) == value


def test_rows_are_made_safe_cell_by_cell() -> None:
    assert safe_rows([["=1", 2], ("x", "-y")]) == [["'=1", 2], ["x", "'-y"]]
