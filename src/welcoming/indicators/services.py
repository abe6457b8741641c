"""Writes on indicators: definitions from YAML, values from files (all-or-nothing)."""

import hashlib
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
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from welcoming.accounts.models import User
from welcoming.core.history import acting_as
from welcoming.core.models import Community
from welcoming.framework.models import Characteristic, QolrsCategory
from welcoming.framework.validation import Problem

from .definitions import DefinitionsInvalid, validate_definitions
from .importing import records as reasons
from .importing.records import ErrorCollector, ImportConflict, ImportRejected, Record, RowError
from .importing.statcan import GENERIC, Layout, read_statcan
from .importing.stream import fingerprint, sniff
from .importing.tidy import read_tidy
from .models import ImportBatch, Indicator, IndicatorValue
from .selectors import metropolitan_means

__all__ = [
    "ImportConflict",
    "ImportRejected",
    "ImportReport",
    "RowError",
    "computed_values_write",
    "indicator_definitions_load",
    "metropolitan_crime_for_municipalities",
    "metropolitan_values_compute",
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
        "licence_en": source["licence_en"],
        "licence_fr": source["licence_fr"],
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
    source_text: str = "",
) -> ImportReport:
    """Import every value of a file, or none: bad rows are all reported in one ImportRejected.

    Importing the same content twice changes nothing. At the command line `actor` is the
    operator (`accounts.services.operator_user`).
    An upload (anything but a path) larger than WELCOMING_UPLOAD_MAX_BYTES is refused before
    it is read; a file that another import is writing the same values of at the same time
    raises ImportConflict, and nothing is written.
    Every value written points to the batch, and the batch says whose data it is: for a
    recognised Statistics Canada layout, that layout's source; otherwise `source_text` (or, when
    empty, the file name) — never the default source of the indicators it feeds.
    """
    if not actor.has_perm("indicators.import_values"):
        raise PermissionDenied(_("You may not import indicator values."))
    if format not in FORMATS:
        raise ValueError(format)
    limit = None if isinstance(source, Path) else settings.WELCOMING_UPLOAD_MAX_BYTES
    if limit is not None and (getattr(source, "size", None) or 0) > limit:
        raise ImportRejected([RowError(1, "", "", str(reasons.TOO_LARGE))])
    layout = Layout()
    with _opened(source) as stream:
        sha256, encoding = fingerprint(stream, limit)
        if sniff(stream, encoding) is None:
            raise ImportRejected([RowError(1, "", "", str(reasons.UNREADABLE))])
        records = (
            read_statcan(stream, encoding, _mappings(), populations=_csd_populations, layout=layout)
            if format == "statcan"
            else read_tidy(stream, encoding)
        )
        rows, rows_read = _validated(records)
    credit = _credit(layout.source, source_text=source_text, file_name=file_name)
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
    try:
        batch = _write(
            new, changed, existing, file_name, sha256, format, actor, rows_read, progress, credit
        )
    except IntegrityError as error:  # a value another import inserted since _existing read
        raise ImportConflict(
            _(
                "Another import wrote some of the same values at the same time. Nothing was "
                "imported; import the file again to compare it with the values now stored."
            )
        ) from error
    return replace(report, batch_id=batch.pk)


def indicator_sources() -> dict[str, dict[str, str]]:
    """The named sources of the indicator definition files (name → texts, EN/FR, licence)."""
    found: dict[str, dict[str, str]] = {}
    for file in sorted(DEFINITIONS_DIR.glob("*.yaml")):
        data = yaml.safe_load(file.read_bytes()) or {}
        found.update(data.get("sources") or {})
    return found


def _credit(layout_source: str, *, source_text: str, file_name: str) -> dict[str, str]:
    """The provenance fields of a batch (see ImportBatch)."""
    known = indicator_sources().get(layout_source) if layout_source else None
    if known is not None:
        return {
            "source_en": known["name_en"],
            "source_fr": known["name_fr"],
            "licence_en": known["licence_en"],
            "licence_fr": known["licence_fr"],
            "attribution_en": known["attribution_en"],
            "attribution_fr": known["attribution_fr"],
        }
    text = source_text.strip()
    if layout_source == GENERIC and not text:
        return {
            "source_en": f"Statistics Canada, {file_name}",
            "source_fr": f"Statistique Canada, {file_name}",
            "licence_en": "Statistics Canada Open Licence",
            "licence_fr": "Licence ouverte de Statistique Canada",
            "attribution_en": "",
            "attribution_fr": "",
        }
    return {"source_en": text, "source_fr": text, "licence_en": "", "licence_fr": "",
            "attribution_en": "", "attribution_fr": ""}  # fmt: skip


