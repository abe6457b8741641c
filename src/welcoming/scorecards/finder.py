"""Find a community: rank places by what matters to a newcomer, nothing stored.

The same engine as the scorecards, with the person's priorities as the weights of the
characteristics (placed directly under one overall score, so each priority counts as said).
Without a size of place, metropolitan areas are ranked; with one, the municipalities of that
population-size class, among all municipalities. A priority the data cannot honour at that level
is reported by `finder_unavailable`, never dropped silently.
"""

import math
import re
from dataclasses import dataclass

from welcoming.core.models import Community
from welcoming.engines.scoring import Framework, Node, ScoringOptions, score
from welcoming.framework.models import Characteristic

from .selectors import OVERALL, Problem, scoring_problem, scoring_profile_current

IMPORTANCE = (0, 1, 2, 3)  # not important, somewhat, important, very important
# Statistics Canada's types for land no municipality governs (unorganized territory and its
# subdivisions); the names catch them where the type was not imported.
UNORGANIZED_TYPES = frozenset({"NO", "SNO", "UNO", "TNO"})
UNORGANIZED_NAME = re.compile(
    r"^Division No\.\s*\d+,\s*Subd\.|\bUnorganized\b|\bnon organisé", re.IGNORECASE
)


@dataclass(frozen=True)
class Match:
    community: Community
    rank: int
    score: float
    parts: tuple[tuple[Characteristic, float | None, float], ...]  # (characteristic, score, weight)
    province: Community | None = None


def is_unorganized(community: Community) -> bool:
    """Land without a municipal government: no place a newcomer would choose to live in."""
    return community.csd_type in UNORGANIZED_TYPES or bool(
        UNORGANIZED_NAME.search(str(community.name))
    )


def finder_level(size_class: str | None) -> str:
    """Metropolitan areas by default; municipalities when the person wants a size of place."""
    return Community.Level.CSD if size_class else Community.Level.CMA


def finder_characteristics(*, level: str = "cma", period: str = "9999") -> list[Characteristic]:
    """The characteristics the data can rank places on at this level: every one with data."""
    problem = _problem(level, period)
    if problem is None:
        return []
    in_tree = set(problem.framework.node_codes)
    return [c for c in problem.characteristics.values() if c.code in in_tree]


def finder_unavailable(
    *, asked: dict[str, int], level: str, period: str = "9999"
) -> list[Characteristic]:
    """The characteristics marked important in `asked` that the data cannot rank places on at
    this level (no data there, or survey data only): the person is told, never ignored."""
    offered = {c.code for c in finder_characteristics(level=level, period=period)}
    wanted = {code for code, importance in asked.items() if importance > 0} - offered
    return list(
        Characteristic.objects.filter(code__in=wanted, framework__code="esses-2010").order_by(
            "rank"
        )
    )


def _problem(level: str, period: str) -> Problem | None:
    return scoring_problem(level=level, period=period, profile=scoring_profile_current())


def community_find(
    *,
    priorities: dict[str, int],
    province: str | None = None,
    size_class: str | None = None,
    include_unorganized: bool = False,
    period: str = "9999",
    limit: int = 10,
) -> list[Match]:
    """Communities ranked by the weighted characteristics; an empty list without data.

    Every characteristic with data at the level counts with the importance given (1 when not
    given); unorganized areas are left out unless `include_unorganized`."""
    level = finder_level(size_class)
    problem = _problem(level, period)
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
    provinces = {p.code: p for p in Community.objects.filter(level=Community.Level.PROVINCE)}
    by_pk = {p.pk: p for p in provinces.values()}

    def province_of(community: Community) -> Community | None:
        if community.level == Community.Level.CSD:
            return provinces.get(community.code[:2])
        return by_pk.get(community.parent_id) if community.parent_id else None

    def wanted(community: Community) -> bool:
        found = province_of(community)
        return (
            (not province or (found is not None and found.code == province))
            and (not size_class or community.size_class == size_class)
            and (include_unorganized or not is_unorganized(community))
        )

    order = sorted(
        (
            i
            for i, unit in enumerate(result.units)
            if not math.isnan(overall[i]) and wanted(problem.communities[unit])
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
        community = problem.communities[unit]
        matches.append(
            Match(community, rank, float(overall[i]), parts, province=province_of(community))
        )
    return matches
