"""Writing a feed into the directory: each record whole or not at all, in bulk.

A record is a top-level HSDS object (organization, program, location, service, taxonomy, term)
with everything nested in it. It is converted field by field first; a bad value rejects the
record (and only it), naming the record and the field; a nested part HSDS cannot do without (a
phone without a number, an address without a city) is dropped and counted. Records already
imported from the same source are found by their identifier at the source: an unchanged one
(same digest) is not written, a changed one is rewritten with its nested parts replaced, one a
steward edited since the last import is held for review, and one gone from the feed is marked
inactive, never deleted.

Writes go in batches with `bulk_create`/`bulk_update` (a few queries per batch and table), so a
feed of tens of thousands of services imports in seconds; the models' `full_clean()` is not
called per object for the same reason — the conversion below checks what it would (lengths,
choices, types, e-mail and URL formats).
"""

import datetime as dt
import hashlib
import json
import re
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from operator import itemgetter
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db.models.base import ModelState
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from welcoming.core.models import Organization

from .. import models as m
from .clean import plain_text
from .feed import Feed, Issue
from .mapping import (
    ATTRIBUTE,
    BY_ENTITY,
    FED,
    TAXONOMY,
    TAXONOMY_TERM,
    TOP_LEVEL,
    Child,
    Field,
    Kind,
    Table,
    attname,
)

BATCH = 1000
NAMESPACE = uuid.UUID("6f1c3b0e-6a4e-4f0e-9a52-2a3c1b7e0d11")  # Welcoming's, for derived ids
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$")
_url = URLValidator(schemes=["http", "https"])
_email = EmailValidator()


class RecordError(ValueError):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field, self.reason = field, reason


@dataclass
class Node:
    """A record or a nested part of it, converted, with its model object not yet saved."""

    table: Table
    obj: Any
    refs: dict[str, str]  # model foreign key -> the identifier it names
    path: str
    namespace: uuid.UUID  # the record's: derived identifiers of its parts are unique to it
    given: bool  # its UUID came with the feed (else derived, unique to the record and path)
    children: list[tuple[Child, "Node"]] = field(default_factory=list)
    deferred: list[tuple[Any, str]] = field(default_factory=list)  # optional links (Ref, id)


@dataclass
class Outcome:
    """What an import did (or, in a dry run, would do)."""

    counts: dict[str, dict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int))
    )
    items: list[dict[str, str]] = field(default_factory=list)

    def count(
        self, action: str, entity: str, record_id: str = "", reason: str = "", **kw: str
    ) -> None:
        self.counts[entity][action] += 1
        if action != "unchanged":
            self.items.append(
                {"action": action, "entity": entity, "id": record_id, "reason": reason, **kw}
            )

    def issue(self, action: str, issue: Issue) -> None:
        self.count(action, issue.entity, issue.record_id, issue.reason, field=issue.field)

    def total(self, action: str) -> int:
        return sum(by_action.get(action, 0) for by_action in self.counts.values())


def digest(data: dict[str, Any]) -> str:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# uuid.uuid5's value, built from the digest's integer: a derived id for every phone, schedule
# and language of a feed, where the standard function's checks cost a tenth of an import.
_VERSION_5 = (5 << 76) | (0x8000 << 48)
_KEEP = ~((0xF000 << 64) | (0xC000 << 48)) & ((1 << 128) - 1)


def derived_id(namespace: uuid.UUID, name: str) -> uuid.UUID:
    """The same UUID as `uuid.uuid5(namespace, name)`, in about half the time."""
    digest = hashlib.sha1(namespace.bytes + name.encode(), usedforsecurity=False)
    return uuid.UUID(int=(int.from_bytes(digest.digest()[:16]) & _KEEP) | _VERSION_5)


def plain_rows(manager: Any) -> Any:
    """The manager's rows as Django reads them, for values() and values_list() that name each
    language's column: modeltranslation's fallback rows would cost more than the query (a
    third of reading a thousand services, two thirds of their opening hours)."""
    rows = manager.all()
    return rows.rewrite(False) if hasattr(rows, "rewrite") else rows


def as_uuid(value: str) -> uuid.UUID | None:
    if len(value) < 32:  # not a UUID in any form (most identifiers at a source): no exception
        return None
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


# --- converting one record ----------------------------------------------------------------------


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any, path: str) -> str:
    if isinstance(value, (dict, list)):
        raise RecordError(path, _("expected text, found a structure"))
    return plain_text(str(value))


