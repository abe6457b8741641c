"""HSDS 3.0 as published: JSON (Welcoming's dataset, an API page, a list or one object, with
objects nested as the API nests them) and the tabular CSV data package."""

import csv
import io
import json
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from ..feed import Feed, FeedError, Issue, Progress
from ..mapping import ATTRIBUTE, BY_ENTITY, TOP_LEVEL, Table, all_tables

DATASET_KEYS = {
    "organizations": "organization",
    "programs": "program",
    "locations": "location",
    "services": "service",
    "taxonomies": "taxonomy",
    "taxonomy_terms": "taxonomy_term",
}
SOURCE_KEY = "x-source"


def read_json(data: Any, *, progress: Progress | None = None) -> Feed:
    feed = Feed(format="hsds3", progress=progress)
    collector = _Collector(feed)
    if isinstance(data, dict) and any(key in data for key in DATASET_KEYS):
        feed.source = str(data.get(SOURCE_KEY) or "")
        for key, entity in DATASET_KEYS.items():
            for item in data.get(key) or []:
                collector.add(entity, item)
    elif isinstance(data, dict) and isinstance(data.get("contents"), list):
        for item in data["contents"]:
            collector.add(_entity_of(item), item)
    elif isinstance(data, list):
        for item in data:
            collector.add(_entity_of(item), item)
    elif isinstance(data, dict):
        collector.add(_entity_of(data), data)
    else:
        raise FeedError(_("This JSON holds no HSDS objects."))
    return feed


def _entity_of(item: Any) -> str:
    """A lone HSDS object's type, from the fields only it has."""
    if not isinstance(item, dict):
        return "service"
    if "status" in item or "service_at_locations" in item:
        return "service"
    if "location_type" in item:
        return "location"
    if "taxonomy_id" in item or "term_uri" in item or "code" in item:
        return "taxonomy_term"
    return "organization"


class _Collector:
    """Hoists nested objects (a service's organization, a service-at-location's location, an
    attribute's term) into records of their own, once each."""

    def __init__(self, feed: Feed) -> None:
        self.feed = feed
        self.ids: dict[str, set[str]] = {t.entity: set() for t in TOP_LEVEL}

    def add(self, entity: str, item: Any) -> None:
        if not isinstance(item, dict):
            self.feed.rejected.append(Issue(entity, "", "", _("not an object")))
            return
        item = dict(item)
        if entity == "service":
            self._hoist(item, "organization", "organization", "organization_id")
            self._hoist(item, "program", "program", "program_id")
            sals = []
            for sal in item.get("service_at_locations") or []:
                if isinstance(sal, dict):
                    sal = dict(sal)
                    self._hoist(sal, "location", "location", "location_id")
                sals.append(sal)
            if sals:
                item["service_at_locations"] = sals
        if entity == "organization":
            for key, sub in (
                ("programs", "program"),
                ("locations", "location"),
                ("services", "service"),
            ):
                for nested in item.pop(key, None) or []:
                    if isinstance(nested, dict):
                        self.add(
                            sub,
                            {
                                **nested,
                                "organization_id": nested.get("organization_id") or item.get("id"),
                            },
                        )
        if entity == "taxonomy_term":
            self._hoist(item, "taxonomy_detail", "taxonomy", "taxonomy_id")
        self._hoist_terms(item, BY_ENTITY.get(entity))
        record_id = str(item.get("id", ""))
        if record_id and record_id in self.ids[entity]:
            return  # the same object nested twice (two services of one organization)
        self.ids[entity].add(record_id)
        self.feed.add(entity, item)

    def _hoist(self, item: dict[str, Any], key: str, entity: str, id_key: str) -> None:
        nested = item.pop(key, None)
        if isinstance(nested, dict) and nested.get("id"):
            item.setdefault(id_key, nested["id"])
            if str(nested["id"]) not in self.ids[entity]:
                self.add(entity, nested)

    def _hoist_terms(self, item: dict[str, Any], table: Table | None) -> None:
        if table is None:
            return
        for child in table.children:
            for sub in item.get(child.key) or []:
                if not isinstance(sub, dict):
                    continue
                if child.table is ATTRIBUTE:
                    self._hoist(sub, "taxonomy_term", "taxonomy_term", "taxonomy_term_id")
                else:
                    self._hoist_terms(sub, child.table)


