"""Statistics Canada (and related) files, each recognised from its header.

Each reader turns a published layout into records keyed on Statistics Canada codes and computes
shares from counts where the file gives counts. The computation of each indicator is documented
in src/welcoming/data/indicators/*.yaml and docs/indicators.md.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from .generic import (
    code_from_dguid,
    is_census_profile,
    is_full_table,
    read_census_profile,
    read_full_table,
)
from .municipal import (
    RELIGIONS,
    Populations,
    read_census_extract,
    read_culture_register,
    read_health_register,
    read_religion_extract,
)
from .records import (
    EMPTY_FILE,
    MISSING_COLUMN,
    UNKNOWN_LAYOUT,
    ImportRejected,
    Record,
    RowError,
)
from .stream import dict_rows, table_rows

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


def _community_well_being(header: list[str], rows: Iterator[list[str]]) -> Iterator[Record]:
    columns = {
        "cwb-income": "Income_2021",
        "cwb-education": "Education_2021",
        "cwb-housing": "Housing_2021",
        "cwb-labour-force": "Labour_Force_Activity_2021",
        "cwb-overall": "CWB_2021",
    }
    for line, row in dict_rows(header, rows):
        for indicator, column in columns.items():
            if row[column].strip():
                yield Record(line, row["CSD_Code_2021"], indicator, "2021", row[column], "", column)


def _visible_minority(header: list[str], rows: Iterator[list[str]]) -> Iterator[Record]:
    for line, row in dict_rows(header, rows):
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
    for line, row in dict_rows(header, rows):
        for indicator, column in columns.items():
            if row[column].strip() not in NOT_AVAILABLE:
                yield Record(line, row["cmauid"], indicator, "2021", row[column], "", column)


def _immigrants_2016(header: list[str], rows: Iterator[list[str]]) -> Iterator[Record]:
    totals: dict[str, tuple[int, float]] = {}
    recent: dict[str, tuple[int, float]] = {}
    for line, row in dict_rows(header, rows):
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
    for line, row in dict_rows(header, rows):
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


def _single_riding_turnout(header: list[str], rows: Iterator[list[str]]) -> Iterator[Record]:
    for line, row in dict_rows(header, rows):
        yield Record(
            line, row["csduid"], "federal-turnout", "2021", row["turnout_pct"], "", "turnout_pct"
        )


Reader = Callable[[list[str], Iterator[list[str]]], Iterator[Record]]
RegisterReader = Callable[[list[str], Iterator[list[str]], Populations], Iterator[Record]]
# Each layout: its name, how its header is recognised, its reader, and the source (a name under
# `sources:` in the indicator definitions) that every value it brings is credited to.
LAYOUTS: list[tuple[str, Callable[[list[str]], bool], Reader, str]] = [
    (
        "98-10-0002-01",
        lambda h: any("Population and dwelling counts" in c for c in h),
        _population_table,
        "population",
    ),
    ("community-well-being", lambda h: "CSD_Code_2021" in h, _community_well_being, "cwb"),
    (
        "visible-minority",
        lambda h: "visible_minority_total" in h,
        _visible_minority,
        "visible-minority",
    ),
    (
        "census-profile-cma",
        lambda h: "median_after_tax_household_income_2020" in h,
        _cma_profile,
        "census-profile-cma",
    ),
    (
        "immigrants-2016",
        lambda h: "period_of_immigration" in h,
        _immigrants_2016,
        "immigrants-2016",
    ),
    (
        "35-10-0026-01",
        lambda h: "crime_severity_index" in h and "ref_year" in h,
        _crime_severity,
        "crime-severity",
    ),
    (
        "census-profile-csd-extract",
        lambda h: "csduid" in h and "tenant_burden" in h,
        read_census_extract,
        "census-profile-csd",
    ),
    (
        "census-profile-csd-religion",
        lambda h: "code" in h and "christian_pct" in h,
        read_religion_extract,
        "census-profile-csd",
    ),
    (
        "federal-turnout-single-riding",
        lambda h: "csduid" in h and "turnout_pct" in h,
        _single_riding_turnout,
        "federal-turnout",
    ),
]
REGISTERS: list[tuple[str, Callable[[list[str]], bool], RegisterReader, str]] = [
    ("odhf", lambda h: "odhf_facility_type" in h, read_health_register, "odhf"),
    ("odcaf", lambda h: "ODCAF_Facility_Type" in h, read_culture_register, "odcaf"),
]
GENERIC = "statcan-generic"

# The columns each layout cannot do without (a part of the column's name for the population
# table, whose headings carry footnote numbers). A recognised file that lacks one of these is
# refused with every missing column named.
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "98-10-0002-01": tuple(POPULATION_COLUMNS.values()),
    "community-well-being": (
        "CSD_Code_2021",
        "Income_2021",
        "Education_2021",
        "Housing_2021",
        "Labour_Force_Activity_2021",
        "CWB_2021",
    ),
    "visible-minority": ("csduid", "visible_minority_total", "private_household_population"),
    "census-profile-cma": (
        "cmauid",
        "median_after_tax_household_income_2020",
        "unemployment_rate_2021",
        "tenant_households_spending_30pct_plus_pct",
        "low_income_lim_at_pct",
        "low_income_lico_at_pct",
        "gini_adjusted_household_after_tax_income",
    ),
    "immigrants-2016": ("sgc_code", "period_of_immigration", "total"),
    "35-10-0026-01": (
        "geo",
        "dguid",
        "ref_year",
        "crime_severity_index",
        "violent_crime_severity_index",
    ),
    "census-profile-csd-extract": ("csduid",),  # the other columns may be left out
    "census-profile-csd-religion": ("code", "no_religion_pct", *RELIGIONS),
    "federal-turnout-single-riding": ("csduid", "turnout_pct"),
    "odhf": ("CSDuid", "odhf_facility_type"),
    "odcaf": ("CSDUID", "ODCAF_Facility_Type"),
    "full-table": ("REF_DATE", "GEO", "DGUID", "UOM", "SCALAR_FACTOR", "VALUE", "STATUS"),
    "census-profile": ("CENSUS_YEAR", "DGUID", "CHARACTERISTIC_ID", "C1_COUNT_TOTAL"),
}


def _require(header: list[str], layout: str) -> None:
    """Refuse a recognised file that lacks columns its reader needs, naming every one."""
    partial = layout == "98-10-0002-01"
    columns = REQUIRED_COLUMNS.get(layout, ())
    missing = [c for c in columns if not (any(c in h for h in header) if partial else c in header)]
    if missing:
        raise ImportRejected([RowError(1, c, "", str(MISSING_COLUMN)) for c in missing])


@dataclass
class Layout:
    """Filled in once a file's header is read: which layout it is and whose data it holds."""

    name: str = ""
    source: str = ""


