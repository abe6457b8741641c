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

from .arrays import SCREENING_DETAIL, Arrays, FloatArray, IntArray, km_for_chord
from .constraints import FUNNEL
from .model import Exclusion, Problem, Unmatched

EXPLAIN_NEAREST = 200
BLOCK_ROWS = 8192  # newcomers per query block: bounds the (rows x EXPLAIN_NEAREST) scratch arrays
STAGES = len(FUNNEL)
SCREENING_STAGE = [name for name, _ in FUNNEL].index("screening")
# Count columns: the FUNNEL stages in order, screening split into one column per reason (in
# SCREENING_DETAIL order, codes 1, 2, 3), then one column for the hosts that passed everything.
COLUMNS: tuple[tuple[str, str | None], ...] = tuple(
    (name, reason)
    for index, (name, _) in enumerate(FUNNEL)
    for reason in (SCREENING_DETAIL.values() if index == SCREENING_STAGE else (None,))
)
STAGE_COLUMN = tuple(
    index if index <= SCREENING_STAGE else index + len(SCREENING_DETAIL) - 1
    for index in range(STAGES)
)
PASSED_COLUMN = len(COLUMNS)


class _Details:
    """The detail strings of a newcomer's exclusions, and shared Exclusion objects.

    Exclusions are immutable, and tens of thousands of unmatched newcomers repeat the same few
    (constraint, count, detail) triples, so each is built once.
    """

    def __init__(self, problem: Problem, radius_km: float) -> None:
        self.problem = problem
        self.radius_km = radius_km
        self.level = problem.program.min_language_level
        self.fixed = {"distance": f"{radius_km:.0f}", "capacity": "full"}
        self.made: dict[tuple[str, int, str], Exclusion] = {}

    def detail(self, n: int, constraint: str) -> str:
        fixed = self.fixed.get(constraint)
        if fixed is not None:
            return fixed
        newcomer = self.problem.newcomers[n]
        if constraint == "eligibility":
            return ";".join(sorted(self.problem.program.requires_tags - newcomer.tags))
        if constraint == "language":
            return ";".join(s.code for s in newcomer.languages if s.level >= self.level)
        if constraint == "preferences":
            return ";".join(sorted(newcomer.requires))
        return ""

    def exclusion(self, constraint: str, removed: int, detail: str) -> Exclusion:
        key = (constraint, removed, detail)
        made = self.made.get(key)
        if made is None:
            made = self.made[key] = Exclusion(constraint, removed, detail)
        return made


def explain_unmatched(
    a: Arrays,
    problem: Problem,
    waiting: IntArray,
    low: IntArray,
) -> tuple[Unmatched, ...]:
    """One `Unmatched` per newcomer in `waiting` (indices), in that order."""
    return unmatched_from_counts(a, problem, waiting, exclusion_counts(a, problem, waiting), low)


def exclusion_counts(a: Arrays, problem: Problem, rows: IntArray) -> IntArray:
    """Per newcomer in `rows`, how many considered hosts each column of COLUMNS removed (and, last,
    how many passed everything). A row's counts depend on that newcomer and the hosts only."""
    counts = np.zeros((rows.size, PASSED_COLUMN + 1), dtype=np.int64)
    if rows.size == 0:
        return counts
    radius_km = float(a.max_km.max(initial=0.0))
    host_order = np.argsort(a.hosts.community, kind="stable")
    host_communities = a.hosts.community[host_order]
    for community in np.unique(a.newcomers.community[rows]).tolist():
        local = np.flatnonzero(a.newcomers.community[rows] == community)
        lo, hi = np.searchsorted(host_communities, [community, community + 1])
        hosts = host_order[lo:hi]
        if hosts.size == 0:
            continue
        tree = cKDTree(a.hosts.xyz[hosts])
        k = min(EXPLAIN_NEAREST, hosts.size)
        for start in range(0, local.size, BLOCK_ROWS):
            block = local[start : start + BLOCK_ROWS]
            chord, position = tree.query(a.newcomers.xyz[rows[block]], k=k, workers=-1)
            position = np.asarray(position, dtype=np.int64).reshape(block.size * k)
            km = km_for_chord(np.asarray(chord, dtype=np.float64).reshape(block.size * k))
            row = np.repeat(block, k)
            _count(a, problem, rows, row, hosts[position], km, radius_km, counts)
    return counts


def unmatched_from_counts(
    a: Arrays, problem: Problem, waiting: IntArray, counts: IntArray, low: IntArray
) -> tuple[Unmatched, ...]:
    """The `Unmatched` of each newcomer in `waiting`, from its row of `exclusion_counts`."""
    details = _Details(problem, float(a.max_km.max(initial=0.0)))
    return tuple(
        _unmatched(a, n, row, low, details)
        for n, row in zip(waiting.tolist(), counts.tolist(), strict=True)
    )


def _count(
    a: Arrays,
    problem: Problem,
    waiting: IntArray,
    row: IntArray,
    hi: IntArray,
    km: FloatArray,
    radius_km: float,
    stage_counts: IntArray,
) -> None:
    """Add each considered pair to its row's count of the first constraint it fails.

    Every check runs on the whole block at once
    (no per-stage subsetting): the first failure is the lowest failing stage, found by writing
    the stages from the last to the first.
    """
    ni = waiting[row]
    near = (km <= radius_km) | (a.newcomers.online[ni] & a.hosts.online[hi])
    if not near.all():
        row, ni, hi, km = row[near], ni[near], hi[near], km[near]
    column = np.full(ni.size, PASSED_COLUMN, dtype=np.int64)
    level = problem.program.min_language_level
    for index in range(STAGES - 1, -1, -1):
        failed = ~FUNNEL[index][1](a, ni, hi, km, level)
        if index == SCREENING_STAGE:
            column[failed] = SCREENING_STAGE + a.screening[hi[failed]] - 1
        else:
            column[failed] = STAGE_COLUMN[index]
    # bincount over flat (row, column) cells: much faster than np.add.at on millions of pairs
    stage_counts += np.bincount(
        row * stage_counts.shape[1] + column, minlength=stage_counts.size
    ).reshape(stage_counts.shape)


def _unmatched(
    a: Arrays,
    n: int,
    counts: list[int],
    low: IntArray,
    details: _Details,
) -> Unmatched:
    exclusions: list[Exclusion] = []
    for column, (name, reason) in enumerate(COLUMNS):
        removed = counts[column]
        if removed > 0:
            detail = reason if reason is not None else details.detail(n, name)
            exclusions.append(details.exclusion(name, removed, detail))
    feasible = counts[PASSED_COLUMN]
    if feasible > 0:
        team = details.problem.program.team_size is not None and feasible < int(low[n])
        exclusions.append(
            details.exclusion("team", feasible, str(int(low[n])))
            if team
            else details.exclusion("capacity", feasible, "taken")
        )
    return Unmatched(
        newcomer_id=a.newcomers.ids[n],
        exclusions=tuple(exclusions),
        considered=sum(counts),
        radius_km=details.radius_km,
    )