def _csd_populations() -> dict[str, int]:
    """People in each municipality (2021), for the rates of the facility registers."""
    found = Community.objects.filter(level=Community.Level.CSD, population__isnull=False)
    return {code: people for code, people in found.values_list("code", "population") if people}


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
    """Check every record; return values by key, or raise with the bad rows (at most
    MAX_ERRORS listed, the others counted). Once a row is bad the file will be refused, so
    good rows are no longer kept: a file of bad rows costs no more memory than its errors."""
    communities = _community_ids()
    indicators = {i.code: i for i in Indicator.objects.all()}
    errors = ErrorCollector()
    first_line: dict[Key, int] = {}
    rows: dict[Key, tuple[float | None, str]] = {}
    good_periods: set[str] = set()
    count = 0
    try:
        for record in records:
            count += 1
            _check(record, communities, indicators, good_periods, first_line, rows, errors)
    except ImportRejected as refused:  # a row past a reader's bounds ends the file there
        for error in refused.errors:
            errors.add(error.line, error.column, error.value, error.reason)
        errors.more += refused.more
    errors.raise_if_any()
    if count == 0:
        raise ImportRejected([RowError(1, "", "", str(reasons.EMPTY_FILE))])
    return rows, count


def _check(
    record: Record,
    communities: dict[str, int],
    indicators: dict[str, Indicator],
    good_periods: set[str],
    first_line: dict[Key, int],
    rows: dict[Key, tuple[float | None, str]],
    errors: ErrorCollector,
) -> None:
    """Check one record: its errors go to `errors`, a good value to `rows`."""
    bad = len(errors)
    community = communities.get(record.community)
    if community is None:
        errors.add(record.line, "community_code", record.community, reasons.UNKNOWN_COMMUNITY)
    indicator = indicators.get(record.indicator)
    if indicator is None:
        errors.add(record.line, "indicator_code", record.indicator, reasons.UNKNOWN_INDICATOR)
    if record.period not in good_periods and not _good_period(record.period, good_periods):
        errors.add(record.line, "period", record.period, reasons.BAD_PERIOD)
    status = STATUSES.get(record.status)
    if status is None:
        errors.add(record.line, "status", record.status, reasons.UNKNOWN_STATUS)
    value = _value(record, indicator, status, errors)
    if len(errors) > bad or community is None or indicator is None:
        return
    key = (community, indicator.pk, record.period)
    if key in first_line:
        errors.add(
            record.line,
            "community_code",
            record.community,
            f"{reasons.DUPLICATE_KEY} ({first_line[key]})",
        )
        return
    first_line[key] = record.line
    if not errors:
        rows[key] = (value, status or "")


def _good_period(period: str, seen: set[str]) -> bool:
    """Whether a period is well formed; the few good ones of a file are remembered."""
    if PERIOD.match(period):
        seen.add(period)
        return True
    return False


