"""What search reads about each service: one row per service, rewritten when the service changes.

The row holds the service's folded text for `welcoming.core.search` (names, then the rest) and
the facts the cheap filters need (active, free, online, a point), so that a search reads one
narrow table instead of joining a service's children. Its weekly opening hours are written
beside it as minute ranges of the week (`ServiceSearchHours`), so that "open now" is one indexed
look-up per row instead of reading schedules through three joins. Category, language and
eligibility are filtered through their own indexed tables (`directory.search`).

The directory's write services (imports, staff edits) call `service_search_entries_refresh`
after they change services, and any save of an organization rewrites its services' rows;
`welcoming directory reindex` rebuilds every row.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, time, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.db import models, transaction
from django.db.models import QuerySet
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _

from welcoming.core.models import Organization
from welcoming.core.search import SearchIndex, document, search_index_optimize
from welcoming.core.text import fold

from .hsds.importer import insert_rows, plain_rows
from .models import Attribute, CostOption, Location, Schedule, Service, ServiceAtLocation

FREE_WORDS = frozenset({"free", "gratuit", "gratuite", "gratuits", "gratuites", "no cost"})
BATCH = 2000
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY = 24 * 60  # minutes


class ServiceSearchEntry(models.Model):
    service = models.OneToOneField(
        Service,
        verbose_name=_("service"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="search_entry",
    )
    names = models.TextField(_("names"), blank=True)
    body = models.TextField(_("text"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_free = models.BooleanField(_("free"), default=False)
    is_online = models.BooleanField(_("offered online"), default=False)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    # Folded names to sort by on English and French pages (French falls back to English).
    sort_en = models.CharField(_("English sort name"), max_length=200, blank=True)
    sort_fr = models.CharField(_("French sort name"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("service search entry")
        verbose_name_plural = _("service search entries")
        indexes = [
            models.Index(fields=["latitude", "longitude"], name="service_search_point"),
            # The filters' facts of a row found by id (a need's services), without reading its
            # text: on PostgreSQL an index-only scan instead of reading the whole wide table.
            # (SQLite has no INCLUDE and reads the sort names from the row.)
            models.Index(
                fields=["service", "is_active", "is_free", "is_online", "latitude", "longitude"],
                include=["sort_en", "sort_fr"],
                name="service_search_filters",
            ),
            # The services offered online, a small share: read alone, not found among all rows
            # (PostgreSQL read the whole table to join "online" with a need: 22 ms to 3 ms).
            models.Index(
                fields=["service"],
                condition=models.Q(is_online=True, is_active=True),
                name="service_search_online",
            ),
        ]

    def __str__(self) -> str:
        return self.names[:80]


class ServiceSearchHours(models.Model):
    """A time a service is open every week: from `starts` to `ends` (excluded), in minutes from
    Monday 00:00 in local wall-clock time, on the dates between `valid_from` and `valid_to`.

    An opening that runs past midnight is cut there, the part after midnight dated a day later,
    so a range never leaves its day and "open at minute m of the week" is an index look-up."""

    entry = models.ForeignKey(
        ServiceSearchEntry,
        verbose_name=_("service search entry"),
        on_delete=models.CASCADE,
        related_name="hours",
        db_index=False,  # the index below starts with it
    )
    starts = models.PositiveIntegerField(_("opens (minute of the week)"))
    ends = models.PositiveIntegerField(_("closes (minute of the week)"))
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("service opening hours")
        verbose_name_plural = _("service opening hours")
        # Both hold every column a search reads (the dates too), so that "open now" is
        # answered from the index alone, without a visit to the table for each range.
        indexes = [
            # "Is this service open at minute m?" (a need or an audience gave the services).
            models.Index(
                fields=["entry", "starts", "ends", "valid_from", "valid_to"],
                name="service_search_hours",
            ),
            # "Which services are open at minute m?": the ranges that started that day before m.
            models.Index(
                fields=["starts", "ends", "entry", "valid_from", "valid_to"],
                name="service_search_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts}–{self.ends}"


SERVICE_INDEX = SearchIndex(model=ServiceSearchEntry, fts_table="directory_service_fts")


SERVICE_TEXT = (
    "name_en", "name_fr", "alternate_name_en", "alternate_name_fr", "organization__name_en",
    "organization__name_fr", "description_en", "description_fr",
)  # fmt: skip
SERVICE_COLUMNS = (
    "pk", "status", "organization__is_active", "fees_description_en", "fees_description_fr",
    *SERVICE_TEXT,
)  # fmt: skip


SCHEDULE_FIELDS = ("byday", "opens_at", "closes_at", "valid_from", "valid_to")


def week_ranges(
    byday: str, opens_at: time | None, closes_at: time | None
) -> list[tuple[int, int, int]]:
    """The minute ranges of the week of a weekly opening, each with how many days after the
    opening day it falls (1 for the part after midnight). Closing at or before the opening time
    means closing the next day (22:00–02:00; 00:00–00:00 is the whole day). No days or no times:
    no ranges, as the schedule says nothing usable about this week."""
    if opens_at is None or closes_at is None:
        return []
    opens = opens_at.hour * 60 + opens_at.minute
    closes = closes_at.hour * 60 + closes_at.minute
    ranges = []
    for day, code in enumerate(WEEKDAYS):
        if code not in byday.upper():
            continue
        start = day * DAY
        if closes > opens:
            ranges.append((start + opens, start + closes, 0))
            continue
        ranges.append((start + opens, start + DAY, 0))
        if closes > 0:
            after = (day + 1) % 7 * DAY
            ranges.append((after, after + closes, 1))
    return ranges


def _shifted(day: date | None, days: int) -> date | None:
    return None if day is None else day + timedelta(days=days)


def _hours(ids: list[int]) -> dict[int, list[SimpleNamespace]]:
    """The opening ranges of these services: their own schedules, those of the service at a
    site, and those of the site (which every service there shares)."""
    schedules: dict[int, set[tuple[Any, ...]]] = defaultdict(set)
    for owner, extra in (
        ("service_id", {}),
        ("service_at_location__service_id", {"service__isnull": True}),
        (
            "location__service_at_locations__service_id",
            {"service__isnull": True, "service_at_location__isnull": True},
        ),
    ):
        found = (
            plain_rows(Schedule.objects)
            .filter(**{f"{owner}__any_of": ids}, **extra)
            .exclude(byday="")
        )
        for service_id, *fields in found.values_list(owner, *SCHEDULE_FIELDS):
            schedules[service_id].add(tuple(fields))
    # Plain rows with the model's columns (`insert_rows` writes them): a model object each
    # would cost more than computing the ranges.
    hours: dict[int, list[SimpleNamespace]] = defaultdict(list)
    for service_id, rows in schedules.items():
        for byday, opens_at, closes_at, valid_from, valid_to in sorted(rows, key=str):
            for starts, ends, days in week_ranges(byday, opens_at, closes_at):
                hours[service_id].append(
                    SimpleNamespace(
                        entry_id=service_id,
                        starts=starts,
                        ends=ends,
                        valid_from=_shifted(valid_from, days),
                        valid_to=_shifted(valid_to, days),
                    )
                )
    return hours


def _entries(batch: list[dict[str, Any]]) -> list[ServiceSearchEntry]:
    """The search rows of a batch of services, from plain values (four queries a batch: model
    instances would cost more than the rest of an import)."""
    ids = [row["pk"] for row in batch]
    sites: dict[int, list[Any]] = defaultdict(list)
    for site in (
        plain_rows(ServiceAtLocation.objects)
        .filter(service_id__any_of=ids)
        .order_by("pk")
        .values(
            "service_id",
            "location__location_type",
            "location__is_active",
            "location__latitude",
            "location__longitude",
        )
    ):
        sites[site["service_id"]].append(site)
    terms: dict[int, list[str]] = defaultdict(list)
    for service_id, name_en, name_fr in Attribute.objects.filter(
        service_id__any_of=ids
    ).values_list("service_id", "taxonomy_term__name_en", "taxonomy_term__name_fr"):
        terms[service_id] += [name_en or "", name_fr or ""]
    amounts: dict[int, list[Any]] = defaultdict(list)
    for service_id, amount in CostOption.objects.filter(
        service_id__any_of=ids, amount__isnull=False
    ).values_list("service_id", "amount"):
        amounts[service_id].append(amount)
    return [_entry(row, sites[row["pk"]], terms[row["pk"]], amounts[row["pk"]]) for row in batch]


def _entry(
    row: dict[str, Any], sites: list[dict[str, Any]], terms: list[str], amounts: list[Decimal]
) -> ServiceSearchEntry:
    physical = [
        site
        for site in sites
        if site["location__location_type"] == Location.LocationType.PHYSICAL
        and site["location__is_active"]
        and site["location__latitude"] is not None
        and site["location__longitude"] is not None
    ]
    names = (row[field] for field in SERVICE_TEXT[:4])
    return ServiceSearchEntry(
        service_id=row["pk"],
        names=document(*names),
        body=document(
            *(row[field] for field in SERVICE_TEXT[:6]),
            *terms,
            *(row[field] for field in SERVICE_TEXT[6:]),
        ),
        # An organization gone from its feed is not offered, whatever a service of it says.
        is_active=row["status"] == Service.Status.ACTIVE and row["organization__is_active"],
        is_free=_is_free(amounts, row["fees_description_en"], row["fees_description_fr"]),
        is_online=any(
            site["location__location_type"] == Location.LocationType.VIRTUAL for site in sites
        ),
        latitude=physical[0]["location__latitude"] if physical else None,
        longitude=physical[0]["location__longitude"] if physical else None,
        sort_en=fold(row["name_en"] or "")[:200],
        sort_fr=fold(row["name_fr"] or row["name_en"] or "")[:200],
    )


def _is_free(amounts: list[Decimal], *fees: str | None) -> bool:
    """Free when a cost option says 0, or nothing is priced and the fees say free."""
    if amounts:
        return any(amount == Decimal(0) for amount in amounts)
    words = " ".join(fold(text or "") for text in fees)
    return any(word in words for word in FREE_WORDS)


def service_search_entries_refresh(*, service_ids: Iterable[int] | None = None) -> int:
    """Rewrite the search rows of these services (every service when None); returns how many.

    Called by the write services that already checked the actor's permission: the rows are
    derived from the services and hold nothing a person wrote."""
    services = plain_rows(Service.objects).values(*SERVICE_COLUMNS)
    written = 0
    for batch in _batches(services, None if service_ids is None else sorted(set(service_ids))):
        ids = [row["pk"] for row in batch]
        with transaction.atomic():
            ServiceSearchHours.objects.filter(entry__any_of=ids).delete()
            ServiceSearchEntry.objects.filter(pk__any_of=ids).delete()
            # Written as an import writes its rows (COPY on PostgreSQL): `bulk_create` compiled
            # each value, a third of a first import's time.
            insert_rows(ServiceSearchEntry, _entries(batch))
            insert_rows(
                ServiceSearchHours, [hours for rows in _hours(ids).values() for hours in rows]
            )
        written += len(batch)
    if service_ids is None:
        search_index_optimize(SERVICE_INDEX)
    return written


def _organization_saved(sender: Any, instance: Organization, raw: bool = False, **_: Any) -> None:
    """An organization's names, and whether it is active, are in its services' search rows: a
    save of it (a steward's edit, the admin) rewrites them. Imports write organizations in bulk,
    without this signal, and rewrite the rows they change themselves."""
    if raw:  # loading a fixture: the rows come with it or from a reindex
        return
    ids = list(Service.objects.filter(organization_id=instance.pk).values_list("pk", flat=True))
    if ids:
        service_search_entries_refresh(service_ids=ids)


def connect_organization_saves() -> None:
    post_save.connect(
        _organization_saved, sender=Organization, dispatch_uid="directory:organization-search"
    )


def _batches(
    services: QuerySet[Service, dict[str, Any]], wanted: list[int] | None
) -> Iterator[list[dict[str, Any]]]:
    """Services in batches by primary key: keyset paging over all, or chunks of `wanted`."""
    if wanted is not None:
        for start in range(0, len(wanted), BATCH):
            yield list(services.filter(pk__any_of=wanted[start : start + BATCH]))
        return
    last = 0
    while batch := list(services.filter(pk__gt=last).order_by("pk")[:BATCH]):
        yield batch
        last = batch[-1]["pk"]
