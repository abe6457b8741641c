"""Scorecards: the database's values through the scoring engine, explained for a person."""

import math
from dataclasses import dataclass

import numpy as np
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from welcoming.accounts.models import User
from welcoming.core.models import Community
from welcoming.engines.scoring import (
    FLAG_INSUFFICIENT,
    ScoreResult,
    ScoringOptions,
    SimilarUnits,
    UncertaintyOptions,
    UncertaintyResult,
    explain,
    monte_carlo,
    score,
    similar_units,
)
from welcoming.framework.models import Characteristic, QolrsCategory
from welcoming.indicators.models import Indicator

from .memo import per_data_state
from .models import ScoringProfile
from .selectors import (
    OVERALL,
    Problem,
    demographic_features,
    group_names,
    scorecard_periods,
    scoring_problem,
)

PRIORITIES = 3
LOOK_ALIKES = 10
UNCERTAINTY_DRAWS = 200  # enough for a stable 5–95 % rank interval on a page; seeded


@dataclass(frozen=True)
class NodeScore:
    code: str
    name: str
    score: float | None  # None: insufficient data, never a number
    rank: int | None
    peer_rank: int | None
    peer_median: float | None
    coverage: float


@dataclass(frozen=True)
class IndicatorLine:
    indicator: Indicator
    period: str
    raw: float | None
    normalised: float | None
    weight: float
    contribution: float


@dataclass(frozen=True)
class CharacteristicCard:
    characteristic: Characteristic
    node: NodeScore
    lines: tuple[IndicatorLine, ...]
    earlier: float | None = None  # score in the trend's first period, among that period's data

    @property
    def gap(self) -> float | None:
        """Score minus the peer median: negative means behind similar communities."""
        if self.node.score is None or self.node.peer_median is None:
            return None
        return self.node.score - self.node.peer_median


@dataclass(frozen=True)
class RankInterval:
    """The overall rank under plausible alternative weights and methods (Monte Carlo)."""

    median: float
    low: float  # 5th percentile: the best rank seen in 95 % of draws
    high: float  # 95th percentile
    draws: int


@dataclass(frozen=True)
class Trend:
    first_period: str
    first_rank: int | None
    first_units: int
    first_score: float | None


@dataclass(frozen=True)
class Scorecard:
    community: Community
    period: str
    profile: ScoringProfile
    units: int
    peers: int
    overall: NodeScore
    groups: tuple[NodeScore, ...]
    characteristics: tuple[CharacteristicCard, ...]
    survey_only: tuple[Characteristic, ...]
    without_data: tuple[Characteristic, ...]
    categories: tuple[NodeScore, ...]
    interval: RankInterval | None
    trend: Trend | None

    @property
    def priorities(self) -> tuple[CharacteristicCard, ...]:
        """The characteristics furthest behind peers: priorities a partnership may consider."""
        behind = [c for c in self.characteristics if c.gap is not None and c.gap < 0]
        return tuple(sorted(behind, key=lambda c: c.gap or 0.0)[:PRIORITIES])


def options_for(profile: ScoringProfile) -> ScoringOptions:
    """Engine options from a profile. A geometric mean needs positive scores, so min–max runs
    to [1, 100] under it, as in COINr's own examples."""
    geometric = profile.aggregation == ScoringProfile.Aggregation.GEOM
    return ScoringOptions(
        bounds=(1.0, 100.0) if geometric else (0.0, 100.0),
        normalise=profile.normalisation,  # type: ignore[arg-type]
        aggregate=profile.aggregation,  # type: ignore[arg-type]
        missing=profile.missing,  # type: ignore[arg-type]
        min_coverage=profile.min_coverage,
        winsorise=profile.winsorise,
    )