def _convert(
    kind: Kind, value: Any, model_field: Any, path: str, drops: list[tuple[str, str]]
) -> Any:
    """One HSDS value as the model keeps it; a value that cannot be is a RecordError (the
    record is rejected) or, for a malformed e-mail or web address, dropped and reported."""
    if kind in (Kind.STR, Kind.TEXT):
        return _text(value, path)
    try:
        if kind == Kind.INT:
            number = float(value)
            if not number.is_integer() or number < 0:
                raise ValueError
            return int(number)
        if kind == Kind.FLOAT:
            return float(value)
        if kind == Kind.DECIMAL:
            return Decimal(str(value).replace("$", "").replace(",", "").strip())
        if kind == Kind.DATE:
            return dt.date.fromisoformat(str(value).strip()[:10])
        if kind == Kind.TIME:
            match = _TIME.match(str(value).strip())
            if match is None:
                raise ValueError
            return dt.time(int(match[1]), int(match[2]), int(match[3] or 0))
        if kind == Kind.BOOL:  # JSON's true/false, or the CSV cells the export writes
            return _BOOLEANS[str(value).strip().lower()]
    except (ValueError, TypeError, InvalidOperation, OverflowError, KeyError):
        raise RecordError(
            path,
            _("“%(value)s” is not a valid %(kind)s")
            % {"value": str(value)[:40], "kind": _KIND_NAMES[kind]},
        ) from None
    text = _text(value, path)
    if kind == Kind.CHOICE:
        allowed = _choices(model_field)
        for candidate in (text, text.lower(), text.upper()):
            if candidate in allowed:
                return candidate
        raise RecordError(
            path,
            _("“%(value)s” is not one of: %(allowed)s")
            % {"value": text[:40], "allowed": ", ".join(sorted(allowed))},
        )
    if kind == Kind.URL:
        url = text if "://" in text else f"http://{text}"
        try:
            _url(url)
        except ValidationError:
            drops.append((path, _("not a valid web address: left out")))
            return ""
        return url
    address = text.removeprefix("mailto:").strip()
    try:
        _email(address)
    except ValidationError:
        drops.append((path, _("not a valid e-mail address: left out")))
        return ""
    return address


@cache
def _choices(model_field: Any) -> frozenset[str]:
    return frozenset(str(choice) for choice, _label in model_field.choices)


_BOOLEANS = {"true": True, "false": False, "1": True, "0": False}
_KIND_NAMES = {
    Kind.BOOL: "true or false",
    Kind.INT: "whole number",
    Kind.FLOAT: "number",
    Kind.DECIMAL: "amount",
    Kind.DATE: "date (YYYY-MM-DD)",
    Kind.TIME: "time (HH:MM)",
}


def _fit(value: Any, model_field: Any, path: str) -> Any:
    limit = getattr(model_field, "max_length", None)
    if isinstance(value, str) and limit and len(value) > limit:
        raise RecordError(path, _("longer than %(limit)d characters") % {"limit": limit})
    return value


@dataclass(frozen=True)
class _Plan:
    """How a table's fields are converted (cached: the import converts every field of every
    record): per HSDS field name, its spec, model attribute, model field and place in the
    table; the values of a record that has none of them."""

    fields: dict[str, tuple[Field, str, Any]]
    order: dict[str, int]
    absent: dict[str, Any]


@cache
def _plan(table: Table) -> _Plan:
    opts = table.model._meta
    fields: dict[str, tuple[Field, str, Any]] = {}
    absent: dict[str, Any] = {}
    for spec in table.fields:
        name = attname(spec)
        model_field = opts.get_field(name)
        fields[spec.name] = (spec, name, model_field)
        if spec.kind == Kind.TEXT:
            absent[f"{name}_en"] = absent[f"{name}_fr"] = ""
        else:
            absent[name] = None if model_field.null else model_field.get_default()
    return _Plan(fields, {name: i for i, name in enumerate(fields)}, absent)


def _field_values(
    table: Table, data: dict[str, Any], path: str, drops: list[tuple[str, str]]
) -> dict[str, Any]:
    french = data.get("x-fr") or {}
    languages = data.get("x-lang") or {}
    plan = _plan(table)
    values = dict(plan.absent)
    given = data.keys() | french.keys() if french else data.keys()
    # Only the fields the record has, in the table's order (the first bad one is reported).
    for key in sorted(given & plan.fields.keys(), key=plan.order.__getitem__):
        spec, name, model_field = plan.fields[key]
        raw = data.get(spec.name)
        if spec.kind == Kind.TEXT:
            other = french.get(spec.name)
            if _is_empty(raw) and _is_empty(other):
                continue
            where = f"{path}{spec.name}"
            base = "" if _is_empty(raw) else _text(raw, where)
            fr = "" if _is_empty(other) else _text(other, f"{path}x-fr.{spec.name}")
            if languages.get(spec.name) == "fr":
                base, fr = "", fr or base
            values[f"{name}_en"] = _fit(base, model_field, where)
            values[f"{name}_fr"] = _fit(fr, model_field, f"{path}x-fr.{spec.name}")
            continue
        if _is_empty(raw):
            continue
        where = f"{path}{spec.name}"
        value = _convert(spec.kind, raw, model_field, where, drops)
        if spec.bounds and value is not None and not spec.bounds[0] <= value <= spec.bounds[1]:
            drops.append((where, _("%(value)s is out of range: left out") % {"value": value}))
            value = None
        values[name] = _fit(value, model_field, where)
    return values


