"""Scorecards: the database's values through the scoring engine, explained for a person."""

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from welcoming.accounts.models import User
from welcoming.core.locking import StaleEdit, version_check
from welcoming.core.models import Community
from welcoming.engines.scoring import (
    FLAG_INSUFFICIENT,
    PriorityRule,
    ScoreResult,
    ScoringOptions,
    SimilarUnits,
    TrendBasis,
    UncertaintyOptions,
    UncertaintyResult,
    characteristics_changed,
    coverage_share,
    explain,
    is_meaningfully_behind,
    is_shown,
    monte_carlo,
    peer_group_or_level,
    score,
    similar_units,
    trend_basis,
)
from welcoming.framework.models import Characteristic, CharacteristicGroup, QolrsCategory
from welcoming.indicators.models import Indicator
from welcoming.indicators.selectors import NO_CREDIT, Credit, batch_credit

from .memo import per_data_state
from .models import ScoringProfile
from .selectors import (
    DEFAULT_PROFILE_LABELS,
    OVERALL,
    Problem,
    demographic_features,
    scorecard_first_periods,
    scorecard_periods,
    scoring_problem,
)

PRIORITIES = 3
LOOK_ALIKES = 10
UNCERTAINTY_DRAWS = 200  # enough for a stable 5–95 % rank interval on a page; seeded
PRIORITY_RULE = PriorityRule(iqr_share=0.25, min_points=2.0, min_peers=5)


@dataclass(frozen=True)
class NodeScore:
    code: str
    name: str
    score: float | None  # None: insufficient data or not shown, never a number
    rank: int | None
    peer_rank: int | None
    peer_median: float | None
    coverage: float
    shown: bool = True  # an overall or group score below the profile's coverage: not shown
    scored: int | None = None  # of an overall or group score: characteristics with a score
    of: int | None = None  # ... among the framework's (or the group's) characteristics
    behind: bool = False  # behind the peer median by more than the priority rule's margin


@dataclass(frozen=True)
class IndicatorLine:
    indicator: Indicator
    period: str
    raw: float | None
    normalised: float | None
    weight: float
    contribution: float
    credit: Credit = NO_CREDIT  # from the import that wrote the value, never the indicator's


@dataclass(frozen=True)
class CharacteristicCard:
    characteristic: Characteristic
    node: NodeScore
    lines: tuple[IndicatorLine, ...]
    earlier: float | None = None  # score in the trend's first period, when it compares

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


TREND_FIRST_PERIOD = "first-period"
TREND_SAME = "same-characteristics"
TREND_CHANGED = "characteristics-changed"
TREND_OVERALL_NOT_SHOWN = "overall-not-shown"
TREND_NOTHING_IN_COMMON = "nothing-in-common"