def scorecard_compute(
    *, community: Community, period: str, profile: ScoringProfile, detailed: bool = True
) -> Scorecard | None:
    """The scorecard of one community among all communities of its level, or None without data.

    `detailed` adds the rank interval (Monte Carlo) and the rank in the first period with data.
    """
    scored = level_scored(level=community.level, period=period, profile=profile)
    if scored is None or community.code not in scored[0].communities:
        return None
    problem, result = scored
    unit = result.unit_index(community.code)
    peers = _peer_mask(problem, profile, unit, period=period, level=community.level)
    names = group_names()

    def node(code: str, name: str) -> NodeScore:
        values = result.score(code)
        flags = result.flags(code)
        own = float(values[unit])
        insufficient = bool(flags[unit] & FLAG_INSUFFICIENT) or math.isnan(own)
        peer_values = values[peers & ~np.isnan(values)]
        peer_ranks = _peer_ranks(values, peers)
        return NodeScore(
            code=code,
            name=name,
            score=None if insufficient else own,
            rank=None if insufficient else int(result.rank(code)[unit]),
            peer_rank=None if insufficient else peer_ranks,
            peer_median=float(np.median(peer_values)) if peer_values.size else None,
            coverage=float(result.coverage(code)[unit]),
        )

    def _peer_ranks(values: np.ndarray, mask: np.ndarray) -> int | None:
        own = values[unit]
        if math.isnan(own):
            return None
        return int(np.sum(values[mask & ~np.isnan(values)] > own)) + 1

    earlier = _earliest_card(community, period, profile) if detailed else None
    then = {c.characteristic.code: c.node.score for c in earlier.characteristics} if earlier else {}
    in_tree = set(problem.framework.node_codes)
    cards = tuple(
        CharacteristicCard(
            c,
            node(c.code, str(c.name)),
            _lines(result, problem, community, c),
            then.get(c.code),
        )
        for c in problem.characteristics.values()
        if c.code in in_tree
    )
    groups = tuple(node(g, names.get(g, g)) for g in problem.framework.children(OVERALL))
    categories = _categories(result, unit)
    interval = _interval(community, period, profile, unit) if detailed else None
    trend = (
        Trend(earlier.period, earlier.overall.rank, earlier.units, earlier.overall.score)
        if earlier
        else None
    )
    return Scorecard(
        community=community,
        period=period,
        profile=profile,
        units=len(problem.communities),
        peers=int(peers.sum()),
        overall=node(OVERALL, ""),
        groups=groups,
        characteristics=cards,
        survey_only=tuple(c for c in problem.survey_only if c.code not in in_tree),
        without_data=tuple(
            c
            for c in problem.characteristics.values()
            if c.code not in in_tree and not c.survey_only
        ),
        categories=categories,
        interval=interval,
        trend=trend,
    )


def _categories(result: ScoreResult, unit: int) -> tuple[NodeScore, ...]:
    """The same normalised indicators rolled up by QOLRS category."""
    if result.groups is None:
        return ()
    names = QolrsCategory.objects.in_bulk([int(code) for code in result.groups.codes])
    out = []
    for j, code in enumerate(result.groups.codes):
        value = float(result.groups.scores[unit, j])
        out.append(
            NodeScore(
                code=names[int(code)].code,
                name=str(names[int(code)].name),
                score=None if math.isnan(value) else value,
                rank=None
                if math.isnan(result.groups.ranks[unit, j])
                else int(result.groups.ranks[unit, j]),
                peer_rank=None,
                peer_median=None,
                coverage=float(result.groups.coverage[unit, j]),
            )
        )
    return tuple(sorted(out, key=lambda n: names_order(names, n.code)))


def names_order(names: dict[int, QolrsCategory], code: str) -> int:
    return next(c.order for c in names.values() if c.code == code)


@per_data_state(shared=False)  # the engine takes ~50 ms on the shared problem
def level_scored(
    *, level: str, period: str, profile: ScoringProfile
) -> tuple[Problem, ScoreResult] | None:
    """Every community of a level scored under a profile: one engine run shared by pages."""
    problem = scoring_problem(level=level, period=period, profile=profile)
    if problem is None:
        return None
    return problem, score(problem.dataset, problem.framework, options_for(profile))


@per_data_state
def level_uncertainty(
    *, level: str, period: str, profile: ScoringProfile
) -> UncertaintyResult | None:
    """Ranks under alternative weights and methods (seeded by the profile version)."""
    problem = scoring_problem(level=level, period=period, profile=profile)
    if problem is None or len(problem.communities) < 3:
        return None
    mc = UncertaintyOptions(draws=UNCERTAINTY_DRAWS, seed=profile.version)
    return monte_carlo(problem.dataset, problem.framework, options_for(profile), mc)


def _peer_mask(
    problem: Problem, profile: ScoringProfile, unit: int, *, period: str, level: str
) -> np.ndarray:
    """Which communities are the peers of `unit` (itself included) under the profile."""
    codes = problem.dataset.units
    if profile.peer_group == ScoringProfile.PeerGroup.LIST:
        chosen = {*profile.peer_list, codes[unit]}
        return np.array([code in chosen for code in codes])
    if profile.peer_group == ScoringProfile.PeerGroup.SIMILAR:
        near = level_neighbours(level=level, period=period, profile=profile)
        if near is not None:  # else no demographic data at this level: the province instead
            mask = np.zeros(len(codes), dtype=bool)
            mask[[unit, *near.neighbours[unit]]] = True
            return mask
    labels = problem.dataset.peer_groups or ()
    return np.array([label == labels[unit] for label in labels])


