"""Why a newcomer got no proposal: how many hosts each constraint removed.

The hosts considered are the EXPLAIN_NEAREST nearest hosts of the newcomer's own community that
lie within R km, R being the largest radius any host accepts (no host farther away could meet the
newcomer in person, so R is the smallest radius that holds every possible in-person candidate), or
that accept online meetings when the newcomer does. Online hosts of other communities are left
out, and so are hosts beyond the nearest EXPLAIN_NEAREST: a reason that holds for the 200 nearest
hosts is the one a coordinator can act on, and the bound keeps explaining 60,000 unmatched
newcomers in a city of 5,000 hosts to seconds rather than minutes.

Each considered host is counted once, under the first constraint it fails in the order eligibility,
screening, language, distance, availability, preferences, capacity. So "of 40 hosts within 25 km,
12 are not screened and the other 28 do not speak Tigrinya" reads straight from the counts. Hosts
that passed every constraint are counted as ("capacity", n, "taken"): their places went to other
newcomers; in team programs, fewer such hosts than the smallest team gives ("team", n, lo).
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

from .arrays import SCREENING_DETAIL, Arrays, IntArray
from .constraints import FUNNEL, pair_km
from .model import Exclusion, Problem, Unmatched

EXPLAIN_NEAREST = 200
BLOCK_ROWS = 8192  # newcomers per query block: bounds the (rows x EXPLAIN_NEAREST) scratch arrays
STAGES = len(FUNNEL)  # index STAGES = passed everything
SCREENING_STAGE = [name for name, _ in FUNNEL].index("screening")


def _detail(problem: Problem, n: int, constraint: str, radius_km: float) -> str:
    newcomer = problem.newcomers[n]
    if constraint == "eligibility":
        return ";".join(sorted(problem.program.requires_tags - newcomer.tags))
    if constraint == "language":
        level = problem.program.min_language_level
        return ";".join(s.code for s in newcomer.languages if s.level >= level)
    if constraint == "distance":
        return f"{radius_km:.0f}"
    if constraint == "preferences":
        return ";".join(sorted(newcomer.requires))
    if constraint == "capacity":
        return "full"
    return ""


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
        tree = cKDTree(a.hosts.xyz[hosts])
        k = min(EXPLAIN_NEAREST, hosts.size)
        for start in range(0, local.size, BLOCK_ROWS):
            block = local[start : start + BLOCK_ROWS]
            _, position = tree.query(a.newcomers.xyz[waiting[block]], k=k, workers=-1)
            position = np.asarray(position, dtype=np.int64).reshape(block.size, k)
            row = np.repeat(block, k)
            _count(
                a,
                problem,
                waiting,
                row,
                hosts[position.ravel()],
                radius_km,
                stage_counts,
                reason_counts,
            )
    out = []
    for position, n in enumerate(waiting.tolist()):
        out.append(
            _unmatched(
                a, problem, n, radius_km, stage_counts[position], reason_counts[position], low
            )
        )
    return tuple(out)


def _count(
    a: Arrays,
    problem: Problem,
    waiting: IntArray,
    row: IntArray,
    hi: IntArray,
    radius_km: float,
    stage_counts: IntArray,
    reason_counts: IntArray,
) -> None:
    ni = waiting[row]
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
    # bincount over flat (row, column) cells: much faster than np.add.at on millions of pairs
    stage_counts += np.bincount(
        row * stage_counts.shape[1] + stage, minlength=stage_counts.size
    ).reshape(stage_counts.shape)
    unscreened = stage == SCREENING_STAGE
    reason_counts += np.bincount(
        row[unscreened] * reason_counts.shape[1] + a.screening[hi[unscreened]],
        minlength=reason_counts.size,
    ).reshape(reason_counts.shape)


def _unmatched(
    a: Arrays,
    problem: Problem,
    n: int,
    radius_km: float,
    stages: IntArray,
    reasons: IntArray,
    low: IntArray,
) -> Unmatched:
    exclusions: list[Exclusion] = []
    counts = stages.tolist()
    by_reason = reasons.tolist()
    for index, (name, _) in enumerate(FUNNEL):
        if index == SCREENING_STAGE:
            exclusions.extend(
                Exclusion(name, by_reason[code], detail)
                for code, detail in SCREENING_DETAIL.items()
                if by_reason[code] > 0
            )
        elif counts[index] > 0:
            exclusions.append(Exclusion(name, counts[index], _detail(problem, n, name, radius_km)))
    feasible = counts[STAGES]
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
        considered=sum(counts),
        radius_km=radius_km,
    )