def build(
    table: Table, data: dict[str, Any], namespace: uuid.UUID, path: str = ""
) -> tuple[Node, list[Issue]]:
    """Convert a record and its nested parts; raises RecordError for a bad value."""
    dropped: list[Issue] = []
    node = _build(table, data, namespace, path, dropped, record_id=str(data.get("id", "")))
    return node, dropped


def _build(
    table: Table,
    data: dict[str, Any],
    namespace: uuid.UUID,
    path: str,
    dropped: list[Issue],
    record_id: str,
) -> Node:
    if not isinstance(data, dict):
        raise RecordError(path.rstrip("."), _("expected an object"))
    drops: list[tuple[str, str]] = []
    values = _field_values(table, data, path, drops)
    for where, reason in drops:
        dropped.append(Issue("", record_id, where, reason))
    for spec in _required(table):
        if not _present(values, spec):
            raise RecordError(f"{path}{spec.name}", _("required"))
    given = as_uuid(str(data.get("id", "")))
    obj = _Row(table.model, values) if path else _instance(table.model, values)
    obj.hsds_id = given or derived_id(namespace, path or table.entity)
    refs = {}
    for ref in table.refs:
        target = data.get(ref.name)
        if not _is_empty(target):
            refs[ref.attr] = str(target).strip()
    node = Node(table, obj, refs, path, namespace, given is not None)
    for child in table.children:
        items = data.get(child.key)
        if not items:
            continue
        if not isinstance(items, list):
            raise RecordError(f"{path}{child.key}", _("expected a list"))
        for index, item in enumerate(items):
            where = f"{path}{child.key}[{index}]"
            if isinstance(item, dict) and (missing := _missing(child.table, item)):
                dropped.append(
                    Issue(
                        child.table.entity,
                        record_id,
                        f"{where}.{missing}",
                        _("%(field)s is missing: this part was left out") % {"field": missing},
                    )
                )
                continue
            sub = _build(child.table, item, namespace, f"{where}.", dropped, record_id)
            node.children.append((child, sub))
    return node


@cache
def _required(table: Table) -> tuple[Field, ...]:
    return tuple(spec for spec in table.fields if spec.required)


def _present(values: dict[str, Any], spec: Field) -> bool:
    name = attname(spec)
    if spec.kind == Kind.TEXT:
        return bool(values.get(f"{name}_en") or values.get(f"{name}_fr"))
    return not _is_empty(values.get(name))


def _missing(table: Table, item: dict[str, Any]) -> str | None:
    for name in table.drop_without:
        value = item.get(name)
        french = (item.get("x-fr") or {}).get(name)
        if _is_empty(value) and _is_empty(french):
            return name
    return None


def _instance(model: Any, values: dict[str, Any]) -> Any:
    """A model object, its values set directly: modeltranslation's constructor rewrites every
    keyword and switches languages for each default, which costs more than the rest of the
    import. (`_defaults` holds no mutable or per-object default: `hsds_id` is set after.)"""
    obj = model.__new__(model)
    obj._state = ModelState()
    obj.__dict__.update(_defaults(model))
    obj.__dict__.update(values)
    obj.pk = None
    return obj


@cache
def _defaults(model: Any) -> dict[str, Any]:
    return {
        f.attname: None if f.null else f.get_default()
        for f in model._meta.concrete_fields
        if not f.primary_key
    }


class _Row:
    """A nested part (phone, schedule...), written by `insert_rows` without a model object."""

    hsds_id: uuid.UUID

    def __init__(self, model: Any, values: dict[str, Any]) -> None:
        self.__dict__.update(_defaults(model))
        self.__dict__.update(values)
        self.pk: int | None = None


_PLAIN = frozenset(
    {
        "CharField",
        "TextField",
        "IntegerField",
        "BigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "FloatField",
        "ForeignKey",
        "OneToOneField",
        "AutoField",
        "BigAutoField",
        "EmailField",
        "URLField",
    }
)
# What psycopg adapts itself, as Django would on PostgreSQL (which keeps UUIDs, dates and
# times as such): passed as they are.
_PLAIN_POSTGRESQL = _PLAIN | {
    "UUIDField",
    "DateField",
    "TimeField",
    "DateTimeField",
    "BooleanField",
    "SmallIntegerField",
}


@cache
def _insert_sql(model: Any) -> tuple[str, tuple[Any, ...], tuple[tuple[str, ...], ...]]:
    """The INSERT of a model's rows, its columns, and for a translated field's own column the
    languages it falls back through (modeltranslation keeps that column filled)."""
    from django.db import connection
    from modeltranslation.translator import NotRegistered, translator

    try:
        # A history table copies its model's fields: the model's translations say which.
        tracked = getattr(model, "instance_type", model)
        translated = set(translator.get_options_for_model(tracked).all_fields)
    except NotRegistered:
        translated = set()
    # Every column but a key the database numbers (a key that is a link is written).
    fields = tuple(f for f in model._meta.concrete_fields if f is not model._meta.auto_field)
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    fallbacks = tuple(
        (f"{f.attname}_en", f"{f.attname}_fr") if f.name in translated else () for f in fields
    )
    return sql, fields, fallbacks


