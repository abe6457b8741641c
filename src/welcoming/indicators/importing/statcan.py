"""Statistics Canada (and related) files, each recognised from its header.

Each reader turns a published layout into records keyed on Statistics Canada codes and computes
shares from counts where the file gives counts. The computation of each indicator is documented
in src/welcoming/data/indicators/*.yaml and docs/indicators.md.
"""

from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

from .generic import (
    code_from_dguid,
    is_census_profile,
    is_full_table,
    read_census_profile,
    read_full_table,
)
from .records import (
    EMPTY_FILE,
    MISSING_COLUMN,
    UNKNOWN_LAYOUT,
    ImportRejected,
    Record,
    RowError,
)
from .stream import table_rows

# Statistics Canada symbols: x = suppressed (confidentiality), F = too unreliable to publish,
# E = use with caution; "..", "..." and "." mean not available or not applicable (no value).
SYMBOL_STATUS = {"x": "suppressed", "F": "suppressed", "E": "estimate"}
NOT_AVAILABLE = {"", "..", "...", "."}


def _number(text: str) -> float | str | None:
    """A count as a number; None when not available; the text itself when it is not a number,
    so that validation reports it with its line."""
    text = text.strip()
    if text in NOT_AVAILABLE:
        return None
    try:
        return float(text)
    except ValueError:
        return text


POPULATION_COLUMNS = {
    "population": "Population, 2021 [1]",
    "population-change": "Population percentage change",
    "population-density": "density",
}


def _population_table(header: list[str], rows: Iterator[list[str]]) -> Iterator[Record]:
    columns = {
        indicator: next(at for at, h in enumerate(header) if part in h)
        for indicator, part in POPULATION_COLUMNS.items()
    }
    for line, row in enumerate(rows, start=2):
        if len(row) < len(header) or row[2].startswith("2021A0003"):  # census divisions
            continue
        for indicator, at in columns.items():
            symbol = row[at + 1].strip() if at + 1 < len(row) else ""
            value = row[at].strip()
            if value in NOT_AVAILABLE and symbol not in SYMBOL_STATUS:
                continue
            yield Record(
                line,
                code_from_dguid(row[2]),
                indicator,
                row[0],
                value or None,
                SYMBOL_STATUS.get(symbol, ""),
                header[at],
            )


def _dict_rows(
    header: list[str], rows: Iterator[list[str]]
) -> Iterator[tuple[int, dict[str, str]]]:
    width = len(header)
    for line, row in enumerate(rows, start=2):
        if row:
            if len(row) < width:  # a short row: its missing cells are empty
                row = row + [""] * (width - len(row))
            yield line, dict(zip(header, row, strict=False))


def _community_well_being(header: list[str], rows: Iterator[list[str]]) -> Iterator[Record]:
    columns = {
        "cwb-income": "Income_2021",
        "cwb-education": "Education_2021",
        "cwb-housing": "Housing_2021",
        "cwb-labour-force": "Labour_Force_Activity_2021",
        "cwb-overall": "CWB_2021",
    }
    for line, row in _dict_rows(header, rows):
        for indicator, column in columns.items():
            if row[column].strip():
                yield Record(line, row["CSD_Code_2021"], indicator, "2021", row[column], "", column)


def _visible_minority(header: list[str], rows: Iterator[list[str]]) -> Iterator[Record]:
    for line, row in _dict_rows(header, rows):
        numerator = _number(row["visible_minority_total"])
        denominator = _number(row["private_household_population"])
        if numerator is None or not denominator:
            continue
        column = "visible_minority_total"
        share: float | str = numerator
        if isinstance(denominator, str):
            share, column = denominator, "private_household_population"
        elif isinstance(numerator, float):
            share = numerator / denominator * 100
        yield Record(line, row["csduid"], "visible-minority-share", "2021", share, "", column)


def _cma_profile(header: list[str], rows: Iterator[list[str]]) -> Iterator[Record]:
    columns = {
        "median-after-tax-household-income": "median_after_tax_household_income_2020",
        "unemployment-rate": "unemployment_rate_2021",
        "tenant-shelter-cost-30": "tenant_households_spending_30pct_plus_pct",
        "low-income-lim-at": "low_income_lim_at_pct",
        "low-income-lico-at": "low_income_lico_at_pct",
        "income-gini": "gini_adjusted_household_after_tax_income",
    }
    for line, row in _dict_rows(header, rows):
        for indicator, column in columns.items():
            if row[column].strip() not in NOT_AVAILABLE:
                yield Record(line, row["cmauid"], indicator, "2021", row[column], "", column)


