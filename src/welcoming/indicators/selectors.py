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
    """Values grouped by QOLRS category and by characteristic. The values come as plain rows and
    each indicator, import, category and characteristic once: six light queries, however many
    periods a series has."""
    series: dict[int, list[tuple[str, float | None, str, int | None]]] = defaultdict(list)
    values = (
        IndicatorValue.objects.filter(community=community)
        .order_by("indicator_id", "period")
        .values_list("indicator_id", "period", "value", "status", "batch_id")
    )
    for indicator_id, period, value, status, batch in values:
        series[indicator_id].append((period, value, status, batch))
    indicators = Indicator.objects.in_bulk(series)
    batches = ImportBatch.objects.in_bulk(
        {found[-1][3] for found in series.values() if found[-1][3] is not None}
    )
    rows = {}
    for indicator_id, found in series.items():
        period, value, status, latest_batch = found[-1]
        rows[indicator_id] = ValueRow(
            indicator=indicators[indicator_id],
            period=period,
            value=value,
            status=status,
            status_label=str(IndicatorValue.Status(status).label),
            series=tuple((p, v) for p, v, _status, _batch in found),
            credit=batch_credit(batches.get(latest_batch) if latest_batch is not None else None),
        )
    categories = list(QolrsCategory.objects.all())
    order = {c.pk: c.order for c in categories}
    in_category: dict[int, list[ValueRow]] = defaultdict(list)
    for row in rows.values():
        in_category[row.indicator.qolrs_category_id].append(row)
    measured_by: dict[int, list[ValueRow]] = defaultdict(list)
    pairs = Indicator.characteristics.through.objects.filter(indicator__in=list(rows))
    for characteristic_id, indicator_id in pairs.values_list("characteristic_id", "indicator_id"):
        measured_by[characteristic_id].append(rows[indicator_id])
    return CommunityProfile(
        community,
        tuple(
            CategorySection(
                category=category,
                rows=tuple(
                    r for r in rows.values() if r.indicator.qolrs_category_id == category.pk
                ),
            )
            for category in categories
        ),
        tuple(
            CharacteristicSection(
                characteristic=characteristic,
                rows=tuple(  # in the order of the characteristic's indicators
                    sorted(
                        measured_by[characteristic.pk],
                        key=lambda r: (order[r.indicator.qolrs_category_id], r.indicator.code),
                    )
                ),
            )
            for characteristic in Characteristic.objects.filter(
                framework__code=framework_code
            ).select_related("group")
        ),
    )


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
