"""What search reads about each service: one row per service, rewritten when the service changes.

The row holds the service's folded text for `welcoming.core.search` (names, then the rest) and
the facts the cheap filters need (active, free, online, a point), so that a search reads one
narrow table instead of joining a service's children. Category, language, eligibility and
opening hours are filtered through their own indexed tables (`directory.search`).

The directory's write services (imports, staff edits) call `service_search_entries_refresh`
after they change services; `welcoming directory reindex` rebuilds every row.
"""

from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.db import models, transaction
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from welcoming.core.search import SearchIndex, document
from welcoming.core.text import fold

from .models import Location, Service, ServiceAtLocation

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


def _entry(service: Service) -> ServiceSearchEntry:
    sites = [link.location for link in service.service_at_locations.all()]
    physical = [
        site
        for site in sites
        if site.location_type == Location.LocationType.PHYSICAL
        and site.is_active
        and site.latitude is not None
        and site.longitude is not None
    ]
    terms = [attribute.taxonomy_term for attribute in service.attributes.all()]
    organization = service.organization
    return ServiceSearchEntry(
        service=service,
        names=document(
            service.name_en,  # type: ignore[attr-defined]
            service.name_fr,  # type: ignore[attr-defined]
            service.alternate_name_en,  # type: ignore[attr-defined]
            service.alternate_name_fr,  # type: ignore[attr-defined]
        ),
        body=document(
            service.name_en,  # type: ignore[attr-defined]
            service.name_fr,  # type: ignore[attr-defined]
            service.alternate_name_en,  # type: ignore[attr-defined]
            service.alternate_name_fr,  # type: ignore[attr-defined]
            organization.name_en,  # type: ignore[attr-defined]
            organization.name_fr,  # type: ignore[attr-defined]
            *(term.name_en for term in terms),  # type: ignore[attr-defined]
            *(term.name_fr for term in terms),  # type: ignore[attr-defined]
            service.description_en,  # type: ignore[attr-defined]
            service.description_fr,  # type: ignore[attr-defined]
        ),
        is_active=service.status == Service.Status.ACTIVE,
        is_free=_is_free(service),
        is_online=any(site.location_type == Location.LocationType.VIRTUAL for site in sites),
        latitude=physical[0].latitude if physical else None,
        longitude=physical[0].longitude if physical else None,
    )


def _is_free(service: Service) -> bool:
    """Free when a cost option says 0, or nothing is priced and the fees say free."""
    amounts = [option.amount for option in service.cost_options.all() if option.amount is not None]
    if amounts:
        return any(amount == Decimal(0) for amount in amounts)
    fees = " ".join(
        fold(text or "")
        for text in (service.fees_description_en, service.fees_description_fr)  # type: ignore[attr-defined]
    )
    return any(word in fees for word in FREE_WORDS)


def service_search_entries_refresh(*, service_ids: Iterable[int] | None = None) -> int:
    """Rewrite the search rows of these services (every service when None); returns how many.

    Called by the write services that already checked the actor's permission: the rows are
    derived from the services and hold nothing a person wrote."""
    services = Service.objects.select_related("organization").prefetch_related(
        Prefetch(
            "service_at_locations",
            queryset=ServiceAtLocation.objects.select_related("location").order_by("pk"),
        ),
        "attributes__taxonomy_term",
        "cost_options",
    )
    written = 0
    for batch in _batches(services, None if service_ids is None else sorted(set(service_ids))):
        with transaction.atomic():
            ServiceSearchEntry.objects.filter(pk__in=[service.pk for service in batch]).delete()
            ServiceSearchEntry.objects.bulk_create([_entry(service) for service in batch])
        written += len(batch)
    return written


def _batches(services: QuerySet[Service], wanted: list[int] | None) -> Iterator[list[Service]]:
    """Services in batches by primary key: keyset paging over all, or chunks of `wanted`."""
    if wanted is not None:
        for start in range(0, len(wanted), BATCH):
            yield list(services.filter(pk__in=wanted[start : start + BATCH]))
        return
    last = 0
    while batch := list(services.filter(pk__gt=last).order_by("pk")[:BATCH]):
        yield batch
        last = batch[-1].pk
