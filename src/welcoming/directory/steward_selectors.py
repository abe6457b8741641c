"""Stewards' reads: the records they keep, which are stale or waiting for review, and which look
like duplicates."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from welcoming.accounts.models import Membership
from welcoming.core.models import Community
from welcoming.core.predicates import is_installation_data_manager
from welcoming.core.roles import DATA_MANAGERS

from .duplicates import DuplicatePair, ServiceDigest, find_duplicates
from .models import (
    Address,
    DuplicateDismissal,
    FeedImportJob,
    Location,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from .taxonomy import newcomer_term_ids


def stale_before(today: datetime.date | None = None) -> datetime.date:
    """A record last verified before this day is stale (WELCOMING_DIRECTORY_STALE_MONTHS)."""
    day = today or timezone.localdate()
    months = day.year * 12 + day.month - 1 - settings.WELCOMING_DIRECTORY_STALE_MONTHS
    year, month = divmod(months, 12)
    last = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30,
            31, 31, 30, 31, 30, 31][month]  # fmt: skip
    return datetime.date(year, month + 1, min(day.day, last))


def is_stale(service: Service, *, today: datetime.date | None = None) -> bool:
    return service.last_verified is None or service.last_verified < stale_before(today)


def stale_q(today: datetime.date | None = None) -> Q:
    return Q(last_verified__isnull=True) | Q(last_verified__lt=stale_before(today))


def stewarded_organization_ids(user: object) -> set[int] | None:
    """The organizations whose records `user` keeps; None: every organization (the
    installation's data managers)."""
    if is_installation_data_manager(user):
        return None
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        Membership.objects.filter(
            user_id=getattr(user, "pk", 0), role__in=DATA_MANAGERS
        ).values_list("organization_id", flat=True)
    )


def steward_service_list(
    *, user: object, filter: str = "", today: datetime.date | None = None
) -> QuerySet[Service]:
    """The services `user` keeps, the oldest-verified first; `filter` "stale" or "review"."""
    services = Service.objects.select_related("organization").order_by(
        "last_verified", "organization__name_en", "name_en", "pk"
    )
    organizations = stewarded_organization_ids(user)
    if organizations is not None:
        services = services.filter(organization_id__in=organizations)
    if filter == "stale":
        services = services.filter(stale_q(today))
    elif filter == "review":
        services = services.filter(pending_import__isnull=False)
    return services


def steward_counts(*, user: object, today: datetime.date | None = None) -> dict[str, int]:
    services = steward_service_list(user=user, today=today)
    return {
        "all": services.count(),
        "stale": services.filter(stale_q(today)).count(),
        "review": services.filter(pending_import__isnull=False).count(),
    }


def newcomer_terms() -> QuerySet[TaxonomyTerm]:
    return TaxonomyTerm.objects.filter(pk__in=newcomer_term_ids()).order_by("parent_id", "code")


def service_for_steward(*, pk: int) -> Service:
    """One service with what the edit, verify and merge pages show of it."""
    return (
        Service.objects.select_related("organization")
        .prefetch_related(
            "languages",
            "phones",
            "attributes__taxonomy_term",
            "verifications__verified_by",
            Prefetch("service_at_locations__location__addresses", queryset=Address.objects.all()),
        )
        .get(pk=pk)
    )


# --- duplicates ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DuplicateOffer:
    pair: DuplicatePair
    first: Service
    second: Service


def _digests(services: QuerySet[Service]) -> list[ServiceDigest]:
    rows = services.prefetch_related(
        "phones",
        Prefetch(
            "service_at_locations__location",
            queryset=Location.objects.prefetch_related("addresses", "phones"),
        ),
    )
    digests = []
    for service in rows:
        locations = [link.location for link in service.service_at_locations.all()]
        addresses = [a for location in locations for a in location.addresses.all()]
        phones = [p.number for p in service.phones.all()]
        phones += [p.number for location in locations for p in location.phones.all()]
        digests.append(
            ServiceDigest(
                pk=service.pk,
                names=(service.name_en or "", service.name_fr or ""),  # type: ignore[attr-defined]
                addresses=tuple(f"{a.address_1}, {a.city}" for a in addresses),
                postal_codes=tuple(a.postal_code for a in addresses),
                phones=tuple(phones),
                communities=tuple(
                    location.community_id for location in locations if location.community_id
                ),
                sites=tuple(location.pk for location in locations),
            )
        )
    return digests


