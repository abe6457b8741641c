"""The scorecard's "presence of newcomer-serving agencies" from the directory itself: the active
newcomer-serving services of each community per 10,000 of its immigrants (2021 Census).

The directory reads indicators (its layer sits above them) and writes the count as values Welcoming
computed, with the date of the count in the batch's provenance; the scorecards pick it up from
there like any other value. Only services listed in this directory are counted.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django_tasks import task

from welcoming.accounts.services import operator_user
from welcoming.core.models import Community
from welcoming.indicators.models import Indicator, IndicatorValue
from welcoming.indicators.services import computed_values_write

from .models import Service, ServiceArea, ServiceAtLocation
from .taxonomy import newcomer_term_ids

INDICATOR_CODE = "newcomer-services-per-10000-immigrants"
IMMIGRANT_SHARE_CODE = "immigrant-share"  # 2021 Census Profile, % of people in private households
CENSUS_PERIOD = "2021"
MIN_IMMIGRANTS = 100  # below, one service more or less swings the rate by 100 or more per 10,000
PER = 10_000


def newcomer_service_counts() -> dict[int, int]:
    """Active services tagged with a newcomer-services term, counted once per community they
    serve: by their active locations' municipality and the communities their service areas
    name; a metropolitan area counts each service of its municipalities once."""
    terms = newcomer_term_ids()
    services = set(
        Service.objects.filter(
            status=Service.Status.ACTIVE, attributes__taxonomy_term_id__in=terms
        ).values_list("pk", flat=True)
    )
    served: set[tuple[int, int]] = set()
    served.update(
        ServiceAtLocation.objects.filter(
            service_id__in=services, location__is_active=True, location__community__isnull=False
        ).values_list("service_id", "location__community_id")
    )
    served.update(
        ServiceArea.objects.filter(service_id__in=services, community__isnull=False).values_list(
            "service_id", "community_id"
        )
    )
    areas = dict(
        Community.objects.filter(
            pk__in={community for _service, community in served},
            metropolitan_area__isnull=False,
        ).values_list("pk", "metropolitan_area_id")
    )
    served |= {(service, areas[c]) for service, c in served if c in areas}
    counts: dict[int, int] = defaultdict(int)
    for _service, community in served:
        counts[community] += 1
    return dict(counts)


def immigrant_populations(community_ids: Iterable[int]) -> dict[int, float]:
    """Immigrants of each community in 2021: the census share × the population ÷ 100."""
    ids = list(community_ids)
    shares: dict[int, float | None] = dict(
        IndicatorValue.objects.filter(
            indicator__code=IMMIGRANT_SHARE_CODE,
            period=CENSUS_PERIOD,
            community_id__in=ids,
            value__isnull=False,
        ).values_list("community_id", "value")
    )
    people: dict[int, int | None] = dict(
        Community.objects.filter(pk__in=ids, population__isnull=False).values_list(
            "pk", "population"
        )
    )
    return {
        c: share * population / 100
        for c, share in shares.items()
        if share is not None and (population := people.get(c))
    }


def directory_indicator_refresh(*, actor: Any, today: datetime.date | None = None) -> int:
    """Count the directory's newcomer-serving services again and write the rate of every
    community it covers for this year; return the values written (0: nothing moved).

    A community covered before (it has a value of the indicator) and now without a service
    gets 0, so a score never keeps a count the directory no longer supports."""
    indicator = Indicator.objects.filter(code=INDICATOR_CODE).first()
    if indicator is None:  # the definitions are not loaded: nothing to feed yet
        return 0
    day = today or timezone.localdate()
    counts = newcomer_service_counts()
    covered = set(counts) | set(
        IndicatorValue.objects.filter(indicator=indicator).values_list("community_id", flat=True)
    )
    immigrants = immigrant_populations(covered)
    period = str(day.year)
    rows: dict[tuple[int, int, str], tuple[float | None, str]] = {
        (community, indicator.pk, period): (round(counts.get(community, 0) * PER / people, 2), "")
        for community, people in immigrants.items()
        if people >= MIN_IMMIGRANTS
    }
    if not rows:
        return 0
    services = sum(counts.get(community, 0) for community, _i, _p in rows)
    return computed_values_write(
        rows=rows, name=f"directory-count:{day.isoformat()}", credit=_credit(day, services),
        actor=actor,
    )  # fmt: skip


@task()
def directory_indicator_refresh_task() -> int:
    """Count again after a steward's edit or an import (the count is the system's, not the
    steward's: it writes shared indicator values that stewards may not write themselves)."""
    return directory_indicator_refresh(actor=operator_user())


def _credit(day: datetime.date, services: int) -> dict[str, str]:
    return {
        "source_en": (
            f"Computed by Welcoming: services listed in this installation's directory of "
            f"newcomer services, counted on {day.isoformat()} ({services} community–service "
            f"pairs), per 10,000 immigrants (Statistics Canada, 2021 Census of Population). "
            f"Counts only the services this directory lists."
        ),
        "source_fr": (
            f"Calculé par Welcoming : services inscrits au répertoire des services aux nouveaux "
            f"arrivants de cette installation, dénombrés le {day.isoformat()} ({services} paires "
            f"collectivité–service), pour 10 000 immigrants (Statistique Canada, Recensement de "
            f"la population de 2021). Seuls les services que ce répertoire contient sont comptés."
        ),
        "licence_en": "Statistics Canada Open Licence (immigrant population)",
        "licence_fr": "Licence ouverte de Statistique Canada (population immigrante)",
        "attribution_en": (
            "Adapted from Statistics Canada, 2021 Census of Population; this does not "
            "constitute an endorsement by Statistics Canada."
        ),
        "attribution_fr": (
            "Adapté de Statistique Canada, Recensement de la population de 2021; ceci ne "
            "constitue pas une approbation de Statistique Canada."
        ),
    }
