"""The directory as HSDS 3.0: JSON objects (for the export and the API) and the tabular CSV form.

`bilingual=True` writes Welcoming's bilingual profile (docs/directory.md): each object's HSDS
fields in English (or in the only language there is, named in `x-lang`), its French text in an
`x-fr` object, and its last-verified date as `x-last-verified`. `bilingual=False` writes plain
HSDS, valid against the official schemas in their strict mode too.
"""

import csv
import datetime as dt
import json
import shutil
from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from .. import models as m
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
    attname,
)
from .schema import SCHEMA_DIR

DATAPACKAGE = SCHEMA_DIR.parent / "datapackage.json"
PROFILE = "https://welcoming.ca/hsds/bilingual-profile/1.0"
JSON_FILE = "directory.json"
CHUNK = 2_000


@cache
def _required(entity: str) -> frozenset[str]:
    with (SCHEMA_DIR / f"{entity}.json").open(encoding="utf-8") as f:
        return frozenset(json.load(f).get("required", []))


def _json_value(kind: Kind, value: Any) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if kind == Kind.FLOAT:
        return float(value)
    return value


class Serializer:
    """Turns model objects into HSDS objects; references become the targets' HSDS ids."""

    def __init__(self, *, bilingual: bool = True) -> None:
        self.bilingual = bilingual
        self._ids: dict[type[Any], dict[int, str]] = {}

    def _hsds_id(self, model: type[Any], pk: int | None) -> str | None:
        if pk is None:
            return None
        if model not in self._ids:
            self._ids[model] = {
                p: str(h) for p, h in model.objects.values_list("pk", "hsds_id").iterator()
            }
        return self._ids[model].get(pk)

    def object(self, table: Table, obj: Any) -> dict[str, Any]:
        required = _required(table.entity)
        out: dict[str, Any] = {"id": str(obj.hsds_id)}
        for ref in table.refs:
            target = obj._meta.get_field(ref.attr).related_model
            value = self._hsds_id(target, getattr(obj, f"{ref.attr}_id"))
            if value is not None:
                out[ref.name] = value
        french, lang = {}, {}
        for spec in table.fields:
            name = attname(spec)
            if spec.name.startswith("x-"):
                value = _json_value(spec.kind, getattr(obj, name))
                if self.bilingual and value is not None:
                    out[spec.name] = value
                continue
            if spec.kind == Kind.TEXT:
                en, fr = getattr(obj, f"{name}_en") or "", getattr(obj, f"{name}_fr") or ""
                value = en or fr
                if fr and en:
                    french[spec.name] = fr
                elif fr:
                    lang[spec.name] = "fr"
            else:
                value = _json_value(spec.kind, getattr(obj, name))
            if value is not None and value != "":
                out[spec.name] = value
            elif spec.name in required:
                out[spec.name] = ""
        if table is ATTRIBUTE:
            out["link_entity"] = obj.link_entity
            out["link_id"] = self._link_id(obj)
            out.setdefault("link_type", "")
        if self.bilingual and french:
            out["x-fr"] = french
        if self.bilingual and lang:
            out["x-lang"] = lang
        for child in table.children:
            accessor = _accessor(table, child.key)
            items = [self.object(child.table, sub) for sub in getattr(obj, accessor).all()]
            if items:
                out[child.key] = items
        for name in required:
            out.setdefault(name, "")
        return out

    def _link_id(self, attribute: Any) -> str:
        fk = attribute.link_entity
        model = attribute._meta.get_field(fk).related_model
        return self._hsds_id(model, getattr(attribute, f"{fk}_id")) or ""


@cache
def _accessor_map() -> dict[tuple[str, str], str]:
    found = {}
    for table in all_tables():
        for child in table.children:
            fk = child.table.model._meta.get_field(child.fk)
            found[(table.entity, child.key)] = fk.remote_field.get_accessor_name()
    return found


def _accessor(table: Table, key: str) -> str:
    return _accessor_map()[(table.entity, key)]


def _prefetches(table: Table, prefix: str = "") -> list[str]:
    paths = []
    for child in table.children:
        path = f"{prefix}{_accessor(table, child.key)}"
        paths.append(path)
        paths += _prefetches(child.table, f"{path}__")
    return paths


def queryset(table: Table) -> QuerySet[Any]:
    """The table's records with everything nested in them, in a fixed number of queries."""
    qs = table.model.objects.order_by("pk").prefetch_related(*_prefetches(table))
    if table is ORGANIZATION:
        # Organizations with a directory presence: imported, or providing a service or site.
        qs = qs.filter(
            ~Q(source="")
            | Exists(m.Service.objects.filter(organization=OuterRef("pk")))
            | Exists(m.Location.objects.filter(organization=OuterRef("pk")))
        )
    return qs


def objects(
    table: Table, serializer: Serializer, qs: QuerySet[Any] | None = None
) -> Iterator[dict[str, Any]]:
    qs = queryset(table) if qs is None else qs
    last = 0
    while True:
        chunk = list(qs.filter(pk__gt=last)[:CHUNK])
        if not chunk:
            return
        for obj in chunk:
            yield serializer.object(table, obj)
        last = chunk[-1].pk


DATASET_KEYS = {
    "organizations": ORGANIZATION,
    "programs": PROGRAM,
    "locations": LOCATION,
    "services": SERVICE,
    "taxonomies": TAXONOMY,
    "taxonomy_terms": TAXONOMY_TERM,
}


def dataset(*, bilingual: bool = True) -> dict[str, Any]:
    """The whole directory as one JSON document: a list per top-level HSDS object."""
    serializer = Serializer(bilingual=bilingual)
    out: dict[str, Any] = {key: list(objects(t, serializer)) for key, t in DATASET_KEYS.items()}
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