@dataclass(frozen=True)
class Trend:
    """The community against its own first period with data: the overall score when the same
    characteristics were scored then and now, else each characteristic scored in both."""

    first_period: str
    period: str
    basis: TrendBasis
    reason: str  # one of the TREND_* codes
    first_units: int
    units: int
    first_score: float | None = None  # overall, only when the basis is the overall score
    first_rank: int | None = None
    added: tuple[Characteristic, ...] = ()  # scored now, not then
    dropped: tuple[Characteristic, ...] = ()  # scored then, not now

    @property
    def explanation(self) -> str:
        """One sentence on what the trend compares, or why there is none."""
        values = {
            "first": self.first_period,
            "period": self.period,
            "then": self.first_units,
            "now": self.units,
            "added": ", ".join(str(c.name) for c in self.added) or "—",
            "dropped": ", ".join(str(c.name) for c in self.dropped) or "—",
        }
        sentences = {
            TREND_FIRST_PERIOD: gettext(
                "No trend: %(period)s is the first period with data for this community."
            ),
            TREND_SAME: gettext(
                "Compared with its own first period with data, %(first)s, on the same "
                "characteristics. Communities scored: %(then)d then, %(now)d now."
            ),
            TREND_CHANGED: gettext(
                "The characteristics scored changed since %(first)s, this community's first "
                "period with data (added: %(added)s; no longer "
                "scored: %(dropped)s), so the overall score is not compared; each characteristic "
                "scored in both periods is. Communities scored: %(then)d then, %(now)d now."
            )
            if self.added and self.dropped
            else gettext(
                "Characteristics were added since %(first)s, this community's first period with "
                "data (%(added)s), so the overall score is not compared; each characteristic "
                "scored in both periods is. Communities scored: %(then)d then, %(now)d now."
            )
            if self.added
            else gettext(
                "Characteristics are no longer scored since %(first)s, this community's first "
                "period with data (%(dropped)s), so the overall score is not compared; each "
                "characteristic scored in both periods is. Communities scored: %(then)d then, "
                "%(now)d now."
            ),
            TREND_OVERALL_NOT_SHOWN: gettext(
                "Without an overall score shown both in %(first)s, this community's first period "
                "with data, and in %(period)s, each characteristic scored in both periods is "
                "compared on its own. Communities scored: %(then)d then, %(now)d now."
            ),
            TREND_NOTHING_IN_COMMON: gettext(
                "No trend: no characteristic was scored both in %(first)s, this community's "
                "first period with data, and in %(period)s."
            ),
        }
        return sentences[self.reason] % values


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
    trend: Trend | None  # None only when not asked for (detailed=False)
    in_framework: int = 0  # the framework's characteristics (17 for Esses et al.)
    peer_group_size: int = 0  # the profile's own peer group, before any widening
    peers_widened: bool = False  # fewer than PRIORITY_RULE.min_peers: the whole level compares
    priorities: tuple[CharacteristicCard, ...] = ()

    @property
    def scored(self) -> int:
        """How many of the framework's characteristics have a score for this community."""
        return sum(1 for c in self.characteristics if c.node.score is not None)

    @property
    def ranked(self) -> bool:
        """A level with one community (Canada) shows values, not ranks."""
        return self.units > 1

    @property
    def not_scored(self) -> tuple[Characteristic, ...]:
        """Characteristics with indicators at this level but too little data for this one."""
        return tuple(c.characteristic for c in self.characteristics if c.node.score is None)

    @property
    def coverage_statement(self) -> str:
        return gettext("Scored on %(scored)d of %(total)d characteristics.") % {
            "scored": self.scored,
            "total": self.in_framework,
        }

    @property
    def peers_statement(self) -> str | None:
        """Why the peers are the whole level, when they are."""
        if not self.peers_widened or not self.ranked:
            return None
        return gettext(
            "Communities with data in the peer group: %(size)d, fewer than %(minimum)d. This "
            "scorecard compares with all %(units)d communities of the level instead."
        ) % {"size": self.peer_group_size, "minimum": PRIORITY_RULE.min_peers, "units": self.units}

    @property
    def priorities_statement(self) -> str:
        """The rule for priorities, or why there are none."""
        rule = {
            "points": f"{PRIORITY_RULE.min_points:g}",
            "minimum": PRIORITY_RULE.min_peers,
        }
        if not self.ranked or self.peers < PRIORITY_RULE.min_peers:
            return (
                gettext(
                    "Priorities need at least %(minimum)d communities to compare with; this level "
                    "has fewer."
                )
                % rule
            )
        stated = (
            gettext(
                "A characteristic is listed when its score is behind the peer median by more than "
                "a quarter of the peers' interquartile range and by at least %(points)s points."
            )
            % rule
        )
        if self.priorities:
            return stated
        return gettext("No characteristic is behind its peers by that margin.") + " " + stated


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

    `detailed` adds the rank interval (Monte Carlo) and the trend since the community's own
    first period with data.
    """
    scored = level_scored(level=community.level, period=period, profile=profile)
    if scored is None or community.code not in scored[0].communities:
        return None
    problem, result = scored
    unit = result.unit_index(community.code)
    units = len(problem.communities)
    own_peers = _peer_mask(problem, profile, unit, period=period, level=community.level)
    peers, widened = peer_group_or_level(own_peers, PRIORITY_RULE)
    ranked = units > 1

    def node(
        code: str,
        name: str,
        *,
        shown: bool = True,
        coverage: float | None = None,
        counts: tuple[int, int] | None = None,
    ) -> NodeScore:
        values = result.score(code)
        own = float(values[unit])
        insufficient = not shown or _own(result, code, unit) is None
        peer_values = values[peers]
        present = peer_values[~np.isnan(peer_values)]
        return NodeScore(
            code=code,
            name=name,
            score=None if insufficient else own,
            rank=None if insufficient or not ranked else int(result.rank(code)[unit]),
            peer_rank=None if insufficient or not ranked else int(np.sum(present > own)) + 1,
            peer_median=float(np.median(present)) if present.size and ranked and shown else None,
            coverage=float(result.coverage(code)[unit]) if coverage is None else coverage,
            shown=shown,
            scored=counts[0] if counts else None,
            of=counts[1] if counts else None,
            behind=not insufficient
            and ranked
            and is_meaningfully_behind(own, peer_values, PRIORITY_RULE),
        )

    in_tree = set(problem.framework.node_codes)
    characteristic_nodes = {
        c.code: node(c.code, str(c.name))
        for c in problem.characteristics.values()
        if c.code in in_tree
    }
    with_score = {code for code, n in characteristic_nodes.items() if n.score is not None}
    threshold = profile.min_framework_coverage
    groups = tuple(
        _group_node(node, group.code, str(group.name), members, with_score, in_tree, threshold)
        for group, members in _groups_of(problem)
    )
    overall_coverage = coverage_share(len(with_score), len(problem.characteristics))
    overall = node(
        OVERALL,
        "",
        shown=is_shown(overall_coverage, threshold),
        coverage=overall_coverage,
        counts=(len(with_score), len(problem.characteristics)),
    )
    trend, scores_then = (
        _trend(community, period, profile, overall, problem.characteristics, with_score, units)
        if detailed
        else (None, {})
    )
    cards = tuple(
        CharacteristicCard(
            c,
            characteristic_nodes[c.code],
            _lines(result, problem, community, c),
            scores_then.get(c.code) if c.code in with_score else None,
        )
        for c in problem.characteristics.values()
        if c.code in in_tree
    )
    behind = [c for c in cards if c.node.behind]
    return Scorecard(
        community=community,
        period=period,
        profile=profile,
        units=units,
        peers=int(peers.sum()),
        overall=overall,
        groups=groups,
        characteristics=cards,
        survey_only=tuple(c for c in problem.survey_only if c.code not in in_tree),
        without_data=tuple(
            c
            for c in problem.characteristics.values()
            if c.code not in in_tree and not c.survey_only
        ),
        categories=_categories(result, problem, unit, ranked=ranked),
        interval=_interval(community, period, profile, unit) if detailed and ranked else None,
        trend=trend,
        in_framework=len(problem.characteristics),
        peer_group_size=int(own_peers.sum()),
        peers_widened=widened and ranked,
        priorities=tuple(sorted(behind, key=lambda c: c.gap or 0.0)[:PRIORITIES]),
    )


def _groups_of(problem: Problem) -> list[tuple[CharacteristicGroup, list[str]]]:
    """The framework's groups, in order, each with the codes of its characteristics."""
    found: dict[str, tuple[CharacteristicGroup, list[str]]] = {}
    ordered = sorted(problem.characteristics.values(), key=lambda c: (c.group.order, c.rank))
    for characteristic in ordered:
        group = characteristic.group
        found.setdefault(group.code, (group, []))[1].append(characteristic.code)
    return list(found.values())


