"""One period, end to end: prepare → normalise → aggregate → rank (OECD/JRC Handbook order)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .aggregate import Plan, compile_plan, group_rollup, propagate_flags, run_levels
from .model import (
    FLAG_IMPUTED,
    FLAG_INSUFFICIENT,
    FLAG_WINSORISED,
    Dataset,
    FlagArray,
    FloatArray,
    Framework,
    LevelScores,
    ScoreResult,
    ScoringOptions,
    frozen_array,
    frozen_flags,
)
from .normalise import normalise
from .prepare import Prepared, prepare
from .ranks import peer_rank, rank_desc


def score(
    data: Dataset, framework: Framework, options: ScoringOptions | None = None
) -> ScoreResult:
    """Every normalised indicator and every aggregate of one period, with coverage, flags, ranks
    and ranks within peer groups (when the dataset has them)."""
    opts = options or ScoringOptions()
    raw = data.aligned(framework)
    plan = compile_plan(framework, opts.weights)
    prep = prepare(raw, framework, opts, data.peer_groups, opts.missing)
    norm = normalise(prep.treated, framework, opts.normalise, opts)
    ranked = rank_levels(aggregate_levels(plan, framework, opts, raw, prep, norm), data.peer_groups)
    return ScoreResult(
        units=data.units,
        framework=framework,
        options=opts,
        raw=frozen_array(raw),
        treated=frozen_array(prep.treated),
        normalised=frozen_array(norm),
        levels=tuple(lvl for lvl in ranked if lvl.level > 0),
        groups=next((lvl for lvl in ranked if lvl.level == 0), None),
        treatment=prep.reports,
        child_weights=_child_weights(plan),
    )


@dataclass(frozen=True)
class Unranked:
    """Scores of one level before ranking (level 0: the secondary grouping)."""

    level: int
    codes: tuple[str, ...]
    scores: FloatArray
    coverage: FloatArray
    flags: FlagArray


def rank_levels(
    levels: list[Unranked], peer_groups: tuple[str, ...] | None
) -> tuple[LevelScores, ...]:
    """Rank every column of every level in one vectorised pass (and within peer groups)."""
    scores = np.hstack([lvl.scores for lvl in levels])
    ranks = rank_desc(scores)
    peers = None if peer_groups is None else peer_rank(scores, peer_groups)
    out: list[LevelScores] = []
    start = 0
    for lvl in levels:
        cut = slice(start, start + len(lvl.codes))
        start = cut.stop
        out.append(
            LevelScores(
                level=lvl.level,
                codes=lvl.codes,
                scores=frozen_array(lvl.scores),
                coverage=frozen_array(lvl.coverage),
                flags=frozen_flags(lvl.flags),
                ranks=frozen_array(ranks[:, cut]),
                peer_ranks=None if peers is None else frozen_array(peers[:, cut]),
            )
        )
    return tuple(out)


def aggregate_levels(
    plan: Plan,
    framework: Framework,
    opts: ScoringOptions,
    raw: FloatArray,
    prep: Prepared,
    norm: FloatArray,
) -> list[Unranked]:
    """Indicators, then every level of aggregates, then the secondary grouping if any."""
    observed = (~np.isnan(raw)).astype(np.float64)
    node_scores, node_cov, insufficient = run_levels(
        plan, norm, observed, plan.edge_weights, opts.aggregate, opts.min_coverage
    )
    ind_flags: FlagArray = np.zeros(raw.shape, dtype=np.uint8)
    ind_flags[prep.imputed] |= FLAG_IMPUTED
    ind_flags[prep.winsorised] |= FLAG_WINSORISED
    ind_flags[np.isnan(norm)] |= FLAG_INSUFFICIENT
    node_flags: FlagArray = np.zeros(node_scores.shape, dtype=np.uint8)
    node_flags[propagate_flags(plan, prep.imputed)] |= FLAG_IMPUTED
    node_flags[insufficient] |= FLAG_INSUFFICIENT
    out = [Unranked(1, plan.indicator_codes, norm, observed, ind_flags)]
    for level, nodes in plan.levels:
        out.append(
            Unranked(
                level,
                tuple(plan.node_codes[i] for i in nodes),
                node_scores[:, nodes],
                node_cov[:, nodes],
                node_flags[:, nodes],
            )
        )
    groups = group_rollup(
        framework, opts.weights, norm, observed, prep.imputed, opts.aggregate, opts.min_coverage
    )
    if groups is not None:
        out.append(Unranked(0, groups.codes, groups.scores, groups.coverage, groups.flags))
    return out


def _child_weights(plan: Plan) -> dict[str, dict[str, float]]:
    """Nominal weight of each child within its parent (they sum to 1 per parent)."""
    out: dict[str, dict[str, float]] = {}
    for e in range(plan.edge_weights.size):
        parent = plan.node_codes[int(plan.edge_parent[e])]
        out.setdefault(parent, {})[plan.child_code(e)] = float(plan.edge_weights[e])
    return out
