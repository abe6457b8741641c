"""Reads on indicator values, shaped for a community's profile page."""

from collections import defaultdict
from dataclasses import dataclass

from welcoming.core.models import Community
from welcoming.framework.models import Characteristic, QolrsCategory

from .models import ImportJob, Indicator, IndicatorValue


@dataclass(frozen=True)
class ValueRow:
    """The latest value of one indicator for a community, with its whole series."""

    indicator: Indicator
    period: str
    value: float | None
    status: str
    status_label: str
    series: tuple[tuple[str, float | None], ...]


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
        .select_related("indicator")
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
