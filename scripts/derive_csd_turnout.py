"""Derive src/welcoming/data/elections/csd_turnout_2021_single_riding.csv (standard library only).

Joins three shared files: the approximate place -> 2023 riding list (one point per place), the
2021 municipalities with their type and population, and the 2021 federal results on the 2023
ridings. A municipality keeps its riding's turnout only when it can lie in that one riding: its
whole population is smaller than the riding's registered electors (a riding holds roughly four
people for every three electors, so such a municipality is well under the riding's size). A city of
several ridings is always left out. Where two municipalities of a province share the place's name
(Moncton C and Moncton P), the most populous is taken.

    python scripts/derive_csd_turnout.py /work/shared/data src/welcoming/data/elections
"""

import csv
import sys
import unicodedata
from pathlib import Path


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).lower().split())


def main(shared: Path, out_dir: Path) -> None:
    csds: dict[tuple[str, str], list[dict[str, str]]] = {}
    with (shared / "geo/csd_cma_2021/csd_to_cmaca_2021.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            csds.setdefault((fold(row["CSDNAME"]), row["PT"]), []).append(row)
    ridings: dict[tuple[str, str], dict[str, str]] = {}
    with (shared / "elections/fed2023_2021results_turnout.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            ridings[(row["riding_name_en"], row["prov"])] = row
    places = shared / "statcan/census2021_csd_extract/place_to_fed2023_746places.csv"
    kept: dict[str, list[str]] = {}
    with places.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            matches = csds.get((fold(row["place"]), row["prov"]))
            riding = ridings.get((row["fed2023_name"], row["prov"]))
            if not matches or riding is None:
                continue
            csd = max(matches, key=lambda r: int(r["population_2021"] or 0))
            population = int(csd["population_2021"] or 0)
            if not population or population >= int(riding["registered_voters"]):
                continue
            kept[csd["CSDUID"]] = [
                csd["CSDUID"],
                csd["CSDNAME"],
                csd["CSDTYPE"],
                str(population),
                riding["fed_code_2023"],
                riding["riding_name_en"],
                riding["registered_voters"],
                riding["turnout_pct"],
            ]
    out_dir.mkdir(parents=True, exist_ok=True)
    with (out_dir / "csd_turnout_2021_single_riding.csv").open("w", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(
            [
                "csduid",
                "csd_name",
                "csd_type",
                "population_2021",
                "fed_code_2023",
                "riding_name_en",
                "registered_voters",
                "turnout_pct",
            ]
        )
        writer.writerows(kept[code] for code in sorted(kept))
    print(f"{len(kept)} municipalities in one riding")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
