"""Municipal files: the wide 2021 Census Profile extract and the facility registers (LODE).

- Census extract: one row per census subdivision (`csduid`), one column per characteristic,
  already a percentage or a figure as Statistics Canada publishes it.
- Religion extract: one row per census subdivision (`code`), religion shares; read into one
  diversity index.
- Facility registers (ODHF, ODCAF): one row per facility with its CSD code; counted per
  municipality and divided by its population, per 10,000 people. A register is incomplete: where
  it holds too few facilities of a kind for a province (under a quarter of the national rate),
  a municipality with no row has no value, not zero.
"""

from collections import Counter
from collections.abc import Callable, Iterator, Mapping

from .records import Record
from .stream import dict_rows

Populations = Callable[[], Mapping[str, int]]
PER = 10_000
COVERAGE_SHARE = 0.25  # a province's register rate under this share of Canada's: no coverage

CENSUS_EXTRACT_COLUMNS = {
    "commuters-public-transit": "commute_transit_pct",
    "tenant-shelter-cost-30": "tenant_burden",
    "owner-shelter-cost-30": "owner_burden",
    "unemployment-rate": "unemployment",
    "immigrant-share": "immigrants_pct",
    "knowledge-both-official-languages": "bilingual_pct",
    "french-first-official-language": "french_pct",
    "dwellings-major-repairs": "major_repairs_pct",
    "median-household-income": "median_hh_income",
}
RELIGIONS = ("christian_pct", "muslim_pct", "jewish_pct", "sikh_pct", "hindu_pct", "buddhist_pct")

HEALTH_TYPES = {"hospitals", "ambulatory health care services"}
CULTURE_TYPES = {
    "library or archives",
    "museum",
    "gallery",
    "heritage or historic site",
    "theatre/performance and concert hall",
}
LIBRARY_TYPES = {"library or archives"}


def read_census_extract(header: list[str], rows: Iterator[list[str]]) -> Iterator[Record]:
    """Every non-blank cell of the mapped columns; blank cells are suppressed in the profile."""
    for line, row in dict_rows(header, rows):
        for indicator, column in CENSUS_EXTRACT_COLUMNS.items():
            text = (row.get(column) or "").strip()
            if text:
                yield Record(line, row["csduid"].strip(), indicator, "2021", text, "", column)


def religious_diversity(shares: Mapping[str, float], no_religion: float) -> float | None:
    """1 − Σ share² over the religions of the people who state one (0: one faith; towards 1:
    many). The faiths the extract does not name are taken together as one more group."""
    religious = 100.0 - no_religion
    if religious <= 0:
        return None
    named = list(shares.values())
    other = max(religious - sum(named), 0.0)
    total = sum(named) + other
    if total <= 0:
        return None
    return 1.0 - sum((s / total) ** 2 for s in [*named, other])


def read_religion_extract(header: list[str], rows: Iterator[list[str]]) -> Iterator[Record]:
    for line, row in dict_rows(header, rows):
        try:
            shares = {c: float(row[c]) for c in RELIGIONS}
            no_religion = float(row["no_religion_pct"])
        except ValueError:
            yield Record(line, row["code"].strip(), "religious-diversity", "2021", "?", "", "code")
            continue
        value = religious_diversity(shares, no_religion)
        if value is not None:
            yield Record(
                line, row["code"].strip(), "religious-diversity", "2021", value, "", "code"
            )


def _register(
    rows: Iterator[tuple[int, dict[str, str]]],
    *,
    code_column: str,
    type_column: str,
    groups: Mapping[str, set[str]],
    period: str,
    populations: Populations,
) -> Iterator[Record]:
    """Facilities per 10,000 people by municipality, for each group of facility types."""
    counts: dict[str, Counter[str]] = {group: Counter() for group in groups}
    first_line: dict[str, int] = {}
    for line, row in rows:
        code = (row.get(code_column) or "").strip().split(".")[0]
        kind = (row.get(type_column) or "").strip().lower()
        if not code.isdigit() or len(code) != 7:
            continue  # a facility the register could not place in a municipality
        for group, kinds in groups.items():
            if kind in kinds:
                counts[group][code] += 1
                first_line.setdefault(code, line)
    people = populations()
    canada = sum(people.values()) or 1
    for group, found in counts.items():
        by_province: Counter[str] = Counter()
        province_people: Counter[str] = Counter()
        for code, count in found.items():
            by_province[code[:2]] += count
        for code, population in people.items():
            province_people[code[:2]] += population
        national = sum(found.values()) / canada
        covered = {
            province
            for province, population in province_people.items()
            if population and by_province[province] / population >= COVERAGE_SHARE * national
        }
        for code, population in people.items():
            if code[:2] not in covered or not population:
                continue
            # A facility whose 2016 municipality code has no 2021 match cannot be placed.
            yield Record(
                first_line.get(code, 1),
                code,
                group,
                period,
                found.get(code, 0) / population * PER,
                "",
                code_column,
            )


def read_health_register(
    header: list[str], rows: Iterator[list[str]], populations: Populations
) -> Iterator[Record]:
    """Open Database of Healthcare Facilities: hospitals and ambulatory care per 10,000."""
    yield from _register(
        dict_rows(header, rows),
        code_column="CSDuid",
        type_column="odhf_facility_type",
        groups={"health-facilities-per-10000": HEALTH_TYPES},
        period="2020",
        populations=populations,
    )


def read_culture_register(
    header: list[str], rows: Iterator[list[str]], populations: Populations
) -> Iterator[Record]:
    """Open Database of Cultural and Art Facilities: cultural venues and libraries per 10,000."""
    yield from _register(
        dict_rows(header, rows),
        code_column="CSDUID",
        type_column="ODCAF_Facility_Type",
        groups={
            "cultural-facilities-per-10000": CULTURE_TYPES,
            "libraries-per-10000": LIBRARY_TYPES,
        },
        period="2020",
        populations=populations,
    )