def read_statcan(
    stream: BinaryIO,
    encoding: str | None,
    mappings: dict[str, Any],
    *,
    populations: Populations = dict,
    layout: Layout | None = None,
) -> Iterator[Record]:
    """Records of a Statistics Canada file; `mappings` serve its generic layouts, `populations`
    (CSD code → people) its facility registers, and `layout` learns which layout it was."""
    found = layout if layout is not None else Layout()
    rows = table_rows(stream, encoding)
    first = next(rows, None)
    if not first:
        raise ImportRejected([RowError(1, "", "", str(EMPTY_FILE))])
    header = [h.strip() for h in first]
    if is_full_table(header):
        found.name, found.source = "full-table", GENERIC
        _require(header, found.name)
        yield from read_full_table(header, rows, mappings)
        return
    if is_census_profile(header):
        found.name, found.source = "census-profile", GENERIC
        _require(header, found.name)
        yield from read_census_profile(header, rows, mappings)
        return
    for name, matches, reader, source in LAYOUTS:
        if matches(header):
            found.name, found.source = name, source
            _require(header, name)
            yield from reader(header, rows)
            return
    for name, matches, register, source in REGISTERS:
        if matches(header):
            found.name, found.source = name, source
            _require(header, name)
            yield from register(header, rows, populations)
            return
    raise ImportRejected([RowError(1, "", ",".join(header)[:120], str(UNKNOWN_LAYOUT))])