@per_data_state
def level_neighbours(*, level: str, period: str, profile: ScoringProfile) -> SimilarUnits | None:
    """The look-alikes of every community of the level, by demographic profile."""
    problem = scoring_problem(level=level, period=period, profile=profile)
    if problem is None or len(problem.dataset.units) < 2:
        return None
    units = problem.dataset.units
    features = demographic_features(level=level, period=period, units=units)
    if features.shape[1] == 0:
        return None
    return similar_units(features, min(LOOK_ALIKES, len(units) - 1), units)


def scorecards_warm(*, profile: ScoringProfile) -> list[tuple[str, str]]:
    """Compute what the scorecard pages of each level need — the level scored in its latest and
    first periods, its rank intervals, its look-alikes — so that after an import no visitor waits
    seconds for them. Returns the (level, period) pairs now ready."""
    ready = []
    for level, _label in Community.Level.choices:
        periods = scorecard_periods(level=level)
        if not periods:
            continue
        for period in {periods[0], periods[-1]}:
            level_scored(level=level, period=period, profile=profile)
        level_uncertainty(level=level, period=periods[0], profile=profile)
        if profile.peer_group == ScoringProfile.PeerGroup.SIMILAR:
            level_neighbours(level=level, period=periods[0], profile=profile)
        ready.append((level, periods[0]))
    return ready


@dataclass(frozen=True)
class Sensitivity:
    """How much of the spread of ranks each varied assumption explains (first-order index)."""

    period: str
    draws: int
    indices: tuple[tuple[str, float], ...]  # (assumption, index), largest first


ASSUMPTIONS = {
    "weights": _("Weights"),
    "normalisation": _("Normalisation method"),
    "aggregation": _("Aggregation method"),
    "imputation": _("Treatment of missing data"),
}


def rank_sensitivity(*, level: str, profile: ScoringProfile) -> Sensitivity | None:
    """The sensitivity of the ranks of a level, in its latest period, to each assumption."""
    periods = scorecard_periods(level=level)
    found = level_uncertainty(level=level, period=periods[0], profile=profile) if periods else None
    if found is None:
        return None
    ordered = sorted(found.sensitivity.items(), key=lambda item: -item[1])
    return Sensitivity(
        periods[0], found.draws, tuple((str(ASSUMPTIONS.get(k, k)), v) for k, v in ordered)
    )


def _interval(
    community: Community, period: str, profile: ScoringProfile, unit: int
) -> RankInterval | None:
    found = level_uncertainty(level=community.level, period=period, profile=profile)
    if found is None or math.isnan(found.median_rank[unit]):
        return None
    return RankInterval(
        float(found.median_rank[unit]),
        float(found.rank_p05[unit]),
        float(found.rank_p95[unit]),
        found.draws,
    )


def _earliest_card(community: Community, period: str, profile: ScoringProfile) -> Scorecard | None:
    """The scorecard in the first period with data, for the trend; None if `period` is it."""
    earlier = [p for p in scorecard_periods(level=community.level) if p < period]
    if not earlier:
        return None
    return scorecard_compute(
        community=community, period=min(earlier), profile=profile, detailed=False
    )


def _lines(
    result: ScoreResult, problem: Problem, community: Community, characteristic: Characteristic
) -> tuple[IndicatorLine, ...]:
    explanation = explain(result, community.code, characteristic.code)
    return tuple(
        IndicatorLine(
            indicator=problem.indicators[part.indicator],
            period=problem.periods.get((community.code, part.indicator), ""),
            raw=None if math.isnan(part.raw) else part.raw,
            normalised=None if math.isnan(part.normalised) else part.normalised,
            weight=part.weight_in_node,
            contribution=part.contribution,
        )
        for part in explanation.contributions
    )


@transaction.atomic
def scoring_profile_save(*, name: str, actor: User, **choices: object) -> ScoringProfile:
    """Save changed choices as a new version of the profile; earlier versions stay as they were.
    Choices that change nothing save nothing: the latest version is returned as it is."""
    if not actor.has_perm("scorecards.change_scoringprofile"):
        raise PermissionDenied(_("You may not change scoring profiles."))
    latest = ScoringProfile.objects.filter(name=name).order_by("-version").first()
    kept = {f: getattr(latest, f) for f in ScoringProfile.CHOICE_FIELDS} if latest else {}
    fields = {**kept, **choices}
    if latest is not None and fields == kept:
        return latest
    profile = ScoringProfile(
        name=name,
        version=(latest.version + 1) if latest else 1,
        created_by=actor,
        **fields,
    )
    profile.full_clean()
    profile.save()
    return profile
