"""Statistics Canada's generic downloads, read through the mappings in indicator definitions.

- Full-table CSV (REF_DATE, GEO, DGUID, dimension columns..., UOM, ..., VALUE, STATUS, SYMBOL):
  an indicator declares `statcan: {full_table: {member: {"<dimension>": "<member>"}}}`.
- Census Profile CSV (CENSUS_YEAR, DGUID, ..., CHARACTERISTIC_ID, ..., C1_COUNT_TOTAL, SYMBOL):
  an indicator declares `statcan: {census_profile: {characteristic: N, denominator: M}}`; with a
  denominator the value is a share, N / M × 100, computed from the counts.
"""

import math
from collections.abc import Iterator
from typing import Any

from .records import Record

SCALE = {"units": 1.0, "tens": 10.0, "hundreds": 100.0, "thousands": 1e3, "millions": 1e6}
STATUS = {"x": "suppressed", "F": "suppressed", "E": "estimate"}
NOT_AVAILABLE = {"", "..", "...", "."}


def code_from_dguid(dguid: str) -> str:
    """SGC code of a 2021 DGUID: Canada 01, province 35, CSD 3520005, CMA 535."""
    if dguid == "2021A000011124":
        return "01"
    if dguid.startswith("2021A0002"):
        return dguid[-2:]
    if dguid.startswith("2021A0005"):
        return dguid[-7:]
    if dguid.startswith(("2021S0503", "2021A0035")):
        return dguid[-3:]
    return dguid


def is_full_table(header: list[str]) -> bool:
    return header[:3] == ["REF_DATE", "GEO", "DGUID"] and "VALUE" in header and "UOM" in header


def is_census_profile(header: list[str]) -> bool:
    return {"CENSUS_YEAR", "DGUID", "CHARACTERISTIC_ID", "C1_COUNT_TOTAL"} <= set(header)


def read_full_table(
    header: list[str], rows: Iterator[list[str]], mappings: dict[str, Any]
) -> Iterator[Record]:
    dimensions = header[3 : header.index("UOM")]
    at = {name: header.index(name) for name in ("VALUE", "SCALAR_FACTOR", "STATUS")}
    wanted = [
        (code, m["full_table"]["member"]) for code, m in mappings.items() if "full_table" in m
    ]
    for line, row in enumerate(rows, start=2):
        if len(row) < len(header):
            continue
        members = dict(zip(dimensions, row[3 : 3 + len(dimensions)], strict=True))
        for code, member in wanted:
            if any(members.get(k) != v for k, v in member.items()):
                continue
            status = STATUS.get(row[at["STATUS"]].strip(), "")
            text = row[at["VALUE"]].strip()
            if text in NOT_AVAILABLE and status != "suppressed":
                continue
            value: str | float | None = None if text in NOT_AVAILABLE else text
            scale = SCALE.get(row[at["SCALAR_FACTOR"]].strip().lower(), 1.0)
            if value is not None and scale != 1.0:
                try:
                    value = float(text) * scale
                except ValueError:
                    value = text  # validation reports it as not a number
            yield Record(line, code_from_dguid(row[2]), code, row[0][:4], value, status, "VALUE")


def read_census_profile(
    header: list[str], rows: Iterator[list[str]], mappings: dict[str, Any]
) -> Iterator[Record]:
    """Keeps only the counts that mappings name: a whole profile has thousands per place."""
    at = {n: header.index(n) for n in ("CENSUS_YEAR", "DGUID", "CHARACTERISTIC_ID")}
    count_at = header.index("C1_COUNT_TOTAL")
    symbol_at = count_at + 1
    wanted = {code: m["census_profile"] for code, m in mappings.items() if "census_profile" in m}
    needed = {p["characteristic"] for p in wanted.values()}
    needed |= {p["denominator"] for p in wanted.values() if p.get("denominator")}
    counts: dict[tuple[str, int], tuple[int, str, str]] = {}
    years: dict[str, str] = {}
    for line, row in enumerate(rows, start=2):
        if len(row) <= symbol_at or not row[at["CHARACTERISTIC_ID"]].strip().isdigit():
            continue
        characteristic = int(row[at["CHARACTERISTIC_ID"]])
        if characteristic in needed:
            dguid = row[at["DGUID"]]
            years[dguid] = row[at["CENSUS_YEAR"]]
            counts[(dguid, characteristic)] = (line, row[count_at].strip(), row[symbol_at].strip())
    for dguid, year in years.items():
        for code, profile in wanted.items():
            found = counts.get((dguid, profile["characteristic"]))
            if found is None:
                continue
            line, text, symbol = found
            status = STATUS.get(symbol, "")
            if text in NOT_AVAILABLE:
                if status == "suppressed":
                    yield Record(
                        line, code_from_dguid(dguid), code, year, None, status, "C1_COUNT_TOTAL"
                    )
                continue
            value: str | float = text
            if profile.get("denominator"):
                denominator = counts.get((dguid, profile["denominator"]))
                if denominator is None or denominator[1] in NOT_AVAILABLE:
                    continue
                value = _share(text, denominator[1])
                if isinstance(value, float) and math.isnan(value):
                    continue  # a denominator of zero: no share
            yield Record(line, code_from_dguid(dguid), code, year, value, status, "C1_COUNT_TOTAL")


def _share(count: str, base: str) -> str | float:
    """count / base × 100; the text at fault when either is not a number (validation names it);
    NaN when the base is zero."""
    try:
        numerator = float(count)
    except ValueError:
        return count
    try:
        denominator = float(base)
    except ValueError:
        return base
    return numerator / denominator * 100 if denominator else math.nan