def _group_node(
    node: Callable[..., NodeScore],
    code: str,
    name: str,
    members: list[str],
    with_score: set[str],
    in_tree: set[str],
    threshold: float,
) -> NodeScore:
    """A group's score, shown only when enough of the group's characteristics have a score;
    its coverage is the share of the group's characteristics (in the framework) with one."""
    counts = (sum(1 for m in members if m in with_score), len(members))
    coverage = coverage_share(*counts)
    if code not in in_tree:
        return NodeScore(code, name, None, None, None, None, coverage, False, counts[0], counts[1])
    return node(code, name, shown=is_shown(coverage, threshold), coverage=coverage, counts=counts)


def _trend(
    community: Community,
    period: str,
    profile: ScoringProfile,
    overall: NodeScore,
    characteristics: dict[str, Characteristic],
    with_score: set[str],
    units: int,
) -> tuple[Trend, dict[str, float | None]]:
    """What compares between the community's own first period with data and `period`, and the
    score of each characteristic then."""
    first = scorecard_first_periods(level=community.level).get(community.code)
    earlier = (
        _scores_in(community, first, profile) if first is not None and first < period else None
    )
    if first is None or earlier is None:  # `period` is its first period with data
        return Trend(period, period, TrendBasis.NONE, TREND_FIRST_PERIOD, units, units), {}
    then = [code for code in characteristics if earlier.scores.get(code) is not None]
    now = [code for code in characteristics if code in with_score]
    shown_then = earlier.overall is not None
    basis = trend_basis(then, now, overall_then=shown_then, overall_now=overall.shown)
    added, dropped = characteristics_changed(then, now)
    if basis == TrendBasis.OVERALL:
        reason = TREND_SAME
    elif basis == TrendBasis.NONE:
        reason = TREND_NOTHING_IN_COMMON
    else:
        reason = TREND_CHANGED if added or dropped else TREND_OVERALL_NOT_SHOWN
    trend = Trend(
        first_period=first,
        period=period,
        basis=basis,
        reason=reason,
        first_units=earlier.units,
        units=units,
        first_score=earlier.overall if basis == TrendBasis.OVERALL else None,
        first_rank=earlier.rank if basis == TrendBasis.OVERALL else None,
        added=tuple(characteristics[c] for c in added),
        dropped=tuple(characteristics[c] for c in dropped),
    )
    return trend, ({} if basis == TrendBasis.NONE else earlier.scores)


