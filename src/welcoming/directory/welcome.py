"""A community's Welcome Centre sheet: its key services grouped by need, in both languages.

The page and its one-page PDF for the front desk come from the same selector and the same body
template, so what the desk prints is what the page shows.
"""

from dataclasses import dataclass, replace
from pathlib import Path

from django.template.loader import render_to_string

from welcoming.core.models import Community
from welcoming.integrations.pdf import html_to_pdf

from .models import Attribute, Service, TaxonomyTerm
from .search import WELCOME_CENTRES, ServiceHit, service_hits, services_near

PAGE_PER_NEED = 6
PRINT_PER_NEED = 3  # keeps the printed sheet to one page


@dataclass(frozen=True)
class NeedGroup:
    need: TaxonomyTerm
    hits: list[ServiceHit]


@dataclass(frozen=True)
class WelcomeSheet:
    community: Community
    centres: list[ServiceHit]  # the Welcome Centres themselves, nearest first
    groups: list[NeedGroup]
    radius_km: int

    @property
    def located(self) -> bool:
        """Without a point (not yet geocoded), nothing can be said to be near the community."""
        return self.community.latitude is not None and self.community.longitude is not None


def welcome_sheet(
    community: Community, *, per_need: int = PAGE_PER_NEED, radius_km: int = 25
) -> WelcomeSheet:
    """The services within `radius_km` of the community, nearest first within each need."""
    ranked = services_near(community, radius_km=radius_km)
    needs = _needs_of([pk for pk, _distance in ranked])
    centres: list[tuple[int, float | None]] = []
    grouped: dict[int, list[tuple[int, float | None]]] = {}
    terms: dict[int, TaxonomyTerm] = {}
    for pk, distance in ranked:
        for need in needs.get(pk, []):
            if need.code == WELCOME_CENTRES:
                centres.append((pk, distance))
                continue
            terms[need.pk] = need
            group = grouped.setdefault(need.pk, [])
            if len(group) < per_need:
                group.append((pk, distance))
    kept = {pk for pk, _distance in centres}
    kept.update(pk for group in grouped.values() for pk, _distance in group)
    found = {hit.service.pk: hit for hit in service_hits([(pk, None) for pk in sorted(kept)])}

    def hits(pairs: list[tuple[int, float | None]]) -> list[ServiceHit]:
        return [replace(found[pk], distance_km=distance) for pk, distance in pairs if pk in found]

    groups = [
        NeedGroup(need=terms[pk], hits=hits(group))
        for pk, group in sorted(grouped.items(), key=lambda item: str(terms[item[0]].code))
    ]
    return WelcomeSheet(
        community=community, centres=hits(centres), groups=groups, radius_km=radius_km
    )


def _needs_of(service_ids: list[int]) -> dict[int, list[TaxonomyTerm]]:
    """Each service's needs: the top-level terms of its categories (a child counts as its
    parent), in one query."""
    attributes = (
        Attribute.objects.filter(service_id__in=service_ids)
        .select_related("taxonomy_term__parent")
        .only("service_id", "taxonomy_term")
    )
    needs: dict[int, list[TaxonomyTerm]] = {}
    for attribute in attributes:
        term = attribute.taxonomy_term
        need = term.parent or term
        found = needs.setdefault(attribute.service_id, [])  # type: ignore[arg-type]
        if need not in found:
            found.append(need)
    return needs


def welcome_sheet_pdf(community: Community) -> bytes | None:
    """The sheet as a one-page PDF, or None when WeasyPrint cannot run here."""
    sheet = welcome_sheet(community, per_need=PRINT_PER_NEED)
    html = render_to_string("directory/welcome_centre_print.html", {"sheet": sheet})
    return html_to_pdf(html, base_url=str(Path(__file__).parent))


def communities_with_welcome_centres() -> list[Community]:
    """The communities where a Welcome Centre is located, by name."""
    centres = Service.objects.filter(
        status=Service.Status.ACTIVE, attributes__taxonomy_term__code=WELCOME_CENTRES
    )
    return list(
        Community.objects.filter(
            directory_locations__service_at_locations__service__in=centres,
            latitude__isnull=False,
        )
        .distinct()
        .order_by("name", "code")
    )