def insert_rows(model: Any, rows: list[Any], *, keyed: bool = False, **common: Any) -> None:
    """Insert rows with one prepared statement: what `bulk_create` does, without its per-value
    compilation, which dominated the import. `common` gives values every row shares; `keyed`
    gives the rows their primary keys (on PostgreSQL taken from the table's sequence first, in
    one query, and written by the COPY; elsewhere found by their HSDS ids after)."""
    from django.db import connection

    if not rows:
        return

    sql, fields, fallbacks = _insert_sql(model)
    simple_types = _PLAIN_POSTGRESQL if connection.vendor == "postgresql" else _PLAIN
    row_values = itemgetter(*(f.attname for f in fields))
    translated = [(i, languages) for i, languages in enumerate(fallbacks) if languages]
    adapted = [
        (i, f)
        for i, (f, languages) in enumerate(zip(fields, fallbacks, strict=True))
        if not languages and f.get_internal_type() not in simple_types
    ]
    values = []
    for row in rows:
        data = {**row.__dict__, **common} if common else row.__dict__
        line = list(row_values(data))
        for i, (first, second) in translated:
            line[i] = data.get(first) or data.get(second) or ""
        for i, column in adapted:
            if line[i] is not None:
                line[i] = column.get_db_prep_save(line[i], connection)
        values.append(line)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY: rows streamed, values adapted in C
            quote = connection.ops.quote_name
            table = quote(model._meta.db_table)
            columns = [quote(f.column) for f in fields]
            if keyed:
                pk = model._meta.pk.column
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [model._meta.db_table, pk, len(rows)],
                )
                for row, line, (key,) in zip(rows, values, cursor.fetchall(), strict=True):
                    row.pk = key
                    line.append(key)
                columns.append(quote(pk))
            copy_sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            with cursor.cursor.copy(copy_sql) as copy:
                for line in values:
                    copy.write_row(line)
            return
        for chunk in _chunks(values, BATCH):
            cursor.executemany(sql, chunk)
    if keyed:
        _fetch_keys(model, rows)


def _values(model: Any, obj: Any, names: list[str]) -> list[Any]:
    from django.db import connection

    _sql, fields, fallbacks = _insert_sql(model)
    data = obj.__dict__
    out = []
    for column, languages in zip(fields, fallbacks, strict=True):
        if column.attname not in names and not (languages and languages[0] in names):
            continue
        if languages:
            value = next((data[n] for n in languages if data.get(n)), "")
        else:
            value = data[column.attname]
        out.append(value if value is None else column.get_db_prep_save(value, connection))
    return out


def _update_rows(model: Any, objs: list[Any], names: list[str]) -> None:
    """UPDATE changed records with one prepared statement (Django's `bulk_update` builds a
    CASE per field and row, which cost more than the rest of an update)."""
    from django.db import connection

    opts = model._meta
    attnames = [opts.get_field(n).attname for n in names]
    _sql, fields, fallbacks = _insert_sql(model)
    columns = [
        f.column
        for f, languages in zip(fields, fallbacks, strict=True)
        if f.attname in attnames or (languages and languages[0] in attnames)
    ]
    quote = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        quote(opts.db_table), ", ".join(f"{quote(c)} = %s" for c in columns), quote(opts.pk.column)
    )
    rows = [[*_values(model, obj, attnames), obj.pk] for obj in objs]
    with connection.cursor() as cursor:
        for chunk in _chunks(rows, BATCH):
            cursor.executemany(sql, chunk)


def _copy_to_history(model: Any, pks: list[int], kind: str, now: dt.datetime, actor: Any) -> None:
    """A history row per record as it now is in the database (what simple-history writes)."""
    from django.db import connection

    history = model.history.model
    quote = connection.ops.quote_name
    fields = [f for f in history._meta.concrete_fields if not f.primary_key]
    given = {
        "history_date": now,
        "history_change_reason": None,
        "history_type": kind,
        "history_user_id": actor.pk,
    }
    select = ", ".join("%s" if f.attname in given else quote(f.column) for f in fields)
    params = [given[f.attname] for f in fields if f.attname in given]
    for chunk in _chunks(pks, BATCH):
        sql = "INSERT INTO {} ({}) SELECT {} FROM {} WHERE {} IN ({})".format(
            quote(history._meta.db_table),
            ", ".join(quote(f.column) for f in fields),
            select,
            quote(model._meta.db_table),
            quote(model._meta.pk.column),
            ", ".join(["%s"] * len(chunk)),
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *chunk])