def read_json_file(path: Path, *, progress: Progress | None = None) -> Feed:
    try:
        with path.open(encoding="utf-8-sig") as f:
            data = json.load(f)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FeedError(_("This is not JSON: %(error)s") % {"error": error}) from None
    return read_json(data, progress=progress)


# --- the tabular form ---------------------------------------------------------------------------


def read_rows(path: Path) -> list[dict[str, str]]:
    """A CSV file's rows, whatever its encoding (UTF-8, with or without BOM, or Windows-1252)."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    return [
        {(k or "").strip(): (v or "").strip() for k, v in row.items() if k is not None}
        for row in csv.DictReader(io.StringIO(text, newline=""))
    ]


def _profiled(row: dict[str, str]) -> dict[str, Any]:
    """A CSV row as an HSDS object: empty cells left out, `x-fr:` columns and `x-lang` folded
    into the profile's objects."""
    out: dict[str, Any] = {}
    french: dict[str, str] = {}
    for key, value in row.items():
        if value == "":
            continue
        if key.startswith("x-fr:"):
            french[key[5:]] = value
        elif key == "x-lang":
            out["x-lang"] = {name.strip(): "fr" for name in value.split(",") if name.strip()}
        else:
            out[key] = value
    if french:
        out["x-fr"] = french
    return out


def read_tabular(directory: Path, *, progress: Progress | None = None) -> Feed:
    """An HSDS 3.0 tabular data package: one CSV per table, parents named by id columns."""
    feed = Feed(format="hsds3", progress=progress)
    package = directory / "datapackage.json"
    if package.exists():
        try:
            descriptor = json.loads(package.read_text(encoding="utf-8-sig"))
        except json.JSONDecodeError as error:
            raise FeedError(
                _("datapackage.json is not JSON: %(error)s") % {"error": error}
            ) from None
        feed.source = str(descriptor.get(SOURCE_KEY) or "")
    tables = {t.entity: t for t in all_tables()}
    rows: dict[str, list[dict[str, Any]]] = {}
    for table in tables.values():
        path = directory / f"{table.csv}.csv"
        rows[table.entity] = [_profiled(r) for r in read_rows(path)] if path.exists() else []
    if not any(rows[t.entity] for t in TOP_LEVEL):
        raise FeedError(_("No HSDS table (organizations.csv, services.csv...) was found here."))
    index = {
        entity: {str(r.get("id")): r for r in items if r.get("id")}
        for entity, items in rows.items()
    }
    children_of = {(t.entity, c.table.entity): c.key for t in tables.values() for c in t.children}
    for entity, items in rows.items():
        table = tables[entity]
        if table in TOP_LEVEL:
            continue
        for row in items:
            owner = _owner(table, row)
            if owner is None:
                feed.dropped.append(
                    Issue(
                        entity,
                        str(row.get("id", "")),
                        "",
                        _("belongs to no record in the file: left out"),
                    )
                )
                continue
            parent_entity, parent_id = owner
            parent = index.get(parent_entity, {}).get(parent_id)
            key = children_of.get((parent_entity, entity))
            if parent is None or key is None:
                feed.dropped.append(
                    Issue(
                        entity,
                        str(row.get("id", "")),
                        f"{parent_entity}_id",
                        _("names %(entity)s “%(id)s”, which the file does not have: left out")
                        % {"entity": parent_entity.replace("_", " "), "id": parent_id},
                    )
                )
                continue
            parent.setdefault(key, []).append(row)
    for table in TOP_LEVEL:
        for row in rows[table.entity]:
            feed.add(table.entity, row)
    return feed


def _owner(table: Table, row: dict[str, Any]) -> tuple[str, str] | None:
    if table is ATTRIBUTE:
        entity, link = row.get("link_entity", ""), row.get("link_id", "")
        return (entity, link) if entity and link else None
    for column in table.owners:
        if row.get(column):
            return column.removesuffix("_id"), str(row[column])
    return None