@dataclass(frozen=True)
class _Scores:
    """A community's scores in one period, as its scorecard would show them (for the trend)."""

    units: int
    scores: dict[str, float | None]  # by characteristic code; None: insufficient data
    overall: float | None  # None: insufficient data or not shown
    rank: int | None


def _scores_in(community: Community, period: str, profile: ScoringProfile) -> _Scores | None:
    scored = level_scored(level=community.level, period=period, profile=profile)
    if scored is None or community.code not in scored[0].communities:
        return None
    problem, result = scored
    unit = result.unit_index(community.code)
    in_tree = set(problem.framework.node_codes)
    scores = {code: _own(result, code, unit) for code in problem.characteristics if code in in_tree}
    present = sum(1 for v in scores.values() if v is not None)
    shown = is_shown(
        coverage_share(present, len(problem.characteristics)), profile.min_framework_coverage
    )
    overall = _own(result, OVERALL, unit) if shown else None
    units = len(problem.communities)
    ranked = overall is not None and units > 1
    return _Scores(units, scores, overall, int(result.rank(OVERALL)[unit]) if ranked else None)


def _own(result: ScoreResult, code: str, unit: int) -> float | None:
    """The unit's score of a node, or None when its data are insufficient."""
    value = float(result.score(code)[unit])
    if bool(result.flags(code)[unit] & FLAG_INSUFFICIENT) or math.isnan(value):
        return None
    return value


