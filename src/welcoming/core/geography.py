"""Read Statistics Canada geography from the files shipped with Welcoming (no database here).

Communities are keyed on Statistics Canada codes, never on names: names repeat ("Halifax" is a
census division and a census subdivision) and accents vary ("Montréal"/"Montreal").
"""

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .text import fold

POPULATION_TABLE = Path("statcan") / "98-10-0002-01_population_dwellings_2021.csv"
CMA_TABLE = Path("statcan") / "census_2021_income_labour_housing_cma.csv"
PLACES_TABLE = Path("geo") / "canadacities_simplemaps.csv"

CANADA_CODE = "01"

# Province and territory codes (SGC) with their official French names and postal abbreviations.
PROVINCES: dict[str, tuple[str, str]] = {
    "10": ("Terre-Neuve-et-Labrador", "NL"),
    "11": ("Île-du-Prince-Édouard", "PE"),
    "12": ("Nouvelle-Écosse", "NS"),
    "13": ("Nouveau-Brunswick", "NB"),
    "24": ("Québec", "QC"),
    "35": ("Ontario", "ON"),
    "46": ("Manitoba", "MB"),
    "47": ("Saskatchewan", "SK"),
    "48": ("Alberta", "AB"),
    "59": ("Colombie-Britannique", "BC"),
    "60": ("Yukon", "YT"),
    "61": ("Territoires du Nord-Ouest", "NT"),
    "62": ("Nunavut", "NU"),
}


@dataclass(frozen=True)
class Place:
    """One community as the files describe it, before it becomes a database row."""

    code: str
    dguid: str
    name_en: str
    name_fr: str
    level: str
    parent_code: str | None
    population: int | None = None
    population_previous: int | None = None
    latitude: float | None = None
    longitude: float | None = None


def _count(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None


def read_population_table(path: Path) -> Iterator[Place]:
    """Canada, provinces and census subdivisions of table 98-10-0002-01 (divisions are skipped)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = csv.reader(handle)
        next(rows)
        for row in rows:
            if len(row) < 7:
                continue
            name, dguid = row[1], row[2]
            population, previous = _count(row[4]), _count(row[6])
            if dguid == "2021A000011124":
                yield Place(CANADA_CODE, dguid, name, name, "country", None, population, previous)
            elif dguid.startswith("2021A0002"):
                code = dguid[-2:]
                yield Place(
                    code,
                    dguid,
                    name,
                    PROVINCES[code][0],
                    "province",
                    CANADA_CODE,
                    population,
                    previous,
                )
            elif dguid.startswith("2021A0005"):
                code = dguid[-7:]
                yield Place(code, dguid, name, name, "csd", code[:2], population, previous)


def read_cma_table(path: Path) -> Iterator[Place]:
    """The census metropolitan areas; a CMA that spans two provinces is filed under the first."""
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            province = row["pruid"].split("/")[0]
            name = row["geo_name"]
            yield Place(row["cmauid"], row["dguid"], name, name, "cma", province)


def read_place_points(path: Path) -> dict[tuple[str, str], tuple[float, float]]:
    """Map (folded place name, province abbreviation) to a representative point."""
    points: dict[tuple[str, str], tuple[float, float]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            point = (float(row["lat"]), float(row["lng"]))
            name = fold(row["city"])
            points.setdefault((name, row["province_id"]), point)
            if name.endswith(" city"):
                points.setdefault((name.removesuffix(" city"), row["province_id"]), point)
    return points


def locate(place: Place, points: dict[tuple[str, str], tuple[float, float]]) -> Place:
    """Give a place the coordinates of the same-named town in its province, when there is one."""
    province = place.code[:2] if place.level == "csd" else (place.parent_code or "")
    abbreviation = PROVINCES.get(province, ("", ""))[1]
    first_name = place.name_en.split(" - ")[0]
    point = points.get((fold(first_name), abbreviation))
    if point is None:
        return place
    return Place(**{**place.__dict__, "latitude": point[0], "longitude": point[1]})


def read_geography(data_dir: Path) -> list[Place]:
    """Every community Welcoming knows, parents before children."""
    points = read_place_points(data_dir / PLACES_TABLE)
    places = list(read_population_table(data_dir / POPULATION_TABLE))
    places += read_cma_table(data_dir / CMA_TABLE)
    order = {"country": 0, "province": 1, "cma": 2, "csd": 3}
    return [locate(p, points) for p in sorted(places, key=lambda p: (order[p.level], p.code))]
