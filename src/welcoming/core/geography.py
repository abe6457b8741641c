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
CMACA_TABLE = Path("geo") / "csd_cma_2021" / "cmaca_list_2021.csv"
CSD_CMACA_TABLE = Path("geo") / "csd_cma_2021" / "csd_to_cmaca_2021.csv"
CSD_POINTS_TABLE = Path("geo") / "csd_points_2021" / "csd_points_2021.csv"
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
    csd_type: str = ""
    cma_kind: str = ""  # "CMA" or "CA" for a metropolitan area, else empty
    metropolitan_code: str | None = None  # the CMA or CA a municipality lies in


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


@dataclass(frozen=True)
class CsdGeography:
    """What the 2021 geography files say about one municipality beyond its population."""

    csd_type: str
    metropolitan_code: str | None
    population: int | None
    point: tuple[float, float] | None


def read_csd_geography(data_dir: Path) -> dict[str, CsdGeography]:
    """Type, CMA or CA, population and interior point of every 2021 census subdivision."""
    points: dict[str, tuple[float, float]] = {}
    with (data_dir / CSD_POINTS_TABLE).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            points[row["CSDUID"]] = (float(row["interior_lat"]), float(row["interior_lon"]))
    found: dict[str, CsdGeography] = {}
    with (data_dir / CSD_CMACA_TABLE).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = row["CSDUID"]
            found[code] = CsdGeography(
                row["CSDTYPE"].strip(),
                row["CMAUID"].strip() or None,
                _count(row["population_2021"]),
                points.get(code),
            )
    return found


def read_cmaca_table(path: Path, csds: dict[str, CsdGeography]) -> Iterator[Place]:
    """The 41 census metropolitan areas and 111 census agglomerations of 2021, with populations.

    An area that spans two provinces (Ottawa - Gatineau, Lloydminster, Campbellton, Hawkesbury)
    is filed under the province where most of its people live.
    """
    people: dict[tuple[str, str], int] = {}
    for code, csd in csds.items():
        if csd.metropolitan_code:
            key = (csd.metropolitan_code, code[:2])
            people[key] = people.get(key, 0) + (csd.population or 0)
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = row["CMAUID"]
            provinces = row["pruids"].split("/")
            province = max(provinces, key=lambda p: (people.get((code, p), 0), p))
            name = row["CMANAME"]
            yield Place(
                code,
                row["DGUID"],
                name,
                name,
                "cma",
                province,
                _count(row["population_2021"]),
                cma_kind=row["CMA_KIND"],
            )


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


def _with_csd_geography(place: Place, csds: dict[str, CsdGeography]) -> Place:
    csd = csds.get(place.code) if place.level == "csd" else None
    if csd is None:
        return place
    latitude, longitude = csd.point or (place.latitude, place.longitude)
    return Place(
        **{
            **place.__dict__,
            "csd_type": csd.csd_type,
            "metropolitan_code": csd.metropolitan_code,
            "latitude": latitude,
            "longitude": longitude,
        }
    )


def read_geography(data_dir: Path) -> list[Place]:
    """Every community Welcoming knows, parents before children.

    A municipality gets the interior point of its 2021 boundary; a province or metropolitan area
    the point of its same-named town, when there is one.
    """
    points = read_place_points(data_dir / PLACES_TABLE)
    csds = read_csd_geography(data_dir)
    places = list(read_population_table(data_dir / POPULATION_TABLE))
    places += read_cmaca_table(data_dir / CMACA_TABLE, csds)
    order = {"country": 0, "province": 1, "cma": 2, "csd": 3}
    return [
        _with_csd_geography(place, csds) if place.level == "csd" else locate(place, points)
        for place in sorted(places, key=lambda p: (order[p.level], p.code))
    ]
