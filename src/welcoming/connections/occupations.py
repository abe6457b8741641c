"""NOC 2021 unit groups (data/noc/, Statistics Canada and ESDC): codes and English titles.

Only English titles are published in the shipped file (data/noc/SOURCE.md); French pages show
the English title marked `lang="en"` until French titles exist.
"""

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

NOC_FILE = Path(__file__).resolve().parent.parent / "data" / "noc" / "noc_2021_v1_structure_en.csv"
UNIT_GROUP_LEVEL = "5"


@dataclass(frozen=True, slots=True)
class UnitGroup:
    code: str  # five digits
    title_en: str


@functools.cache
def unit_groups() -> dict[str, UnitGroup]:
    """Every NOC 2021 unit group by code (516), read once per process."""
    with NOC_FILE.open(encoding="utf-8", newline="") as handle:
        return {
            row["code"]: UnitGroup(code=row["code"], title_en=row["title_en"])
            for row in csv.DictReader(handle)
            if row["level"] == UNIT_GROUP_LEVEL
        }


def unit_group_title(code: str) -> str:
    """The English title of a unit group; empty for an unknown or empty code."""
    group = unit_groups().get(code)
    return group.title_en if group else ""


def unit_group_choices() -> list[tuple[str, str]]:
    """(code, "code – title") pairs sorted by code, for a form's select."""
    return [(g.code, f"{g.code} – {g.title_en}") for g in unit_groups().values()]
