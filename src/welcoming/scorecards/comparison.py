"""Several communities side by side, from one run of the engine."""

import math
from dataclasses import dataclass

from welcoming.core.models import Community
from welcoming.engines.scoring.reading import coverage_share, is_shown

from .models import ScoringProfile
from .selectors import OVERALL
from .services import level_scored


@dataclass(frozen=True)
class Comparison:
    period: str
    columns: tuple[tuple[str, str], ...]  # (code, name): overall first, then characteristics
    rows: tuple[tuple[Community, int | None, tuple[float | None, ...]], ...]  # community, rank
    in_framework: int  # characteristics in the framework
    min_framework_coverage: float  # the share of them a community needs for an overall score


def scorecard_compare(
    *,
    level: str,
    period: str,
    profile: ScoringProfile,
    codes: list[str] | None = None,
    province: str | None = None,
    size_class: str | None = None,
    sort: str = OVERALL,
) -> Comparison | None:
    """Scores of the chosen communities (codes, or those of a province and a population-size
    class, or all), sorted by a column; ranks stay those among every community of the level."""
    scored = level_scored(level=level, period=period, profile=profile)
    if scored is None:
        return None
    problem, result = scored
    characteristics = [
        c for c in problem.characteristics.values() if c.code in problem.framework.node_codes
    ]
    columns = ((OVERALL, ""), *((c.code, str(c.name)) for c in characteristics))
    ranks = result.rank(OVERALL)
    in_framework = len(problem.characteristics)
    rows = []
    for i, unit in enumerate(result.units):
        community = problem.communities[unit]
        if codes and unit not in codes:
            continue
        if province and community.province_code != province:
            continue
        if size_class and community.size_class != size_class:
            continue
        values = tuple(_number(result.score(code)[i]) for code, _name in columns)
        rank = None if math.isnan(ranks[i]) else int(ranks[i])
        with_score = sum(value is not None for value in values[1:])
        if not is_shown(coverage_share(with_score, in_framework), profile.min_framework_coverage):
            # As on the scorecard: no overall score (nor its rank) on too few characteristics.
            values, rank = (None, *values[1:]), None
        rows.append((community, rank, values))
    at = next((n for n, (code, _name) in enumerate(columns) if code == sort), 0)
    rows.sort(key=lambda row: (row[2][at] is None, -(row[2][at] or 0.0)))
    return Comparison(period, columns, tuple(rows), in_framework, profile.min_framework_coverage)


def _number(value: float) -> float | None:
    return None if math.isnan(value) else float(value)