def _immigrants_2016(header: list[str], rows: Iterator[list[str]]) -> Iterator[Record]:
    totals: dict[str, tuple[int, float]] = {}
    recent: dict[str, tuple[int, float]] = {}
    for line, row in _dict_rows(header, rows):
        code = row["sgc_code"]
        if not code.isdigit() or len(code) > 3:  # provincial parts of a CMA, remainders
            continue
        count = _number(row["total"])
        if isinstance(count, str):  # validation reports it as not a number
            yield Record(line, code, "immigrants", "2016", count, "", "total")
            continue
        if count is None:
            continue
        if row["period_of_immigration"] == "Total immigrant population":
            totals[code] = (line, count)
            yield Record(line, code, "immigrants", "2016", count, "", "total")
        elif row["period_of_immigration"] == "2011 to 2016":
            recent[code] = (line, count)
            yield Record(line, code, "recent-immigrants", "2016", count, "", "total")
    for code, (line, count) in recent.items():
        if code in totals and totals[code][1]:
            share = count / totals[code][1] * 100
            yield Record(
                line, code, "recent-immigrant-share-of-immigrants", "2016", share, "", "total"
            )


def _crime_severity(header: list[str], rows: Iterator[list[str]]) -> Iterator[Record]:
    columns = {
        "crime-severity-index": "crime_severity_index",
        "violent-crime-severity-index": "violent_crime_severity_index",
    }
    for line, row in _dict_rows(header, rows):
        if " part " in row["geo"]:  # Ottawa–Gatineau parts: the whole area is in the file too
            continue
        for indicator, column in columns.items():
            if row[column].strip() not in NOT_AVAILABLE:
                yield Record(
                    line,
                    code_from_dguid(row["dguid"]),
                    indicator,
                    row["ref_year"],
                    row[column],
                    "",
                    column,
                )


Reader = Callable[[list[str], Iterator[list[str]]], Iterator[Record]]
# Each layout: its name, how its header is recognised, the columns it cannot do without (a part
# of the column's name for the population table, whose headings carry footnote numbers), and
# its reader. A recognised file that lacks one of these is refused with every missing column.
LAYOUTS: list[tuple[str, Callable[[list[str]], bool], tuple[str, ...], Reader]] = [
    (
        "98-10-0002-01",
        lambda h: any("Population and dwelling counts" in c for c in h),
        tuple(POPULATION_COLUMNS.values()),
        _population_table,
    ),
    (
        "community-well-being",
        lambda h: "CSD_Code_2021" in h,
        (
            "CSD_Code_2021",
            "Income_2021",
            "Education_2021",
            "Housing_2021",
            "Labour_Force_Activity_2021",
            "CWB_2021",
        ),
        _community_well_being,
    ),
    (
        "visible-minority",
        lambda h: "visible_minority_total" in h,
        ("csduid", "visible_minority_total", "private_household_population"),
        _visible_minority,
    ),
    (
        "census-profile-cma",
        lambda h: "median_after_tax_household_income_2020" in h,
        (
            "cmauid",
            "median_after_tax_household_income_2020",
            "unemployment_rate_2021",
            "tenant_households_spending_30pct_plus_pct",
            "low_income_lim_at_pct",
            "low_income_lico_at_pct",
            "gini_adjusted_household_after_tax_income",
        ),
        _cma_profile,
    ),
    (
        "immigrants-2016",
        lambda h: "period_of_immigration" in h,
        ("sgc_code", "period_of_immigration", "total"),
        _immigrants_2016,
    ),
    (
        "35-10-0026-01",
        lambda h: "crime_severity_index" in h and "ref_year" in h,
        ("geo", "dguid", "ref_year", "crime_severity_index", "violent_crime_severity_index"),
        _crime_severity,
    ),
]
FULL_TABLE_COLUMNS = ("REF_DATE", "GEO", "DGUID", "UOM", "SCALAR_FACTOR", "VALUE", "STATUS")
CENSUS_PROFILE_COLUMNS = ("CENSUS_YEAR", "DGUID", "CHARACTERISTIC_ID", "C1_COUNT_TOTAL")


def _require(header: list[str], columns: tuple[str, ...], partial: bool = False) -> None:
    """Refuse a recognised file that lacks columns its reader needs, naming every one."""
    missing = [c for c in columns if not (any(c in h for h in header) if partial else c in header)]
    if missing:
        raise ImportRejected([RowError(1, c, "", str(MISSING_COLUMN)) for c in missing])


def read_statcan(
    stream: BinaryIO, encoding: str | None, mappings: dict[str, Any]
) -> Iterator[Record]:
    """Records of a Statistics Canada file; `mappings` serve its generic layouts."""
    rows = table_rows(stream, encoding)
    first = next(rows, None)
    if not first:
        raise ImportRejected([RowError(1, "", "", str(EMPTY_FILE))])
    header = [h.strip() for h in first]
    if is_full_table(header):
        _require(header, FULL_TABLE_COLUMNS)
        yield from read_full_table(header, rows, mappings)
        return
    if is_census_profile(header):
        _require(header, CENSUS_PROFILE_COLUMNS)
        yield from read_census_profile(header, rows, mappings)
        return
    for name, matches, columns, reader in LAYOUTS:
        if matches(header):
            _require(header, columns, partial=name == "98-10-0002-01")
            yield from reader(header, rows)
            return
    raise ImportRejected([RowError(1, "", ",".join(header)[:120], str(UNKNOWN_LAYOUT))])