def _categories(
    result: ScoreResult, problem: Problem, unit: int, *, ranked: bool
) -> tuple[NodeScore, ...]:
    """The same normalised indicators rolled up by QOLRS category."""
    if result.groups is None:
        return ()
    names = problem.categories
    out = []
    for j, code in enumerate(result.groups.codes):
        value = float(result.groups.scores[unit, j])
        out.append(
            NodeScore(
                code=names[int(code)].code,
                name=str(names[int(code)].name),
                score=None if math.isnan(value) else value,
                rank=None
                if math.isnan(result.groups.ranks[unit, j]) or not ranked
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
    mc = UncertaintyOptions(
        draws=UNCERTAINTY_DRAWS,
        seed=profile.version,
        weight_noise=profile.weight_noise,  # type: ignore[arg-type]
        noise_factor=profile.noise_factor,
    )
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
    """Compute what the scorecard pages of each level need — the level scored in its latest
    period and in each community's first period with data, its rank intervals, its look-alikes —
    so that after an import no visitor waits seconds for them. Returns the (level, period) pairs
    now ready."""
    ready = []
    for level, _label in Community.Level.choices:
        periods = scorecard_periods(level=level)
        if not periods:
            continue
        firsts = set(scorecard_first_periods(level=level).values())
        for period in {periods[0], periods[-1], *firsts}:
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


def _lines(
    result: ScoreResult,
    problem: Problem,
    community: Community,
    characteristic: Characteristic,
) -> tuple[IndicatorLine, ...]:
    explanation = explain(result, community.code, characteristic.code)
    used = problem.used.get(community.code, {})
    lines = []
    for part in explanation.contributions:
        found = used.get(part.indicator)
        batch = problem.batches.get(found.batch) if found and found.batch is not None else None
        lines.append(
            IndicatorLine(
                indicator=problem.indicators[part.indicator],
                period=found.period if found else "",
                raw=None if math.isnan(part.raw) else part.raw,
                normalised=None if math.isnan(part.normalised) else part.normalised,
                weight=part.weight_in_node,
                contribution=part.contribution,
                credit=batch_credit(batch),
            )
        )
    return tuple(lines)


@transaction.atomic
def scoring_profile_save(
    *, name: str, actor: User, expected_version: int | None = None, **choices: object
) -> ScoringProfile:
    """Save changed choices as a new version of the profile; earlier versions stay as they were.
    Choices that change nothing save nothing: the latest version is returned as it is.

    `expected_version` is the version the editor opened: if another version was saved since,
    StaleEdit is raised and nothing is saved (two saves racing: the second one is refused by the
    unique version number)."""
    if not actor.has_perm("scorecards.change_scoringprofile"):
        raise PermissionDenied(_("You may not change scoring profiles."))
    latest = ScoringProfile.objects.filter(name=name).order_by("-version").first()
    version_check(current=latest.version if latest else None, expected=expected_version)
    kept = {f: getattr(latest, f) for f in ScoringProfile.CHOICE_FIELDS} if latest else {}
    if latest is None and name == "default":
        kept.update(DEFAULT_PROFILE_LABELS)
    labels = ("label_en", "label_fr")  # an empty display name is "", never None
    kept.update({f: kept[f] or "" for f in labels if f in kept})
    fields = {**kept, **choices}
    fields.update({f: fields[f] or "" for f in labels if f in fields})
    if latest is not None and fields == kept:
        return latest
    profile = ScoringProfile(
        name=name,
        version=(latest.version + 1) if latest else 1,
        created_by=actor,
        **fields,
    )
    profile.full_clean(exclude={"version"})  # computed here; its uniqueness referees a race
    try:
        with transaction.atomic():
            profile.save()
    except IntegrityError as taken:
        if ScoringProfile.objects.filter(name=name, version=profile.version).exists():
            raise StaleEdit(expected=profile.version - 1, current=profile.version) from taken
        raise
    return profile
