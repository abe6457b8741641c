"""Stewards' reads: the records they keep, which are stale or waiting for review, and which look
like duplicates."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from welcoming.accounts.models import Membership
from welcoming.core.predicates import is_installation_data_manager
from welcoming.core.roles import DATA_MANAGERS

from .duplicates import DuplicatePair, ServiceDigest, find_duplicates
from .models import Address, Location, Service, TaxonomyTerm
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


def duplicate_offers(*, user: object, limit: int = 50) -> list[DuplicateOffer]:
    """Likely duplicates involving a service `user` keeps, best first. Candidates are the
    active services of the same municipalities, postal codes or phone numbers."""
    own = steward_service_list(user=user).exclude(status=Service.Status.DEFUNCT)
    own_ids = set(own.values_list("pk", flat=True))
    if not own_ids:
        return []
    places = set(
        Location.objects.filter(service_at_locations__service__in=own_ids).values_list(
            "community_id", flat=True
        )
    ) - {None}
    candidates = (
        Service.objects.exclude(status=Service.Status.DEFUNCT)
        .filter(Q(pk__in=own_ids) | Q(service_at_locations__location__community_id__in=places))
        .distinct()
    )
    pairs = find_duplicates(_digests(candidates), involving=own_ids)[:limit]
    services = Service.objects.select_related("organization").in_bulk(
        {p.first for p in pairs} | {p.second for p in pairs}
    )
    return [DuplicateOffer(p, services[p.first], services[p.second]) for p in pairs]
