"""Composite-indicator scoring (OECD/JRC Handbook, COINr semantics). Pure numpy/scipy.

Main entry points:

- `score(data, framework, options)`: one period end to end → `ScoreResult` (every level's
  scores, coverage, flags, ranks, peer ranks; treatment report).
- `explain(result, unit, node)`: which indicators made a score, with weights and contributions.
- `monte_carlo(data, framework, options, mc)`: rank intervals and sensitivity indices.
- `similar_units(features, k)`: the k most similar units (standardized Euclidean distance).
- Reading a scorecard honestly (`reading`): `coverage_share`, `is_shown`, `PriorityRule` with
  `is_meaningfully_behind` and `peer_group_or_level`, `trend_basis`.
- COINr layout: `read_coinr`, `score_table`, `to_csv_rows`, `write_score_csv`,
  `parse_normalise_spec`, `read_weights`.
- Stages, for callers that need one step: `prepare`, `normalise`, `compile_plan`,
  `run_levels`, `rank_desc`, `peer_rank`.
"""

from .aggregate import Plan, compile_plan, run_levels, unweighable_nodes
from .coinr import (
    ScoreTable,
    parse_normalise_spec,
    rank_intervals,
    read_coinr,
    read_weights,
    score_table,
    to_csv_rows,
    write_score_csv,
)
from .explain import explain, similar_units
from .model import (
    FLAG_IMPUTED,
    FLAG_INSUFFICIENT,
    FLAG_WINSORISED,
    Contribution,
    Dataset,
    Explanation,
    Framework,
    IndicatorMeta,
    LevelScores,
    Node,
    ScoreResult,
    ScoringOptions,
    SimilarUnits,
    TreatmentReport,
    UncertaintyOptions,
    UncertaintyResult,
)
from .normalise import normalise
from .pipeline import score
from .prepare import Prepared, impute_peer_median, prepare, skew_kurt, treat_column
from .ranks import peer_rank, rank_desc
from .reading import (
    PriorityRule,
    TrendBasis,
    characteristics_changed,
    coverage_share,
    is_meaningfully_behind,
    is_shown,
    margin_needed,
    peer_group_or_level,
    trend_basis,
)
from .uncertainty import first_order_index, monte_carlo

__all__ = [
    "FLAG_IMPUTED",
    "FLAG_INSUFFICIENT",
    "FLAG_WINSORISED",
    "Contribution",
    "Dataset",
    "Explanation",
    "Framework",
    "IndicatorMeta",
    "LevelScores",
    "Node",
    "Plan",
    "Prepared",
    "PriorityRule",
    "ScoreResult",
    "ScoreTable",
    "ScoringOptions",
    "SimilarUnits",
    "TreatmentReport",
    "TrendBasis",
    "UncertaintyOptions",
    "UncertaintyResult",
    "characteristics_changed",
    "compile_plan",
    "coverage_share",
    "explain",
    "first_order_index",
    "impute_peer_median",
    "is_meaningfully_behind",
    "is_shown",
    "margin_needed",
    "monte_carlo",
    "normalise",
    "parse_normalise_spec",
    "peer_group_or_level",
    "peer_rank",
    "prepare",
    "rank_desc",
    "rank_intervals",
    "read_coinr",
    "read_weights",
    "run_levels",
    "score",
    "score_table",
    "similar_units",
    "skew_kurt",
    "to_csv_rows",
    "treat_column",
    "trend_basis",
    "unweighable_nodes",
    "write_score_csv",
]