def _value(
    record: Record, indicator: Indicator | None, status: str | None, errors: ErrorCollector
) -> float | None:
    column, raw = record.value_column, record.value
    if raw is None or raw == "":
        if status != IndicatorValue.Status.SUPPRESSED:
            errors.add(record.line, column, "", reasons.VALUE_REQUIRED)
        return None
    try:
        value = float(raw)
    except ValueError:
        errors.add(record.line, column, str(raw), reasons.NOT_A_NUMBER)
        return None
    if not math.isfinite(value):
        errors.add(record.line, column, str(raw), reasons.NOT_A_NUMBER)
        return None
    if indicator is not None:
        if indicator.valid_min is not None and value < indicator.valid_min:
            errors.add(record.line, column, str(raw), reasons.BELOW_MINIMUM)
        elif indicator.valid_max is not None and value > indicator.valid_max:
            errors.add(record.line, column, str(raw), reasons.ABOVE_MAXIMUM)
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
    credit: dict[str, str],
) -> ImportBatch:
    """New values carry their batch as provenance; changed values also get a history row."""
    batch = ImportBatch.objects.create(
        **credit,
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
            # COPY is psycopg's own: its errors become Django's (IntegrityError) only here.
            with connection.wrap_database_errors, cursor.copy(statement) as copy:
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


# --- values computed from other values -----------------------------------------------------------


def metropolitan_indicator_codes() -> list[str]:
    """Indicators whose definition says a metropolitan value may be computed from municipalities."""
    codes: list[str] = []
    for file in sorted(DEFINITIONS_DIR.glob("*.yaml")):
        data = yaml.safe_load(file.read_bytes()) or {}
        codes += [
            item["code"]
            for item in data.get("indicators") or []
            if item.get("metropolitan") == "population-weighted"
        ]
    return codes


def metropolitan_values_compute(*, actor: User, codes: Iterable[str] | None = None) -> int:
    """Give each metropolitan area without a published value the population-weighted mean of its
    municipalities, one computed batch per indicator and period that names the method and the
    source of the municipal values. A published value is never replaced. Returns values written."""
    written = 0
    for indicator in Indicator.objects.filter(
        code__in=list(codes or metropolitan_indicator_codes())
    ):
        periods = (
            IndicatorValue.objects.filter(indicator=indicator, community__level=Community.Level.CSD)
            .values_list("period", flat=True)
            .distinct()
        )
        for period in sorted(set(periods)):
            written += _metropolitan_period(indicator, period, actor)
    return written


def _metropolitan_period(indicator: Indicator, period: str, actor: User) -> int:
    means = metropolitan_means(indicator=indicator, period=period)
    published = set(
        IndicatorValue.objects.filter(indicator=indicator, period=period)
        .exclude(batch__format=ImportBatch.Format.COMPUTED)
        .values_list("community_id", flat=True)
    )
    rows: dict[Key, tuple[float | None, str]] = {
        (metro, indicator.pk, period): (mean.value, "")
        for metro, mean in means.items()
        if metro not in published
    }
    if not rows:
        return 0
    origin = (
        IndicatorValue.objects.filter(
            indicator=indicator, period=period, community__level=Community.Level.CSD
        )
        .exclude(batch=None)
        .values_list("batch", flat=True)
        .first()
    )
    batch = ImportBatch.objects.get(pk=origin) if origin else None
    what = batch.provenance if batch else indicator.code
    credit = {
        "source_en": (
            f"Computed by Welcoming: population-weighted mean of the municipalities of the "
            f"metropolitan area (those with a value hold at least 90 % of its people), "
            f"from {batch.source_en if batch else what}"  # type: ignore[attr-defined]
        )[:500],
        "source_fr": (
            f"Calculé par Welcoming : moyenne des municipalités de la région métropolitaine "
            f"pondérée par la population (celles qui ont une valeur regroupent au moins 90 % de "
            f"sa population), à partir de : {batch.source_fr if batch else what}"  # type: ignore[attr-defined]
        )[:500],
        "licence_en": batch.licence_en if batch else "",  # type: ignore[attr-defined]
        "licence_fr": batch.licence_fr if batch else "",  # type: ignore[attr-defined]
        "attribution_en": batch.attribution_en if batch else "",  # type: ignore[attr-defined]
        "attribution_fr": batch.attribution_fr if batch else "",  # type: ignore[attr-defined]
    }
    return computed_values_write(
        rows=rows, name=f"metropolitan-mean:{indicator.code}:{period}", credit=credit, actor=actor
    )


def metropolitan_crime_for_municipalities(*, actor: User) -> int:
    """Every municipality inside a census metropolitan area gets its area's crime severity index
    as `metropolitan-crime-severity-index`, each year, labelled as measured for the area."""
    target = Indicator.objects.filter(code="metropolitan-crime-severity-index").first()
    if target is None:
        return 0
    found = IndicatorValue.objects.filter(
        indicator__code="crime-severity-index",
        community__level=Community.Level.CMA,
        value__isnull=False,
    ).values_list("community_id", "period", "value", "batch")
    by_area: dict[int, list[tuple[str, float]]] = {}
    batches: set[int] = set()
    for area, period, value, batch_id in found:
        if value is not None:
            by_area.setdefault(area, []).append((period, value))
        batches.add(batch_id)
    members = Community.objects.filter(
        level=Community.Level.CSD, metropolitan_area_id__in=list(by_area)
    ).values_list("pk", "metropolitan_area_id")
    rows: dict[Key, tuple[float | None, str]] = {
        (member, target.pk, period): (value, "")
        for member, area in members
        for period, value in by_area[area]
    }
    if not rows:
        return 0
    origin = ImportBatch.objects.filter(pk__in=batches).order_by("-pk").first()
    credit = {
        "source_en": (
            "Measured for the metropolitan area: "
            + (origin.source_en if origin else target.source_en)  # type: ignore[attr-defined]
        )[:500],
        "source_fr": (
            "Mesuré pour la région métropolitaine : "
            + (origin.source_fr if origin else target.source_fr)  # type: ignore[attr-defined]
        )[:500],
        "licence_en": (origin or target).licence_en,  # type: ignore[union-attr]
        "licence_fr": (origin or target).licence_fr,  # type: ignore[union-attr]
        "attribution_en": origin.attribution_en if origin else "",  # type: ignore[attr-defined]
        "attribution_fr": origin.attribution_fr if origin else "",  # type: ignore[attr-defined]
    }
    return computed_values_write(
        rows=rows, name="metropolitan-crime-severity-index", credit=credit, actor=actor
    )


def computed_values_write(
    *, rows: dict[Key, tuple[float | None, str]], name: str, credit: dict[str, str], actor: User
) -> int:
    """Write values Welcoming computed (from other values, or from another app's data such as
    the directory's counts) as one batch that says how (`credit`: the batch's source, licence
    and attribution, EN/FR); rows are (community id, indicator id, period) → (value, status).
    Returns the values written; rows already stored as they are write nothing, not even a batch."""
    if not actor.has_perm("indicators.import_values"):
        raise PermissionDenied(_("You may not import indicator values."))
    existing = _existing(rows)
    new = [(k, v) for k, v in rows.items() if k not in existing]
    changed = [(k, v) for k, v in rows.items() if k in existing and existing[k][1:] != v]
    if not (new or changed):
        return 0
    digest = hashlib.sha256(repr(sorted(rows.items())).encode()).hexdigest()
    _write(
        new, changed, existing, name, digest, ImportBatch.Format.COMPUTED, actor, len(rows),
        None, credit,
    )  # fmt: skip
    return len(new) + len(changed)