@dataclass(frozen=True)
class DuplicatePage:
    """One page of likely duplicates: the places whose services were compared, and the pairs."""

    offers: list[DuplicateOffer]
    number: int
    count: int  # pages
    places: list[str]  # the municipalities compared on this page ("" for services without one)

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.count else None


# Services compared on one page, at most: the page reads these and the services they could be
# listed twice with, never the whole directory. A larger municipality is a page of its own.
DUPLICATE_PAGE_SERVICES = 1_000
NO_PLACE = 0  # the group of services with no site in a municipality


def _without_place() -> Q:
    return ~Q(service_at_locations__location__community__isnull=False)


def duplicate_places(*, user: object) -> list[list[int]]:
    """The municipalities of the active services `user` keeps, grouped into pages of about
    DUPLICATE_PAGE_SERVICES services, by name; a last group holds the services with no site in
    a municipality (compared with one another by postal code, site and phone)."""
    own = steward_service_list(user=user).exclude(status=Service.Status.DEFUNCT)
    rows = (
        ServiceAtLocation.objects.filter(
            service__in=own.values("pk"), location__community__isnull=False
        )
        .values_list("location__community_id")
        .annotate(services=Count("service_id", distinct=True))
        .order_by("location__community__name", "location__community_id")
    )
    groups = list(rows)
    placeless = own.filter(_without_place()).count()
    if placeless:
        groups.append((NO_PLACE, placeless))
    pages: list[list[int]] = []
    size = DUPLICATE_PAGE_SERVICES
    for community, count in groups:
        if size + count > DUPLICATE_PAGE_SERVICES:
            pages.append([])
            size = 0
        pages[-1].append(community)
        size += count
    return pages


def duplicate_offers(*, user: object, page: int = 1, limit: int = 50) -> DuplicatePage:
    """Likely duplicates involving a service `user` keeps in one page's municipalities, best
    first, less the pairs a steward said are not duplicates. Candidates are the active services
    of those municipalities (or, for the services with none, those services themselves)."""
    pages = duplicate_places(user=user)
    if not pages:
        return DuplicatePage([], 1, 1, [])
    number = min(max(page, 1), len(pages))
    places = pages[number - 1]
    communities = [community for community in places if community != NO_PLACE]
    here = Q(service_at_locations__location__community_id__in=communities)
    if NO_PLACE in places:
        here |= _without_place()
    active = Service.objects.exclude(status=Service.Status.DEFUNCT)
    own = steward_service_list(user=user).exclude(status=Service.Status.DEFUNCT)
    own_ids = set(own.filter(here).values_list("pk", flat=True))
    candidates = active.filter(
        Q(pk__in=own_ids) | Q(service_at_locations__location__community_id__in=communities)
    ).distinct()
    dismissed = duplicate_dismissals(service_ids=own_ids)
    pairs = [
        p
        for p in find_duplicates(_digests(candidates), involving=own_ids)
        if (p.first, p.second) not in dismissed
    ][:limit]
    services = Service.objects.select_related("organization").in_bulk(
        {p.first for p in pairs} | {p.second for p in pairs}
    )
    offers = [DuplicateOffer(p, services[p.first], services[p.second]) for p in pairs]
    named = Community.objects.in_bulk(communities)
    names = [str(named[c].name) if c in named else "" for c in places]
    return DuplicatePage(offers, number, len(pages), names)


def duplicate_dismissals(*, service_ids: set[int]) -> set[tuple[int, int]]:
    """The pairs involving these services that a steward said are not duplicates."""
    return set(
        DuplicateDismissal.objects.filter(
            Q(first_id__in=service_ids) | Q(second_id__in=service_ids)
        ).values_list("first_id", "second_id")
    )


def feed_import_jobs_recent(*, limit: int = 20) -> QuerySet[FeedImportJob]:
    return FeedImportJob.objects.select_related("created_by")[:limit]
