"""Writes on indicators: definitions from YAML, values from files (all-or-nothing)."""

import math
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO, Protocol, cast

import yaml
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from welcoming.accounts.models import User
from welcoming.core.history import acting_as
from welcoming.core.models import Community
from welcoming.framework.models import Characteristic, QolrsCategory
from welcoming.framework.validation import Problem

from .definitions import DefinitionsInvalid, validate_definitions
from .importing import records as reasons
from .importing.records import ImportRejected, Record, RowError
from .importing.statcan import read_statcan
from .importing.stream import fingerprint
from .importing.tidy import read_tidy
from .models import ImportBatch, Indicator, IndicatorValue

__all__ = [
    "ImportRejected",
    "ImportReport",
    "RowError",
    "indicator_definitions_load",
    "value_import",
]

DEFINITIONS_DIR = Path(settings.WELCOMING_PACKAGE_DATA) / "indicators"
FORMATS = ("statcan", "tidy")
STATUSES = {"": "", "final": "", **{s: s for s in IndicatorValue.Status.values if s}}
PERIOD = re.compile(r"^\d{4}$")
WRITE_BATCH = 20_000
ANALYZE_AFTER = 10_000  # new rows that make PostgreSQL's table statistics stale

Key = tuple[int, int, str]


class Readable(Protocol):
    """An open binary file, an upload or a BytesIO: read in chunks, then rewound."""

    def read(self, size: int = -1, /) -> bytes: ...

    def seek(self, offset: int, whence: int = 0, /) -> int: ...


@dataclass(frozen=True)
class ImportReport:
    rows_read: int
    values_created: int
    values_updated: int
    values_unchanged: int
    dry_run: bool
    batch_id: int | None
    already_imported: bool


# --- definitions -------------------------------------------------------------------------------


@transaction.atomic
def indicator_definitions_load(*, actor: User, path: Path | None = None) -> int:
    """Validate and load indicator definition files; return how many indicators changed."""
    if not actor.has_perm("indicators.change_indicator"):
        raise PermissionDenied(_("You may not change indicator definitions."))
    with acting_as(actor):
        return _definitions_load(path)


def _definitions_load(path: Path | None) -> int:
    files = sorted(DEFINITIONS_DIR.glob("*.yaml")) if path is None else [path]
    characteristics = {c.code: c for c in Characteristic.objects.all()}
    categories = {c.code: c for c in QolrsCategory.objects.all()}
    changed = 0
    for file in files:
        try:
            data = yaml.safe_load(file.read_bytes())
        except yaml.YAMLError as error:
            raise DefinitionsInvalid(
                file.name, [Problem("file", _("this is not valid YAML"))]
            ) from error
        validate_definitions(
            data,
            file_name=file.name,
            characteristics=set(characteristics),
            categories=set(categories),
        )
        for item in data["indicators"]:
            changed += _save_indicator(
                item, data["sources"][item["source"]], characteristics, categories
            )
    return changed


def _save_indicator(
    item: dict[str, Any],
    source: dict[str, str],
    characteristics: dict[str, Characteristic],
    categories: dict[str, QolrsCategory],
) -> int:
    fields: dict[str, Any] = {
        "name_en": item["name_en"],
        "name_fr": item["name_fr"],
        "definition_en": item["definition_en"],
        "definition_fr": item["definition_fr"],
        "computation_en": item["computation_en"],
        "computation_fr": item["computation_fr"],
        "unit": item["unit"],
        "direction": item["direction"],
        "target": item.get("target"),
        "valid_min": item.get("valid_min"),
        "valid_max": item.get("valid_max"),
        "geography": item.get("geography", ""),
        "statcan_mapping": item.get("statcan") or {},
        "qolrs_category": categories[item["qolrs"]],
        "source_en": source["name_en"],
        "source_fr": source["name_fr"],
        "licence": source["licence"],
        "attribution_en": source["attribution_en"],
        "attribution_fr": source["attribution_fr"],
    }
    wanted = {characteristics[c].pk for c in item.get("characteristics") or []}
    indicator = Indicator.objects.filter(code=item["code"]).first()
    if indicator is not None:
        same = all(getattr(indicator, k) == v for k, v in fields.items())
        if same and set(indicator.characteristics.values_list("pk", flat=True)) == wanted:
            return 0
    indicator, _created = Indicator.objects.update_or_create(code=item["code"], defaults=fields)
    indicator.characteristics.set(wanted)
    return 1


