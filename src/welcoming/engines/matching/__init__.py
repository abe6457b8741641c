"""Matching newcomers with hosts (docs/matching.md). Pure: numpy, scipy, OR-Tools, `matching`.

- `solve(problem, solver=..., processes=...)`: candidates from a k-d tree, hard constraints,
  scores, the optimal (min-cost flow; CP-SAT for team programs) or stable assignment, blocking
  pairs and explanations for unmatched newcomers.
- `solve_edges(edges, capacities)`: the optimal assignment for given scored pairs.
- The problem and result types are in `model`; the Django side converts its rows to them and turns
  `Exclusion` and `Term` values into sentences through gettext.
"""

from .edges import EdgeAssignment, solve_edges
from .engine import solve
from .model import (
    AVAILABILITY_ALL,
    AVAILABILITY_SLOTS,
    Exclusion,
    Host,
    LanguageSkill,
    Newcomer,
    Problem,
    Program,
    Proposal,
    Result,
    Solver,
    Term,
    Unmatched,
    Weights,
)
from .optimal import ScoreRangeError
from .score import SCORE_SCALE, TERMS

__all__ = [
    "AVAILABILITY_ALL",
    "AVAILABILITY_SLOTS",
    "SCORE_SCALE",
    "TERMS",
    "EdgeAssignment",
    "Exclusion",
    "Host",
    "LanguageSkill",
    "Newcomer",
    "Problem",
    "Program",
    "Proposal",
    "Result",
    "ScoreRangeError",
    "Solver",
    "Term",
    "Unmatched",
    "Weights",
    "solve",
    "solve_edges",
]
