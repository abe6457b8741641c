"""Canadian postal codes to a representative point, for "near me" searches and matching distances.

GeoNames publishes one point per forward sortation area (the first three characters of a postal
code), not per full code, so a postal code is located to its FSA: about a neighbourhood in a city
and a whole region in the country. Callers say so to the person wherever a distance is shown.
The file is `data/geo/fsa_points_geonames.csv` (GeoNames, CC BY 4.0); FSAs listed twice (L9X, C0A)
are averaged.
"""

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext_lazy as _

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
FSA_POINTS_FILE = DATA_DIR / "geo" / "fsa_points_geonames.csv"
ATTRIBUTION = "GeoNames (https://www.geonames.org), CC BY 4.0"

# Canada Post: no D, F, I, O, Q or U anywhere; no W or Z as the first letter.
_FSA_PATTERN = r"[ABCEGHJ-NPRSTVXY][0-9][ABCEGHJ-NPRSTV-Z]"
_FSA = re.compile(_FSA_PATTERN)
_POSTAL_CODE = re.compile(rf"({_FSA_PATTERN})(?:[0-9][ABCEGHJ-NPRSTV-Z][0-9])?")

INVALID_POSTAL_CODE = _(
    "“%(value)s” is not a Canadian postal code: write it as A1A 1A1, or its first three "
    "characters (A1A)."
)
UNKNOWN_FSA = _("No location is known for the postal area %(fsa)s.")


class PostalCodeError(ValueError):
    """A postal code that is malformed or has no known point; the message is for the person."""


@dataclass(frozen=True, slots=True)
class FsaPoint:
    fsa: str
    place_name: str
    province_code: str
    latitude: float
    longitude: float


def forward_sortation_area(postal_code: str) -> str:
    """ "k1a 0b1", "K1A0B1" or "K1A" -> "K1A"; anything else raises PostalCodeError."""
    compact = "".join(postal_code.split()).upper()
    match = _POSTAL_CODE.fullmatch(compact)
    if match is None:
        raise PostalCodeError(INVALID_POSTAL_CODE % {"value": postal_code.strip()[:20]})
    return match.group(1)


def fsa_point(postal_code: str) -> FsaPoint:
    """The representative point of a postal code's forward sortation area."""
    fsa = forward_sortation_area(postal_code)
    point = fsa_points().get(fsa)
    if point is None:
        raise PostalCodeError(UNKNOWN_FSA % {"fsa": fsa})
    return point


@functools.cache
def fsa_points() -> dict[str, FsaPoint]:
    """Every FSA with a point, read once per process (1,652 rows, about 100 kB)."""
    rows: dict[str, list[dict[str, str]]] = {}
    with FSA_POINTS_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if _FSA.fullmatch(row["fsa"]):
                rows.setdefault(row["fsa"], []).append(row)
    return {fsa: _averaged(fsa, group) for fsa, group in rows.items()}


def _averaged(fsa: str, rows: list[dict[str, str]]) -> FsaPoint:
    return FsaPoint(
        fsa=fsa,
        place_name=rows[0]["place_name"],
        province_code=rows[0]["province_code"],
        latitude=sum(float(row["latitude"]) for row in rows) / len(rows),
        longitude=sum(float(row["longitude"]) for row in rows) / len(rows),
    )
