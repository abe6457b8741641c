"""Reads on indicator values, shaped for a community's profile page."""

from collections import defaultdict
from dataclasses import dataclass

from welcoming.core.models import Community
from welcoming.framework.models import Characteristic, QolrsCategory

from .models import ImportBatch, ImportJob, Indicator, IndicatorValue


@dataclass(frozen=True)
class Credit:
    """Where a value came from, as recorded by the import (or computation) that wrote it."""

    source: str
    licence: str
    attribution: str


NO_CREDIT = Credit("", "", "")


def batch_credit(batch: ImportBatch | None) -> Credit:
    """The credit a person reads beside a value written by `batch`, in the active language."""
    if batch is None:
        return NO_CREDIT
    return Credit(batch.provenance, batch.licence, str(batch.attribution or ""))


@dataclass(frozen=True)
class ValueRow:
    """The latest value of one indicator for a community, with its whole series."""

    indicator: Indicator
    period: str
    value: float | None
    status: str
    status_label: str
    series: tuple[tuple[str, float | None], ...]
    credit: Credit = NO_CREDIT


@dataclass(frozen=True)
class CategorySection:
    category: QolrsCategory
    rows: tuple[ValueRow, ...]


@dataclass(frozen=True)
class CharacteristicSection:
    characteristic: Characteristic
    rows: tuple[ValueRow, ...]


@dataclass(frozen=True)
class CommunityProfile:
    community: Community
    categories: tuple[CategorySection, ...]
    characteristics: tuple[CharacteristicSection, ...]


def community_profile(
    *, community: Community, framework_code: str = "esses-2010"
) -> CommunityProfile:
    """Values grouped by QOLRS category and by characteristic, in four queries."""
    values = (
        IndicatorValue.objects.filter(community=community)
        .select_related("indicator", "batch")
        .order_by("indicator_id", "period")
    )
    series: dict[int, list[IndicatorValue]] = defaultdict(list)
    for value in values:
        series[value.indicator_id].append(value)
    rows = {
        indicator_id: ValueRow(
            indicator=found[-1].indicator,
            period=found[-1].period,
            value=found[-1].value,
            status=found[-1].status,
            status_label=str(IndicatorValue.Status(found[-1].status).label),
            series=tuple((v.period, v.value) for v in found),
            credit=batch_credit(found[-1].batch),
        )
        for indicator_id, found in series.items()
    }
    categories = tuple(
        CategorySection(
            category=category,
            rows=tuple(r for r in rows.values() if r.indicator.qolrs_category_id == category.pk),
        )
        for category in QolrsCategory.objects.all()
    )
    characteristics = tuple(
        CharacteristicSection(
            characteristic=characteristic,
            rows=tuple(rows[i.pk] for i in characteristic.indicators.all() if i.pk in rows),
        )
        for characteristic in Characteristic.objects.filter(framework__code=framework_code)
        .select_related("group")
        .prefetch_related("indicators")
    )
    return CommunityProfile(community, categories, characteristics)


def import_jobs_recent(*, limit: int = 20) -> list[ImportJob]:
    """The latest imports started from the web or the API, newest first."""
    return list(ImportJob.objects.select_related("created_by")[:limit])


METRO_COVERAGE = 0.9  # share of a metropolitan area's people whose municipality has a value


@dataclass(frozen=True)
class MetropolitanMean:
    value: float
    coverage: float  # share of the area's 2021 population in municipalities with a value
    municipalities: int


def metropolitan_means(*, indicator: Indicator, period: str) -> dict[int, MetropolitanMean]:
    """Population-weighted mean of the municipal values of each metropolitan area (id → mean),
    where the municipalities with a value hold at least 90 % of the area's people. For a rate
    per resident this equals the summed counts over the summed population of those places."""
    totals: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    people = dict(
        Community.objects.filter(level=Community.Level.CMA).values_list("pk", "population")
    )
    found = IndicatorValue.objects.filter(
        indicator=indicator,
        period=period,
        value__isnull=False,
        community__level=Community.Level.CSD,
        community__metropolitan_area__isnull=False,
        community__population__gt=0,
    ).order_by("community_id")  # one summation order: the same mean, bit for bit, every run
    for metro, population, value in found.values_list(
        "community__metropolitan_area_id", "community__population", "value"
    ):
        if metro is None or population is None or value is None:
            continue  # excluded by the filter; kept for the type checker
        total = totals[metro]
        total[0] += population * value
        total[1] += population
        total[2] += 1
    means: dict[int, MetropolitanMean] = {}
    for metro, (weighted, covered, count) in totals.items():
        everyone = people.get(metro)
        coverage = covered / everyone if everyone else 0.0
        if coverage >= METRO_COVERAGE:
            means[metro] = MetropolitanMean(weighted / covered, coverage, int(count))
    return means
