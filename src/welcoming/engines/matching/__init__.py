"""Matching newcomers with hosts (docs/matching.md). Pure: numpy, scipy, OR-Tools, `matching`.

The problem and result types are in `model`; the Django side converts its rows to them and turns
`Exclusion` and `Term` values into sentences through gettext.
"""

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

__all__ = [
    "AVAILABILITY_ALL",
    "AVAILABILITY_SLOTS",
    "Exclusion",
    "Host",
    "LanguageSkill",
    "Newcomer",
    "Problem",
    "Program",
    "Proposal",
    "Result",
    "Solver",
    "Term",
    "Unmatched",
    "Weights",
]