def _delete_parts(table: Table, pks: list[int]) -> None:
    """Delete the nested parts of records about to be rewritten, deepest first, one DELETE per
    table and depth (Django's delete() would load every part to cascade)."""
    from django.db import router

    paths: list[tuple[int, Any, str]] = []

    def visit(parent: Table, prefix: str, depth: int) -> None:
        for child in parent.children:
            lookup = f"{child.fk}__{prefix}" if prefix else child.fk
            paths.append((depth, child.table.model, lookup))
            visit(child.table, lookup, depth + 1)

    visit(table, "", 0)
    for _depth, model, lookup in sorted(paths, key=lambda p: -p[0]):
        for chunk in _chunks(pks, BATCH):
            queryset = model.objects.filter(**{f"{lookup}__any_of": chunk})
            queryset._raw_delete(router.db_for_write(model))


def _keys(model: type[Any], hsds_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    """The primary keys of the rows with these HSDS ids, by id, one statement per batch."""
    keys: dict[uuid.UUID, int] = {}
    for chunk in _chunks(hsds_ids, BATCH):
        keys.update(
            plain_rows(model.objects).filter(hsds_id__any_of=chunk).values_list("hsds_id", "pk")
        )
    return keys


def _fetch_keys(model: type[Any], objs: list[Any]) -> None:
    """Give rows inserted by `insert_rows` their primary keys, found by their HSDS ids."""
    keys = _keys(model, [o.hsds_id for o in objs])
    for obj in objs:
        obj.pk = keys[obj.hsds_id]


def walk(node: Node) -> Iterator[Node]:
    for _child, sub in node.children:
        yield sub
        yield from walk(sub)


# --- writing a feed -----------------------------------------------------------------------------


@dataclass
class _Existing:
    pk: int
    hsds_id: uuid.UUID
    source_hash: str
    stale: bool  # marked inactive by an earlier import (gone from the feed then)
    steward_edit: bool
    pending: Any


class FeedWriter:
    """Writes the records of one feed from one source; call `write` once."""

    def __init__(self, *, source: str, actor: Any, now: dt.datetime | None = None) -> None:
        self.source = source
        self.actor = actor
        self.now = now or timezone.now()
        self.outcome = Outcome()
        self.ids: dict[str, dict[str, int]] = {}  # entity -> identifier in the feed -> pk
        self.used: dict[type[Any], set[uuid.UUID]] = defaultdict(set)
        self.seen: dict[str, set[str]] = defaultdict(set)
        self.deferred: list[tuple[Any, Any, str, str]] = []  # (object, Ref, identifier, record id)
        self.written: dict[str, set[int]] = defaultdict(set)  # entity -> pks added or changed

    # identifiers -------------------------------------------------------------------------------

    def _namespace(self, entity: str, source_id: str) -> uuid.UUID:
        return derived_id(NAMESPACE, f"{self.source}/{entity}/{source_id}")

    def _known(self, entity: str) -> dict[str, int]:
        if entity not in self.ids:
            table = BY_ENTITY[entity]
            if table in FED:
                rows = (
                    plain_rows(table.model.objects)
                    .filter(source=self.source)
                    .values_list("source_id", "pk")
                )
                self.ids[entity] = {str(sid): pk for sid, pk in rows}
            else:
                self.ids[entity] = {}
        return self.ids[entity]

    def _resolve(self, entity: str, identifier: str) -> int | None:
        known = self._known(entity)
        if identifier in known:
            return known[identifier]
        as_id = as_uuid(identifier)
        if as_id is None:
            return None
        pk = (
            BY_ENTITY[entity]
            .model.objects.filter(hsds_id=as_id)
            .values_list("pk", flat=True)
            .first()
        )
        if pk is not None:
            known[identifier] = pk
        return pk

    def _link(self, node: Node, record_id: str) -> None:
        for ref in node.table.refs:
            identifier = node.refs.get(ref.attr)
            if identifier is None:
                continue
            if ref.optional:  # resolved once the whole table is written (it may come later)
                node.deferred.append((ref, identifier))
                continue
            pk = self._resolve(ref.entity, identifier)
            if pk is None:
                raise RecordError(
                    f"{node.path}{ref.name}",
                    _("no %(entity)s “%(id)s” in the file or the directory")
                    % {"entity": ref.entity.replace("_", " "), "id": identifier},
                )
            setattr(node.obj, f"{ref.attr}_id", pk)
        if node.table is ATTRIBUTE and node.obj.taxonomy_term_id is None:
            raise RecordError(f"{node.path}taxonomy_term_id", _("required"))
        for _child, sub in node.children:
            self._link(sub, record_id)

    # the run -----------------------------------------------------------------------------------

    def write(self, feed: Feed) -> Outcome:
        for issue in feed.rejected:
            self.outcome.issue("rejected", issue)
            self.seen[issue.entity].add(issue.record_id)
        for issue in feed.dropped:
            self.outcome.issue("dropped", issue)
        by_entity: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for entity, data in feed.records:
            by_entity[entity].append(data)
        for table in TOP_LEVEL:
            records = self._unique(table, by_entity.get(table.entity, []))
            if table in FED:
                for batch in _chunks(records, BATCH):
                    self._write_fed(table, batch)
            elif records:
                self._write_reference(table, records)
            self._link_deferred(table)
        self._deactivate_absent()
        return self.outcome

    def services_to_reindex(self) -> set[int]:
        """The services whose search rows the run changed: those written, and those whose
        organization, sites or terms were (search reads their names and places)."""
        ids = set(self.written["service"])
        related = (
            (m.Service.objects, "organization_id", self.written["organization"]),
            (m.ServiceAtLocation.objects, "location_id", self.written["location"]),
            (m.Attribute.objects, "taxonomy_term_id", self.written["taxonomy_term"]),
        )
        for manager, column, pks in related:
            owner = "pk" if manager.model is m.Service else "service_id"
            for chunk in _chunks(sorted(pks), BATCH):
                found = manager.filter(**{f"{column}__any_of": chunk}).values_list(owner, flat=True)
                ids.update(pk for pk in found if pk is not None)
        return ids

    def _unique(self, table: Table, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        unique: dict[str, dict[str, Any]] = {}
        for data in records:
            record_id = str(data.get("id", "")).strip()
            if not record_id:
                self.outcome.count("rejected", table.entity, "", _("no identifier"), field="id")
                continue
            if record_id in unique:
                self.outcome.count(
                    "rejected",
                    table.entity,
                    record_id,
                    _("the identifier appears twice"),
                    field="id",
                )
                continue
            unique[record_id] = data
            self.seen[table.entity].add(record_id)
        return list(unique.values())

    def _convert(self, table: Table, data: dict[str, Any], hashed: str) -> Node | None:
        record_id = str(data["id"]).strip()
        try:
            node, dropped = build(table, data, self._namespace(table.entity, record_id))
            self._link(node, record_id)
        except RecordError as error:
            self.outcome.count("rejected", table.entity, record_id, error.reason, field=error.field)
            return None
        for issue in dropped:
            self.outcome.count(
                "dropped", issue.entity or table.entity, record_id, issue.reason, field=issue.field
            )
        if (
            table is BY_ENTITY["location"]
            and (node.obj.latitude is None or node.obj.longitude is None)
            and node.obj.location_type == m.Location.LocationType.PHYSICAL
        ):
            self.outcome.count(
                "dropped",
                "location",
                record_id,
                _("no coordinates: kept, but not found by a search near a place"),
                field="latitude",
            )
        node.obj.source, node.obj.source_id = self.source, record_id
        node.obj.source_hash = hashed
        return node

    def _existing(self, table: Table, ids: list[str]) -> dict[str, _Existing]:
        fields = [
            "pk",
            "source_id",
            "hsds_id",
            "source_hash",
            "edited_by_steward_at",
            "imported_at",
            "pending_import",
        ]
        state = _STATE.get(table.entity)
        rows = (
            plain_rows(table.model.objects)
            .filter(source=self.source, source_id__any_of=ids)
            .values(*fields, *([state] if state else []))
        )
        found = {}
        for row in rows:
            edited, imported = row["edited_by_steward_at"], row["imported_at"]
            found[row["source_id"]] = _Existing(
                pk=row["pk"],
                hsds_id=row["hsds_id"],
                source_hash=row["source_hash"],
                stale=(state == "status" and row[state] == m.Service.Status.INACTIVE)
                or (state == "is_active" and not row[state]),
                steward_edit=edited is not None and (imported is None or edited > imported),
                pending=row["pending_import"],
            )
        return found

    def _write_fed(self, table: Table, batch: list[dict[str, Any]]) -> None:
        digests = {str(data["id"]).strip(): digest(data) for data in batch}
        existing = self._existing(table, list(digests))
        new, changed, held = [], [], []
        for data in batch:
            source_id = str(data["id"]).strip()
            before = existing.get(source_id)
            if before is not None and before.source_hash == digests[source_id] and not before.stale:
                self.outcome.count("unchanged", table.entity, source_id)
                continue  # the same record as last time: neither converted nor written
            node = self._convert(table, data, digests[source_id])
            if node is None:
                continue
            if before is None:
                new.append(node)
                continue
            node.obj.pk, node.obj.hsds_id = before.pk, before.hsds_id
            came_back = before.stale and _is_live(node)
            if before.source_hash == node.obj.source_hash and not came_back:
                self.outcome.count("unchanged", table.entity, source_id)
            elif before.steward_edit:
                if before.pending != data:
                    node.obj.pending_import = data
                    held.append(node.obj)
                    self.outcome.count(
                        "flagged",
                        table.entity,
                        source_id,
                        _(
                            "edited by a steward since the last import: the "
                            "source's version is held for review"
                        ),
                    )
                else:
                    self.outcome.count("unchanged", table.entity, source_id)
            else:
                changed.append(node)
                reason = _("back in the source") if came_back else _("changed at the source")
                self.outcome.count("updated", table.entity, source_id, reason)
        self._claim_ids(table, new)
        for node in new + changed:
            _touch(node.obj, self.now)
        for node in new:
            node.obj.imported_at = self.now
            self.outcome.count("added", table.entity, node.obj.source_id, _("new in the source"))
        for node in changed:
            node.obj.imported_at = self.now
            node.obj.pending_import = None
        self._save_parents(table, new, changed)
        if held:
            table.model.objects.bulk_update(held, ["pending_import"], batch_size=BATCH)
        known = self._known(table.entity)
        written = self.written[table.entity]
        for node in new + changed:
            known[node.obj.source_id] = node.obj.pk
            written.add(node.obj.pk)
            self.deferred += [
                (node.obj, ref, target, node.obj.source_id) for ref, target in node.deferred
            ]
        self._replace_children(table, changed, new + changed)

    def _claim_ids(self, table: Table, new: list[Node]) -> None:
        """A new record keeps the UUID it came with unless another record has it already."""
        taken = _keys(table.model, [n.obj.hsds_id for n in new])
        for node in new:
            if node.obj.hsds_id in taken or node.obj.hsds_id in self.used[table.model]:
                node.obj.hsds_id = self._namespace(table.entity, node.obj.source_id)
            self.used[table.model].add(node.obj.hsds_id)

    def _save_parents(self, table: Table, new: list[Node], changed: list[Node]) -> None:
        model = table.model
        tracked = hasattr(model, "history")
        new_objs = [n.obj for n in new]
        if new_objs:
            insert_rows(model, new_objs, keyed=True)
            if tracked:  # the history simple-history would write, written the same way
                for obj in new_objs:
                    obj.id = obj.pk
                insert_rows(
                    model.history.model,
                    new_objs,
                    history_date=self.now,
                    history_change_reason=None,
                    history_type="+",
                    history_user_id=self.actor.pk,
                )
        if changed:
            objs = [n.obj for n in changed]
            _update_rows(model, objs, _update_fields(table))
            if tracked:
                _copy_to_history(model, [o.pk for o in objs], "~", self.now, self.actor)

    def _replace_children(self, table: Table, changed: list[Node], written: list[Node]) -> None:
        changed_pks = [n.obj.pk for n in changed]
        if changed_pks:
            _delete_parts(table, changed_pks)
        level = [(child, sub, node) for node in written for child, sub in node.children]
        while level:
            by_model: dict[type[Any], list[Node]] = defaultdict(list)
            for child, sub, parent in level:
                setattr(sub.obj, f"{child.fk}_id", parent.obj.pk)
                if sub.table is ATTRIBUTE:
                    sub.obj.link_entity = parent.table.entity
                by_model[sub.table.model].append(sub)
            for model, subs in by_model.items():
                self._dedupe_child_ids(model, subs)
                # Their own parts need their keys.
                insert_rows(model, [s.obj for s in subs], keyed=any(s.children for s in subs))
            level = [(child, sub, node) for _c, node, _p in level for child, sub in node.children]

    def _dedupe_child_ids(self, model: type[Any], subs: list[Node]) -> None:
        """A part keeps the UUID it came with unless another part has it already. A derived
        one is unique to its record and place in it, and the record's earlier parts are deleted
        before: only those that came with the feed are looked up."""
        given = [s.obj.hsds_id for s in subs if s.given]
        taken = _keys(model, given) if given else {}
        used = self.used[model]
        for sub in subs:
            candidate = sub.obj.hsds_id
            while candidate in taken or candidate in used:
                candidate = derived_id(sub.namespace, f"{candidate}/{sub.path}")
            sub.obj.hsds_id = candidate
            used.add(candidate)

    def _write_reference(self, table: Table, records: list[dict[str, Any]]) -> None:
        """Taxonomies and their terms: shared by every source, matched by UUID or by code,
        added or updated, never deactivated. Terms' parents are set once all terms exist."""
        known = self._known(table.entity)
        for data in records:
            record_id = str(data["id"]).strip()
            try:
                node, _dropped = build(table, data, self._namespace(table.entity, record_id))
                self._link(node, record_id)
            except RecordError as error:
                self.outcome.count(
                    "rejected", table.entity, record_id, error.reason, field=error.field
                )
                continue
            obj = node.obj
            current = _find_reference(table, obj, self._namespace(table.entity, record_id))
            if current is None:
                if table.model.objects.filter(hsds_id=obj.hsds_id).exists():
                    obj.hsds_id = self._namespace(table.entity, record_id)
                obj.save()
                self.outcome.count("added", table.entity, record_id, _("new in the source"))
                current = obj
            else:
                fields = _changed_fields(table, current, obj)
                if fields:
                    for name in fields:
                        setattr(current, name, getattr(obj, name))
                    current.save(update_fields=fields)
                    self.written[table.entity].add(current.pk)
                    self.outcome.count(
                        "updated", table.entity, record_id, _("changed at the source")
                    )
                else:
                    self.outcome.count("unchanged", table.entity, record_id)
            known[record_id] = current.pk
            self.deferred += [(current, ref, target, record_id) for ref, target in node.deferred]

    def _link_deferred(self, table: Table) -> None:
        """Set the optional links (parents) of the records just written; a link to nothing
        known is left empty and reported."""
        changed: dict[str, list[Any]] = defaultdict(list)
        for obj, ref, target, record_id in self.deferred:
            pk = self._resolve(ref.entity, target)
            if pk is None:
                self.outcome.count(
                    "dropped",
                    table.entity,
                    record_id,
                    _("no %(entity)s “%(id)s”: kept without this link")
                    % {"entity": ref.entity.replace("_", " "), "id": target},
                    field=ref.name,
                )
            elif getattr(obj, f"{ref.attr}_id") != pk:
                setattr(obj, f"{ref.attr}_id", pk)
                changed[ref.attr].append(obj)
        for attr, objs in changed.items():
            table.model.objects.bulk_update(objs, [attr], batch_size=BATCH)
        self.deferred = []

    def _deactivate_absent(self) -> None:
        """Records of this source that the feed no longer has are marked inactive. An
        organization is, once its services are, unless it still offers a service that is active
        or that a steward created (it is shared with the rest of the platform)."""
        serving = m.Service.objects.exclude(status=m.Service.Status.INACTIVE) | (
            m.Service.objects.filter(source="")
        )
        gone: dict[str, tuple[Any, str, Any]] = {
            "service": (
                m.Service.objects.exclude(status=m.Service.Status.INACTIVE),
                "status",
                m.Service.Status.INACTIVE,
            ),
            "location": (m.Location.objects.filter(is_active=True), "is_active", False),
            "organization": (
                Organization.objects.filter(is_active=True, is_installation=False).exclude(
                    pk__in=serving.values("organization_id")
                ),
                "is_active",
                False,
            ),
        }
        for entity, (queryset, name, value) in gone.items():
            live = queryset.filter(source=self.source).values_list("pk", "source_id")
            pks = [pk for pk, source_id in live if source_id not in self.seen[entity]]
            self.written[entity].update(pks)
            for chunk in _chunks(pks, BATCH):
                stale = list(queryset.model.objects.filter(pk__any_of=chunk))
                for obj in stale:
                    setattr(obj, name, value)
                    _touch(obj, self.now)
                    self.outcome.count(
                        "deactivated",
                        entity,
                        obj.source_id,
                        _("no longer in the source: marked inactive"),
                    )
                bulk_update_with_history(
                    stale,
                    queryset.model,
                    [name, *_TOUCHED.get(entity, [])],
                    batch_size=BATCH,
                    default_user=self.actor,
                )


_TOUCHED = {"service": ["updated_at"]}
# What marks a record of each entity inactive (an organization's only when it serves no one else).
_STATE = {"service": "status", "location": "is_active", "organization": "is_active"}


def _touch(obj: Any, now: dt.datetime) -> None:
    """What `auto_now` would do, which bulk writes skip."""
    if hasattr(obj, "updated_at"):
        obj.updated_at = now


def _is_live(node: Node) -> bool:
    obj = node.obj
    if isinstance(obj, m.Service):
        return obj.status != m.Service.Status.INACTIVE
    return bool(getattr(obj, "is_active", True))


def _mapped_names(table: Table) -> list[str]:
    names = []
    for spec in table.fields:
        name = attname(spec)
        names += [f"{name}_en", f"{name}_fr"] if spec.kind == Kind.TEXT else [name]
    return names + [ref.attr for ref in table.refs]


def _update_fields(table: Table) -> list[str]:
    extra = ["source_hash", "imported_at", "pending_import"]
    names = _mapped_names(table)
    if _STATE.get(table.entity) == "is_active" and "is_active" not in names:
        extra.append("is_active")
    extra += _TOUCHED.get(table.entity, [])
    return names + extra


def _changed_fields(table: Table, current: Any, new: Any) -> list[str]:
    opts = table.model._meta
    names = [n for n in _mapped_names(table) if n != "parent"]
    return [
        n
        for n in names
        if getattr(current, opts.get_field(n).attname) != getattr(new, opts.get_field(n).attname)
    ]


def _find_reference(table: Table, obj: Any, derived: uuid.UUID) -> Any:
    model = table.model
    match = model.objects.filter(hsds_id__in=[obj.hsds_id, derived]).first()
    if match is None and table is TAXONOMY_TERM and obj.code:
        match = model.objects.filter(taxonomy_id=obj.taxonomy_id, code=obj.code).first()
    if match is None and table is TAXONOMY:
        match = model.objects.filter(name_en=obj.name_en, name_fr=obj.name_fr).first()
    return match


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
