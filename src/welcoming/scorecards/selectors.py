"""Reads for scorecards: the database turned into the scoring engine's plain data."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from django.db.models import F, Max, Min, QuerySet, Window
from django.db.models.functions import RowNumber

from welcoming.core.models import Community
from welcoming.engines.scoring import (
    Dataset,
    Framework,
    IndicatorMeta,
    Node,
    unweighable_nodes,
)
from welcoming.framework.models import Characteristic, QolrsCategory
from welcoming.indicators.models import ImportBatch, Indicator, IndicatorValue

from .memo import per_data_state
from .models import ScoringProfile

OVERALL = "overall"
logger = logging.getLogger(__name__)
DEFAULT_PROFILE_LABELS = {"label_en": "Default profile", "label_fr": "Profil par défaut"}


class Used(NamedTuple):
    """The value a score used: its period, and the import that wrote it (for its credit)."""

    period: str
    batch: int | None


@dataclass(frozen=True)
class Problem:
    """What the engine needs, built from the database for one level and period."""

    dataset: Dataset
    framework: Framework
    communities: dict[str, Community]
    indicators: dict[str, Indicator]
    characteristics: dict[str, Characteristic]
    survey_only: tuple[Characteristic, ...]
    # community code -> indicator code -> the value used: kept with the level, so that a page
    # reads its own values' periods and credits without a query or a pass over the level
    used: dict[str, dict[str, Used]]
    batches: dict[int, ImportBatch]  # the imports that wrote the values used, by id
    categories: dict[int, QolrsCategory]  # of the indicators scored, by id


def scoring_profile_current(*, name: str = "default") -> ScoringProfile:
    """The latest version of a profile; the default profile exists from the first use."""
    profile = ScoringProfile.objects.filter(name=name).order_by("-version").first()
    if profile is None:
        if name != "default":
            raise ScoringProfile.DoesNotExist(name)
        profile, _created = ScoringProfile.objects.get_or_create(
            name="default", version=1, defaults=DEFAULT_PROFILE_LABELS
        )
    return profile


@per_data_state
def scoring_problem(
    *, level: str, period: str, profile: ScoringProfile, framework_code: str = "esses-2010"
) -> Problem | None:
    """Each indicator's latest value up to `period`, for every community of one level.

    Indicators shown for context are not scored; a characteristic that no scored indicator
    measures at this level drops out of the tree (and survey-only ones are listed apart).
    """
    characteristics = {
        c.code: c
        for c in Characteristic.objects.filter(framework__code=framework_code)
        .select_related("group")
        .order_by("rank")
    }
    scored = (
        Indicator.objects.exclude(direction=Indicator.Direction.CONTEXT)
        .filter(characteristics__framework__code=framework_code)
        .prefetch_related("characteristics")
        .distinct()
    )
    rows = _newest(
        IndicatorValue.objects.filter(
            indicator__in=scored,
            community__level=level,
            period__lte=period,
            value__isnull=False,
        )
    ).values_list("community_id", "indicator_id", "period", "value", "batch_id")
    latest: dict[tuple[int, int], tuple[str, float | None, int | None]] = {
        (community_id, indicator_id): (found_period, value, batch)
        for community_id, indicator_id, found_period, value, batch in rows.iterator(
            chunk_size=20_000
        )
    }
    if not latest:
        return None
    present = {indicator_id for _community_id, indicator_id in latest}
    indicators = {i.pk: i for i in scored if i.pk in present}
    communities = Community.objects.in_bulk({k[0] for k in latest})
    posts = (
        _goalposts(level, indicators)
        if profile.normalisation == ScoringProfile.Normalisation.GOALPOSTS
        else {}
    )
    framework = scoring_tree(
        indicators=indicators.values(),
        characteristics=characteristics,
        weights=profile.weights or {},
        goalposts=posts,
    )
    if unweighable_nodes(framework):  # refused on saving; data imported later may still do it
        logger.warning(
            "Profile %s leaves %s with nothing to weigh at level %s; not scored",
            profile,
            ", ".join(unweighable_nodes(framework)),
            level,
        )
        return None
    metas = framework.indicators
    units = sorted(communities.values(), key=lambda c: c.code)
    index = {c.pk: n for n, c in enumerate(units)}
    column = {m.code: n for n, m in enumerate(metas)}
    values = np.full((len(units), len(metas)), np.nan)
    used: dict[str, dict[str, Used]] = {c.code: {} for c in units}
    by_pk = {i.pk: i.code for i in indicators.values()}
    for (community_id, indicator_id), (found_period, value, batch) in latest.items():
        code = by_pk.get(indicator_id)
        if code is None:
            continue
        values[index[community_id], column[code]] = value
        used[communities[community_id].code][code] = Used(found_period, batch)
    peers = tuple(_peer_label(c, profile) for c in units)
    dataset = Dataset(tuple(c.code for c in units), tuple(m.code for m in metas), values, peers)
    survey_only = tuple(c for c in characteristics.values() if c.survey_only)
    return Problem(
        dataset=dataset,
        framework=framework,
        communities={c.code: c for c in units},
        indicators={i.code: i for i in indicators.values()},
        characteristics=characteristics,
        survey_only=survey_only,
        used=used,
        batches=ImportBatch.objects.in_bulk({b for _p, _v, b in latest.values() if b is not None}),
        categories=QolrsCategory.objects.in_bulk(
            {i.qolrs_category_id for i in indicators.values()}
        ),
    )


def scoring_tree(
    *,
    indicators: Iterable[Indicator],
    characteristics: dict[str, Characteristic],
    weights: dict[str, float],
    goalposts: dict[int, tuple[float, float]] | None = None,
) -> Framework:
    """The tree the engine scores: each indicator under its first characteristic (by rank), each
    characteristic used under its group, the groups under the overall score; weights by code.
    Indicators need their characteristics prefetched."""
    chosen = list(indicators)
    parent_of = {i.code: min(i.characteristics.all(), key=lambda c: c.rank).code for i in chosen}
    used = {characteristics[c] for c in parent_of.values()}
    posts = goalposts or {}
    metas = tuple(
        IndicatorMeta(
            code=i.code,
            parent=parent_of[i.code],
            direction=-1 if i.direction == Indicator.Direction.LOWER else 1,
            weight=float(weights.get(i.code, 1.0)),
            target=i.target,
            goalposts=posts.get(i.pk),
            group=str(i.qolrs_category_id),
        )
        for i in sorted(chosen, key=lambda i: i.code)
    )
    nodes = [Node(OVERALL, None, 1.0, 4)]
    nodes += [
        Node(g, OVERALL, float(weights.get(g, 1.0)), 3)
        for g in sorted({c.group.code for c in used})
    ]
    nodes += [
        Node(c.code, c.group.code, float(weights.get(c.code, 1.0)), 2)
        for c in sorted(used, key=lambda c: c.rank)
    ]
    return Framework(metas, tuple(nodes))


def scoring_trees(
    *, weights: dict[str, float], framework_code: str = "esses-2010"
) -> list[tuple[str, str, Framework]]:
    """(level, first period, tree) of every distinct tree the engine may score under `weights`:
    the indicators with data at a level grow period by period, so there is one tree per period
    in which some indicator first has a value."""
    characteristics = {
        c.code: c
        for c in Characteristic.objects.filter(framework__code=framework_code).select_related(
            "group"
        )
    }
    scored = {
        i.pk: i
        for i in Indicator.objects.exclude(direction=Indicator.Direction.CONTEXT)
        .filter(characteristics__framework__code=framework_code)
        .prefetch_related("characteristics")
        .distinct()
    }
    firsts = (
        IndicatorValue.objects.filter(indicator__in=list(scored), value__isnull=False)
        .values_list("community__level", "indicator")
        .annotate(first=Min("period"))
        .order_by()
    )
    starts: dict[str, list[tuple[str, int]]] = {}
    for level, indicator_id, first in firsts:
        starts.setdefault(level, []).append((first, indicator_id))
    trees = []
    for level, found in sorted(starts.items()):
        for period in sorted({first for first, _id in found}):
            present = [scored[i] for first, i in found if first <= period]
            tree = scoring_tree(
                indicators=present, characteristics=characteristics, weights=weights
            )
            trees.append((level, period, tree))
    return trees


def _newest(values: QuerySet[IndicatorValue]) -> QuerySet[IndicatorValue]:
    """Only the newest of `values` for each (community, indicator) pair, chosen by the database
    (a window function, on SQLite and PostgreSQL): a tenth of the rows at ten periods."""
    newest_first = Window(
        RowNumber(),
        partition_by=[F("community_id"), F("indicator_id")],
        order_by=F("period").desc(),
    )
    return values.annotate(newness=newest_first).filter(newness=1)


def _goalposts(level: str, indicators: dict[int, Indicator]) -> dict[int, tuple[float, float]]:
    """Fixed posts per indicator: its lowest and highest value at this level over every period,
    so that a score means the same thing in every period. A constant indicator gets posts around
    its value (everyone scores the middle)."""
    found = (
        IndicatorValue.objects.filter(indicator__in=indicators, community__level=level)
        .values("indicator")
        .annotate(lo=Min("value"), hi=Max("value"))
    )
    return {
        row["indicator"]: (row["lo"], row["hi"])
        if row["lo"] < row["hi"]
        else (row["lo"] - 1.0, row["hi"] + 1.0)
        for row in found
        if row["lo"] is not None
    }


def _peer_label(community: Community, profile: ScoringProfile) -> str:
    """The partition the engine imputes within. Look-alike and list peer groups overlap, so
    they are applied to ranks and medians by the scorecard; imputation then uses the province."""
    if profile.peer_group == ScoringProfile.PeerGroup.SIZE:
        return community.size_class or "unknown"
    return (community.parent_id and str(community.parent_id)) or "none"


SKEWED_UNITS = {Indicator.Unit.COUNT, Indicator.Unit.DENSITY}


def demographic_features(*, level: str, period: str, units: tuple[str, ...]) -> np.ndarray:
    """Units × context indicators (latest value up to `period`), to find look-alike peers.

    Counts and densities enter as logarithms: Toronto should not be alike to nothing merely
    because it is large. Missing values stay NaN (the engine treats them as average); a column
    known for fewer than two communities says nothing about likeness and is left out.
    """
    context = list(Indicator.objects.filter(direction=Indicator.Direction.CONTEXT))
    column = {i.pk: n for n, i in enumerate(context)}
    row = {code: n for n, code in enumerate(units)}
    features = np.full((len(units), len(context)), np.nan)
    found = _newest(
        IndicatorValue.objects.filter(
            indicator__in=context, community__level=level, period__lte=period, value__isnull=False
        )
    ).values_list("community__code", "indicator_id", "value")
    for code, indicator_id, value in found.iterator(chunk_size=20_000):
        if code in row:
            features[row[code], column[indicator_id]] = value
    for indicator in context:
        if indicator.unit in SKEWED_UNITS:
            j = column[indicator.pk]
            features[:, j] = np.log1p(np.clip(features[:, j], 0, None))
    informative = np.sum(~np.isnan(features), axis=0) >= 2  # a column needs a spread
    return features[:, informative]


@per_data_state
def scorecard_periods(*, level: str) -> list[str]:
    """Periods with scored values at this level, newest first."""
    found = (
        IndicatorValue.objects.filter(community__level=level)
        .exclude(indicator__direction=Indicator.Direction.CONTEXT)
        .values_list("period", flat=True)
        .distinct()
    )
    return sorted(set(found), reverse=True)


@per_data_state
def scorecard_first_periods(*, level: str, framework_code: str = "esses-2010") -> dict[str, str]:
    """Each community's own first period with a scored value, by code: where its trend starts
    (a community may enter the data later than its level does). One grouped query per state."""
    found = (
        IndicatorValue.objects.filter(
            community__level=level,
            value__isnull=False,
            indicator__characteristics__framework__code=framework_code,
        )
        .exclude(indicator__direction=Indicator.Direction.CONTEXT)
        .values("community__code")
        .annotate(first=Min("period"))
        .values_list("community__code", "first")
    )
    return dict(found)


@dataclass(frozen=True)
class MethodologyTree:
    """What one level of geography is scored on under a profile, with each weight."""

    level: str
    level_label: str
    characteristics: tuple[tuple[Characteristic, float, tuple[tuple[Indicator, float], ...]], ...]


def methodology_trees(*, profile: ScoringProfile) -> list[MethodologyTree]:
    trees = []
    for level, label in Community.Level.choices:
        problem = scoring_problem(level=level, period="9999", profile=profile)
        if problem is None:
            continue
        framework = problem.framework
        items = tuple(
            (
                problem.characteristics[code],
                framework.weight_of(code),
                tuple(
                    (problem.indicators[i], framework.weight_of(i))
                    for i in framework.children(code)
                ),
            )
            for code in framework.node_codes
            if code in problem.characteristics
        )
        trees.append(MethodologyTree(level, str(label), items))
    return trees