# --- values ------------------------------------------------------------------------------------


def value_import(
    *,
    source: "Readable | Path",
    file_name: str,
    format: str,
    actor: User,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import every value of a file, or none: bad rows are all reported in one ImportRejected.

    Importing the same content twice changes nothing. At the command line `actor` is the
    operator (`accounts.services.operator_user`).
    """
    if not actor.has_perm("indicators.import_values"):
        raise PermissionDenied(_("You may not import indicator values."))
    if format not in FORMATS:
        raise ValueError(format)
    with _opened(source) as stream:
        sha256, encoding = fingerprint(stream)
        records = (
            read_statcan(stream, encoding, _mappings())
            if format == "statcan"
            else read_tidy(stream, encoding)
        )
        rows, rows_read = _validated(records)
    existing = _existing(rows)
    new = [(k, v) for k, v in rows.items() if k not in existing]
    changed = [(k, v) for k, v in rows.items() if k in existing and existing[k][1:] != v]
    report = ImportReport(
        rows_read=rows_read,
        values_created=len(new),
        values_updated=len(changed),
        values_unchanged=len(rows) - len(new) - len(changed),
        dry_run=dry_run,
        batch_id=None,
        already_imported=ImportBatch.objects.filter(sha256=sha256).exists(),
    )
    if dry_run or not (new or changed):
        return report
    batch = _write(new, changed, existing, file_name, sha256, format, actor, rows_read, progress)
    return replace(report, batch_id=batch.pk)


@contextmanager
def _opened(source: "Readable | Path") -> Iterator[BinaryIO]:
    """A path is opened (and closed) here; an open file or upload stays the caller's."""
    if isinstance(source, Path):
        with source.open("rb") as stream:
            yield stream
    else:
        yield cast("BinaryIO", source)


def _mappings() -> dict[str, dict[str, Any]]:
    found = Indicator.objects.values_list("code", "statcan_mapping")
    return {code: mapping for code, mapping in found if mapping}


def _validated(records: Iterable[Record]) -> tuple[dict[Key, tuple[float | None, str]], int]:
    """Check every record; return values by key, or raise with every bad row."""
    communities = _community_ids()
    indicators = {i.code: i for i in Indicator.objects.all()}
    errors: list[RowError] = []
    first_line: dict[Key, int] = {}
    rows: dict[Key, tuple[float | None, str]] = {}
    good_periods: set[str] = set()
    count = 0
    for record in records:
        count += 1
        bad = len(errors)
        community = communities.get(record.community)
        if community is None:
            errors.append(
                RowError(
                    record.line, "community_code", record.community, str(reasons.UNKNOWN_COMMUNITY)
                )
            )
        indicator = indicators.get(record.indicator)
        if indicator is None:
            errors.append(
                RowError(
                    record.line, "indicator_code", record.indicator, str(reasons.UNKNOWN_INDICATOR)
                )
            )
        if record.period not in good_periods and not _good_period(record.period, good_periods):
            errors.append(RowError(record.line, "period", record.period, str(reasons.BAD_PERIOD)))
        status = STATUSES.get(record.status)
        if status is None:
            errors.append(
                RowError(record.line, "status", record.status, str(reasons.UNKNOWN_STATUS))
            )
        value = _value(record, indicator, status, errors)
        if len(errors) > bad or community is None or indicator is None:
            continue
        key = (community, indicator.pk, record.period)
        if key in first_line:
            errors.append(
                RowError(
                    record.line,
                    "community_code",
                    record.community,
                    f"{reasons.DUPLICATE_KEY} ({first_line[key]})",
                )
            )
            continue
        first_line[key] = record.line
        rows[key] = (value, status or "")
    if errors:
        raise ImportRejected(errors)
    if count == 0:
        raise ImportRejected([RowError(1, "", "", str(reasons.EMPTY_FILE))])
    return rows, count


def _good_period(period: str, seen: set[str]) -> bool:
    """Whether a period is well formed; the few good ones of a file are remembered."""
    if PERIOD.match(period):
        seen.add(period)
        return True
    return False


def _value(
    record: Record, indicator: Indicator | None, status: str | None, errors: list[RowError]
) -> float | None:
    column, raw = record.value_column, record.value
    if raw is None or raw == "":
        if status != IndicatorValue.Status.SUPPRESSED:
            errors.append(RowError(record.line, column, "", str(reasons.VALUE_REQUIRED)))
        return None
    try:
        value = float(raw)
    except ValueError:
        errors.append(RowError(record.line, column, str(raw), str(reasons.NOT_A_NUMBER)))
        return None
    if not math.isfinite(value):
        errors.append(RowError(record.line, column, str(raw), str(reasons.NOT_A_NUMBER)))
        return None
    if indicator is not None:
        if indicator.valid_min is not None and value < indicator.valid_min:
            errors.append(RowError(record.line, column, str(raw), str(reasons.BELOW_MINIMUM)))
        elif indicator.valid_max is not None and value > indicator.valid_max:
            errors.append(RowError(record.line, column, str(raw), str(reasons.ABOVE_MAXIMUM)))
    return value


def _community_ids() -> dict[str, int]:
    ids: dict[str, int] = {}
    for pk, code, dguid in Community.objects.values_list("pk", "code", "dguid").iterator(5000):
        ids[code] = pk
        if dguid:
            ids[dguid] = pk
    return ids


def _existing(
    rows: dict[Key, tuple[float | None, str]],
) -> dict[Key, tuple[int, float | None, str]]:
    indicator_ids = {k[1] for k in rows}
    periods = {k[2] for k in rows}
    found = IndicatorValue.objects.filter(indicator_id__in=indicator_ids, period__in=periods)
    return {
        (c, i, p): (pk, v, s)
        for pk, c, i, p, v, s in found.values_list(
            "pk", "community_id", "indicator_id", "period", "value", "status"
        ).iterator(chunk_size=20_000)
    }


@transaction.atomic
def _write(
    new: list[tuple[Key, tuple[float | None, str]]],
    changed: list[tuple[Key, tuple[float | None, str]]],
    existing: dict[Key, tuple[int, float | None, str]],
    file_name: str,
    sha256: str,
    format: str,
    actor: Any,
    rows_read: int,
    progress: Callable[[int, int], None] | None,
) -> ImportBatch:
    """New values carry their batch as provenance; changed values also get a history row."""
    batch = ImportBatch.objects.create(
        file_name=file_name[:255],
        sha256=sha256,
        format=format,
        imported_by=actor,
        rows_read=rows_read,
        values_created=len(new),
        values_updated=len(changed),
        values_unchanged=rows_read - len(new) - len(changed),
    )
    total = len(new) + len(changed)
    _insert(new, batch.pk, progress, total)
    updates = [
        IndicatorValue(
            pk=existing[k][0],
            community_id=k[0],
            indicator_id=k[1],
            period=k[2],
            value=v,
            status=s,
            batch=batch,
        )
        for k, (v, s) in changed
    ]
    bulk_update_with_history(
        updates,
        IndicatorValue,
        ["value", "status", "batch"],
        batch_size=WRITE_BATCH,
        default_user=actor,
    )
    if progress:
        progress(total, total)
    return batch


def _insert(
    new: list[tuple[Key, tuple[float | None, str]]],
    batch_id: int,
    progress: Callable[[int, int], None] | None,
    total: int,
) -> None:
    """Insert new values in bulk: COPY on PostgreSQL, executemany elsewhere.

    Model instances are skipped on purpose: at a million rows, building them costs more than the
    database does. Constraints still hold: the database checks them on every row.
    """
    table = IndicatorValue._meta.db_table
    columns = "community_id, indicator_id, period, value, status, batch_id"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            statement = f"COPY {table} ({columns}) FROM STDIN"
            with cursor.copy(statement) as copy:
                for done, ((c, i, p), (v, s)) in enumerate(new, start=1):
                    copy.write_row((c, i, p, v, s, batch_id))
                    if progress and done % 50_000 == 0:
                        progress(done, total)
            if len(new) >= ANALYZE_AFTER:  # fresh statistics: the planner's row estimates
                cursor.execute(f"ANALYZE {table}")  # would be off until autovacuum runs
            return
        sql = f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s)"
        for start in range(0, len(new), WRITE_BATCH):
            rows = [
                (c, i, p, v, s, batch_id) for (c, i, p), (v, s) in new[start : start + WRITE_BATCH]
            ]
            cursor.executemany(sql, rows)
            if progress:
                progress(min(start + WRITE_BATCH, len(new)), total)
