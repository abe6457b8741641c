"""Why a newcomer got no proposal: how many hosts each constraint removed.

The hosts considered are those of the newcomer's own community within R km, R being the largest
radius any host accepts (no host farther away could meet the newcomer in person, so R is the
smallest radius that holds every possible in-person candidate), plus, when the newcomer accepts
online meetings, the community's online hosts farther away. Online hosts of other communities are
left out: they are many, and listing them would drown the local reasons a coordinator can act on.

Each considered host is counted once, under the first constraint it fails in the order eligibility,
screening, language, distance, availability, preferences, capacity. So "of 40 hosts within 25 km,
12 are not screened and the other 28 do not speak Tigrinya" reads straight from the counts. Hosts
that passed every constraint are counted as ("capacity", n, "taken"): their places went to other
newcomers; in team programs, fewer such hosts than the smallest team gives ("team", n, lo).
"""

from __future__ import annotations

import numpy as np

from .arrays import SCREENING_DETAIL, Arrays, IntArray
from .constraints import FUNNEL, pair_km
from .model import Exclusion, Problem, Unmatched

GRID_CELLS = 1 << 21  # newcomer x host pairs per block: bounds the scratch arrays
STAGES = len(FUNNEL)  # index STAGES = passed everything


def _details(a: Arrays, problem: Problem, n: int, radius_km: float) -> dict[str, str]:
    newcomer = problem.newcomers[n]
    side = a.newcomers
    level = problem.program.min_language_level
    spoken = [
        a.language_names[int(code)]
        for code, lv in zip(side.lang_code[n].tolist(), side.lang_level[n].tolist(), strict=True)
        if code >= 0 and lv >= level
    ]
    return {
        "eligibility": ";".join(sorted(problem.program.requires_tags - newcomer.tags)),
        "language": ";".join(spoken),
        "distance": f"{radius_km:.0f}",
        "availability": "",
        "preferences": ";".join(sorted(newcomer.requires)),
        "capacity": "full",
    }


def explain_unmatched(
    a: Arrays,
    problem: Problem,
    waiting: IntArray,
    low: IntArray,
) -> tuple[Unmatched, ...]:
    """One `Unmatched` per newcomer in `waiting` (indices), in that order."""
    if waiting.size == 0:
        return ()
    radius_km = float(a.max_km.max(initial=0.0))
    stage_counts = np.zeros((waiting.size, STAGES + 1), dtype=np.int64)
    reason_counts = np.zeros((waiting.size, len(SCREENING_DETAIL) + 1), dtype=np.int64)
    host_order = np.argsort(a.hosts.community, kind="stable")
    host_communities = a.hosts.community[host_order]
    for community in np.unique(a.newcomers.community[waiting]).tolist():
        local = np.flatnonzero(a.newcomers.community[waiting] == community)
        lo, hi = np.searchsorted(host_communities, [community, community + 1])
        hosts = host_order[lo:hi]
        if hosts.size == 0:
            continue
        rows_per_block = max(1, GRID_CELLS // hosts.size)
        for start in range(0, local.size, rows_per_block):
            block = local[start : start + rows_per_block]
            _count_block(a, problem, waiting, block, hosts, radius_km, stage_counts, reason_counts)
    out = []
    for position, n in enumerate(waiting.tolist()):
        out.append(
            _unmatched(
                a, problem, n, radius_km, stage_counts[position], reason_counts[position], low
            )
        )
    return tuple(out)


def _count_block(
    a: Arrays,
    problem: Problem,
    waiting: IntArray,
    block: IntArray,
    hosts: IntArray,
    radius_km: float,
    stage_counts: IntArray,
    reason_counts: IntArray,
) -> None:
    row = np.repeat(block, hosts.size)
    ni = waiting[row]
    hi = np.tile(hosts, block.size)
    km = pair_km(a, ni, hi)
    near = (km <= radius_km) | (a.newcomers.online[ni] & a.hosts.online[hi])
    row, ni, hi, km = row[near], ni[near], hi[near], km[near]
    stage = np.full(ni.size, STAGES, dtype=np.int64)
    undecided = np.ones(ni.size, dtype=np.bool_)
    level = problem.program.min_language_level
    for index, (_, check) in enumerate(FUNNEL):
        pending = np.flatnonzero(undecided)
        failed = pending[~check(a, ni[pending], hi[pending], km[pending], level)]
        stage[failed] = index
        undecided[failed] = False
    np.add.at(stage_counts, (row, stage), 1)
    screening_stage = [name for name, _ in FUNNEL].index("screening")
    unscreened = stage == screening_stage
    np.add.at(reason_counts, (row[unscreened], a.screening[hi[unscreened]]), 1)


def _unmatched(
    a: Arrays,
    problem: Problem,
    n: int,
    radius_km: float,
    stages: IntArray,
    reasons: IntArray,
    low: IntArray,
) -> Unmatched:
    details = _details(a, problem, n, radius_km)
    exclusions: list[Exclusion] = []
    for index, (name, _) in enumerate(FUNNEL):
        if name == "screening":
            exclusions.extend(
                Exclusion(name, int(reasons[code]), detail)
                for code, detail in SCREENING_DETAIL.items()
                if reasons[code] > 0
            )
        elif stages[index] > 0:
            exclusions.append(Exclusion(name, int(stages[index]), details[name]))
    feasible = int(stages[STAGES])
    if feasible > 0:
        team = problem.program.team_size is not None and feasible < int(low[n])
        exclusions.append(
            Exclusion("team", feasible, str(int(low[n])))
            if team
            else Exclusion("capacity", feasible, "taken")
        )
    return Unmatched(
        newcomer_id=a.newcomers.ids[n],
        exclusions=tuple(exclusions),
        considered=int(stages.sum()),
        radius_km=radius_km,
    )
