"""What search reads about each service: one row per service, rewritten when the service changes.

The row holds the service's folded text for `welcoming.core.search` (names, then the rest) and
the facts the cheap filters need (active, free, online, a point), so that a search reads one
narrow table instead of joining a service's children. Category, language, eligibility and
opening hours are filtered through their own indexed tables (`directory.search`).

The directory's write services (imports, staff edits) call `service_search_entries_refresh`
after they change services; `welcoming directory reindex` rebuilds every row.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from welcoming.core.search import SearchIndex, document
from welcoming.core.text import fold

from .models import Attribute, CostOption, Location, Service, ServiceAtLocation

FREE_WORDS = frozenset({"free", "gratuit", "gratuite", "gratuits", "gratuites", "no cost"})
BATCH = 2000


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

    class Meta:
        verbose_name = _("service search entry")
        verbose_name_plural = _("service search entries")
        indexes = [models.Index(fields=["latitude", "longitude"], name="service_search_point")]

    def __str__(self) -> str:
        return self.names[:80]


SERVICE_INDEX = SearchIndex(model=ServiceSearchEntry, fts_table="directory_service_fts")


SERVICE_TEXT = (
    "name_en", "name_fr", "alternate_name_en", "alternate_name_fr", "organization__name_en",
    "organization__name_fr", "description_en", "description_fr",
)  # fmt: skip
SERVICE_COLUMNS = ("pk", "status", "fees_description_en", "fees_description_fr", *SERVICE_TEXT)


def _entries(batch: list[dict[str, Any]]) -> list[ServiceSearchEntry]:
    """The search rows of a batch of services, from plain values (four queries a batch: model
    instances would cost more than the rest of an import)."""
    ids = [row["pk"] for row in batch]
    sites: dict[int, list[Any]] = defaultdict(list)
    for site in (
        ServiceAtLocation.objects.filter(service_id__in=ids)
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
    for service_id, name_en, name_fr in Attribute.objects.filter(service_id__in=ids).values_list(
        "service_id", "taxonomy_term__name_en", "taxonomy_term__name_fr"
    ):
        terms[service_id] += [name_en or "", name_fr or ""]
    amounts: dict[int, list[Any]] = defaultdict(list)
    for service_id, amount in CostOption.objects.filter(
        service_id__in=ids, amount__isnull=False
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
        is_active=row["status"] == Service.Status.ACTIVE,
        is_free=_is_free(amounts, row["fees_description_en"], row["fees_description_fr"]),
        is_online=any(
            site["location__location_type"] == Location.LocationType.VIRTUAL for site in sites
        ),
        latitude=physical[0]["location__latitude"] if physical else None,
        longitude=physical[0]["location__longitude"] if physical else None,
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
    services = Service.objects.values(*SERVICE_COLUMNS)
    written = 0
    for batch in _batches(services, None if service_ids is None else sorted(set(service_ids))):
        with transaction.atomic():
            ServiceSearchEntry.objects.filter(pk__in=[row["pk"] for row in batch]).delete()
            ServiceSearchEntry.objects.bulk_create(_entries(batch))
        written += len(batch)
    return written


def _batches(
    services: QuerySet[Service, dict[str, Any]], wanted: list[int] | None
) -> Iterator[list[dict[str, Any]]]:
    """Services in batches by primary key: keyset paging over all, or chunks of `wanted`."""
    if wanted is not None:
        for start in range(0, len(wanted), BATCH):
            yield list(services.filter(pk__in=wanted[start : start + BATCH]))
        return
    last = 0
    while batch := list(services.filter(pk__gt=last).order_by("pk")[:BATCH]):
        yield batch
        last = batch[-1]["pk"]
