"""Find a community: rank places by what matters to a newcomer, nothing stored.

The same engine as the scorecards, with the person's priorities as the weights of the
characteristics (placed directly under one overall score, so each priority counts as said).
Without a size of place, metropolitan areas are ranked; with one, the municipalities of that
population-size class, among all municipalities.
"""

import math
from dataclasses import dataclass

from welcoming.core.models import Community
from welcoming.engines.scoring import Framework, Node, ScoringOptions, score
from welcoming.framework.models import Characteristic

from .selectors import OVERALL, scoring_problem, scoring_profile_current

IMPORTANCE = (0, 1, 2, 3)  # not important, somewhat, important, very important


@dataclass(frozen=True)
class Match:
    community: Community
    rank: int
    score: float
    parts: tuple[tuple[Characteristic, float | None, float], ...]  # (characteristic, score, weight)


def finder_level(size_class: str | None) -> str:
    """Metropolitan areas by default; municipalities when the person wants a size of place."""
    return Community.Level.CSD if size_class else Community.Level.CMA


def finder_characteristics(*, level: str = "cma", period: str = "9999") -> list[Characteristic]:
    """The characteristics the data can rank places on at this level."""
    problem = scoring_problem(level=level, period=period, profile=scoring_profile_current())
    if problem is None:
        return []
    in_tree = set(problem.framework.node_codes)
    return [c for c in problem.characteristics.values() if c.code in in_tree]


def community_find(
    *,
    priorities: dict[str, int],
    province: str | None = None,
    size_class: str | None = None,
    period: str = "9999",
    limit: int = 10,
) -> list[Match]:
    """Communities ranked by the weighted characteristics; an empty list without data."""
    level = finder_level(size_class)
    problem = scoring_problem(level=level, period=period, profile=scoring_profile_current())
    if problem is None:
        return []
    present = [code for code in problem.framework.node_codes if code in problem.characteristics]
    weights = {code: float(priorities.get(code, 1)) for code in present}
    if not any(weights.values()):
        weights = dict.fromkeys(present, 1.0)
    nodes = (
        Node(OVERALL, None, 1.0, 3),
        *(Node(code, OVERALL, weights[code] or 1e-9, 2) for code in present),
    )
    framework = Framework(problem.framework.indicators, nodes)
    result = score(problem.dataset, framework, ScoringOptions())
    overall = result.score(OVERALL)
    order = sorted(
        (
            i
            for i, unit in enumerate(result.units)
            if not math.isnan(overall[i])
            and (not province or problem.communities[unit].province_code == province)
            and (not size_class or problem.communities[unit].size_class == size_class)
        ),
        key=lambda i: -overall[i],
    )
    matches = []
    for rank, i in enumerate(order[:limit], start=1):
        unit = result.units[i]
        parts = tuple(
            (
                problem.characteristics[code],
                None if math.isnan(result.score(code)[i]) else float(result.score(code)[i]),
                weights[code],
            )
            for code in present
        )
        matches.append(Match(problem.communities[unit], rank, float(overall[i]), parts))
    return matches
