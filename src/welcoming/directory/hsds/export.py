"""The directory as HSDS 3.0: one JSON document (each object written by `serialise.Writer`, the
API's, in its dataset form) and the tabular CSV form.

`bilingual=True` writes Welcoming's bilingual profile (docs/directory.md): each object's HSDS
fields in English (or in the only language there is, named in `x-lang`), its French text in an
`x-fr` object, and its last-verified date as `x-last-verified`. `bilingual=False` writes plain
HSDS, valid against the official schemas in their strict mode too.
"""

import csv
import json
import shutil
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import translation

from .. import models as m
from . import serialise
from .mapping import (
    ATTRIBUTE,
    LOCATION,
    ORGANIZATION,
    PROGRAM,
    SERVICE,
    TAXONOMY,
    TAXONOMY_TERM,
    Kind,
    Table,
    all_tables,
)
from .schema import SCHEMA_DIR
from .serialise import Record, Writer

DATAPACKAGE = SCHEMA_DIR.parent / "datapackage.json"
PROFILE = "https://welcoming.ca/hsds/bilingual-profile/1.0"
JSON_FILE = "directory.json"
CHUNK = 2_000


DATASET_KEYS = {
    "organizations": ORGANIZATION,
    "programs": PROGRAM,
    "locations": LOCATION,
    "services": SERVICE,
    "taxonomies": TAXONOMY,
    "taxonomy_terms": TAXONOMY_TERM,
}


def _lists(writer: Writer) -> dict[str, tuple[QuerySet[Any], Callable[[Any], Record]]]:
    """Each top-level list: its records, and the API's function that writes one."""
    in_directory = (  # imported, or providing a service or a site
        ~Q(source="")
        | Exists(m.Service.objects.filter(organization=OuterRef("pk")))
        | Exists(m.Location.objects.filter(organization=OuterRef("pk")))
    )
    return {
        "organizations": (
            serialise.organizations(full=True, compiled=False).filter(in_directory),
            lambda organization: writer.organization(organization, full=True),
        ),
        "programs": (m.Program.objects.select_related("organization"), writer.program),
        "locations": (serialise.locations(), lambda location: writer.location(location, full=True)),
        "services": (
            serialise.services(full=True, compiled=False),
            lambda service: writer.service(service, full=True),
        ),
        "taxonomies": (m.Taxonomy.objects.all(), writer.taxonomy),
        "taxonomy_terms": (serialise.taxonomy_terms(), writer.taxonomy_term),
    }


def _chunked(rows: QuerySet[Any], write: Callable[[Any], Record]) -> Iterator[Record]:
    """In the order of the primary key, CHUNK records (and what they prefetch) at a time."""
    rows, last = rows.order_by("pk"), 0
    while chunk := list(rows.filter(pk__gt=last)[:CHUNK]):
        yield from (write(obj) for obj in chunk)
        last = chunk[-1].pk


def dataset(*, bilingual: bool = True) -> dict[str, Any]:
    """The whole directory as one JSON document: a list per top-level HSDS object, written by
    the API's `Writer` in English (French beside it, in `x-fr`, when `bilingual`), each record
    naming the others by id."""
    writer = Writer(bilingual=bilingual, compiled=False)
    with translation.override("en"):
        out: dict[str, Any] = {
            key: list(_chunked(rows, write)) for key, (rows, write) in _lists(writer).items()
        }
    if bilingual:
        out["x-profile"] = PROFILE
    return out


# --- the tabular form ---------------------------------------------------------------------------


@cache
def _package() -> dict[str, Any]:
    with DATAPACKAGE.open(encoding="utf-8") as f:
        package: dict[str, Any] = json.load(f)
    return package


def _columns(entity: str) -> list[str]:
    resource = next(r for r in _package()["resources"] if r["name"] == entity)
    return [f["name"] for f in resource["schema"]["fields"]]


def _flatten(
    table: Table, item: dict[str, Any], owner: tuple[str, str] | None
) -> Iterator[tuple[str, dict[str, Any]]]:
    row = {k: v for k, v in item.items() if not isinstance(v, list)}
    if owner is not None and table is not ATTRIBUTE:
        row[owner[0]] = owner[1]
    yield table.entity, row
    for child in table.children:
        for sub in item.get(child.key, []):
            yield from _flatten(child.table, sub, (f"{table.entity}_id", item["id"]))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e15 else str(value)
    return str(value)


def write_tabular(directory: Path, data: dict[str, Any], *, bilingual: bool = True) -> list[Path]:
    """The CSV files of the HSDS tabular data package, with its descriptor."""
    rows: dict[str, list[dict[str, Any]]] = {r["name"]: [] for r in _package()["resources"]}
    for key, top in DATASET_KEYS.items():
        for item in data.get(key, []):
            for entity, row in _flatten(top, item, None):
                rows[entity].append(row)
    written = []
    for resource in _package()["resources"]:
        entity = resource["name"]
        columns = _columns(entity)
        table = next((t for t in all_tables() if t.entity == entity), None)
        extra = []
        if bilingual and table is not None:
            extra = [f"x-fr:{f.name}" for f in table.fields if f.kind == Kind.TEXT]
            extra += [f.name for f in table.fields if f.name.startswith("x-") and f.name != "x-fr"]
            extra.append("x-lang")
        path = directory / resource["path"]
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(columns + extra)
            for row in rows[entity]:
                french = row.get("x-fr") or {}
                cells = [_cell(row.get(c)) for c in columns]
                for column in extra:
                    if column.startswith("x-fr:"):
                        cells.append(_cell(french.get(column[5:])))
                    elif column == "x-lang":
                        cells.append(",".join(sorted(row.get("x-lang") or {})))
                    else:
                        cells.append(_cell(row.get(column)))
                writer.writerow(cells)
        written.append(path)
    shutil.copyfile(DATAPACKAGE, directory / "datapackage.json")
    return written


def write_directory(directory: Path, *, bilingual: bool = True) -> dict[str, int]:
    """Export the directory into `directory`: directory.json and the tabular package."""
    directory.mkdir(parents=True, exist_ok=True)
    data = dataset(bilingual=bilingual)
    with (directory / JSON_FILE).open("w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
    write_tabular(directory, data, bilingual=bilingual)
    return {key: len(data[key]) for key in DATASET_KEYS}
