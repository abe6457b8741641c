"""`solve`: candidates, scores, the chosen solver, blocking pairs and explanations, end to end."""

from __future__ import annotations

import resource
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np

from .arrays import Arrays, BoolArray, IntArray, arrays_for
from .constraints import candidates, pair_km
from .explain import exclusion_counts, unmatched_from_counts
from .model import Problem, Program, Proposal, Result, Solver, Term
from .optimal import Assignment, solve_flow, solve_teams
from .score import SCORE_SCALE, TERMS, scores_int, term_values, weight_vector
from .stable import blocking_pairs, preference_keys, stable_assignment


@dataclass(frozen=True, slots=True)
class Rooms:
    """How many new hosts each newcomer may get: 0 or between low and high."""

    low: IntArray
    high: IntArray
    active: IntArray  # kept pairs per newcomer


def _validate(problem: Problem, solver: Solver) -> None:
    for side, people in (("newcomer", problem.newcomers), ("host", problem.hosts)):
        counts = Counter(p.id for p in people)
        repeated = sorted(pid for pid, count in counts.items() if count > 1)
        if repeated:
            raise ValueError(f"duplicate {side} ids: {', '.join(repeated[:10])}")
    newcomer_ids = {n.id for n in problem.newcomers}
    host_ids = {h.id for h in problem.hosts}
    for newcomer_id, host_id in problem.active:
        if newcomer_id not in newcomer_ids or host_id not in host_ids:
            raise ValueError(f"active pair ({newcomer_id}, {host_id}) names an unknown person")
    if len(set(problem.active)) != len(problem.active):
        raise ValueError("an active pair is listed twice")
    if solver == "stable" and problem.program.team_size is not None:
        raise ValueError(
            "the stable solver matches one host per newcomer; team programs need 'optimal'"
        )


def _rooms(problem: Problem) -> Rooms:
    per_newcomer = Counter(n for n, _ in problem.active)
    active = np.array([per_newcomer.get(n.id, 0) for n in problem.newcomers], dtype=np.int64)
    team = problem.program.team_size
    if team is None:
        high = (active == 0).astype(np.int64)
        return Rooms(low=np.ones_like(active), high=high, active=active)
    lo, hi = team
    # A household without a team needs lo..hi; one whose team shrank below lo is topped up to lo
    # or left as it is; a complete team may grow by any number up to hi.
    low = np.where(active == 0, lo, np.maximum(lo - active, 1))
    return Rooms(low=low, high=np.maximum(hi - active, 0), active=active)


def _searchable(a: Arrays, rooms: Rooms, min_level: int) -> IntArray:
    """Newcomers who could have a candidate at all: others would make the search scan every host."""
    n = a.newcomers
    speaks = ((n.lang_code >= 0) & (n.lang_level >= min_level)).any(axis=1)
    return np.flatnonzero(a.eligible & (rooms.high > 0) & (n.availability != 0) & speaks)


def _edges(a: Arrays, program: Program, rows: IntArray) -> tuple[IntArray, IntArray, IntArray]:
    ni, hi = candidates(a, rows, program.min_language_level, program.max_candidates)
    km = pair_km(a, ni, hi)
    return ni, hi, scores_int(a, program.weights, ni, hi, km, program.min_language_level)


_worker: tuple[Arrays, Program] | None = None


def _worker_init(a: Arrays, program: Program) -> None:
    global _worker
    _worker = (a, program)


def _worker_edges(rows: IntArray) -> tuple[IntArray, IntArray, IntArray]:
    assert _worker is not None
    return _edges(_worker[0], _worker[1], rows)


_explain_job: tuple[Arrays, Problem, IntArray] | None = None


def _explain_init(a: Arrays, problem: Problem, rows: IntArray) -> None:
    global _explain_job
    _explain_job = (a, problem, rows)


def _worker_counts() -> IntArray:
    assert _explain_job is not None
    return exclusion_counts(*_explain_job)


def _community_bins(a: Arrays, rows: IntArray, bins: int) -> list[IntArray]:
    """Whole communities per bin, largest first into the lightest bin: balanced and fixed."""
    community = a.newcomers.community[rows]
    codes, counts = np.unique(community, return_counts=True)
    load = [0] * bins
    members: list[list[int]] = [[] for _ in range(bins)]
    for position in np.lexsort((codes, -counts)).tolist():
        target = load.index(min(load))
        load[target] += int(counts[position])
        members[target].append(int(codes[position]))
    return [rows[np.isin(community, chosen)] for chosen in members if chosen]


def _all_edges(
    a: Arrays, program: Program, rows: IntArray, processes: int
) -> tuple[IntArray, IntArray, IntArray]:
    """Candidate edges and scores, in (newcomer, host) order whatever the number of processes.

    Each newcomer's candidates depend only on that newcomer and the hosts, so splitting newcomers
    by community and searching in several processes gives exactly the single-process edges.
    """
    if processes <= 1 or rows.size == 0:
        return _edges(a, program, rows)
    bins = _community_bins(a, rows, processes)
    with ProcessPoolExecutor(
        max_workers=min(processes, len(bins)), initializer=_worker_init, initargs=(a, program)
    ) as pool:
        parts = list(pool.map(_worker_edges, bins))
    ni = np.concatenate([p[0] for p in parts])
    hi = np.concatenate([p[1] for p in parts])
    score = np.concatenate([p[2] for p in parts])
    # Each part is already in (newcomer, host) order: a stable sort merges the sorted runs.
    order = np.argsort(ni * len(a.hosts.ids) + hi, kind="stable")
    return ni[order], hi[order], score[order]


def _assign(
    solver: Solver,
    problem: Problem,
    rooms: Rooms,
    capacity_left: IntArray,
    edges: tuple[IntArray, IntArray, IntArray],
    keys: tuple[IntArray, IntArray],
) -> Assignment:
    ni, hi, score = edges
    if solver == "stable":
        return Assignment(stable_assignment(ni, hi, keys[0], keys[1], capacity_left), True)
    if problem.program.team_size is None:
        return solve_flow(ni, hi, score, rooms.high, capacity_left)
    return solve_teams(ni, hi, score, rooms.low, rooms.high, capacity_left, problem.seed)


def _proposals(
    a: Arrays, problem: Problem, ni: IntArray, hi: IntArray, score: IntArray
) -> tuple[Proposal, ...]:
    program = problem.program
    values = term_values(a, program.weights, ni, hi, pair_km(a, ni, hi), program.min_language_level)
    # Terms are immutable and most values repeat (occupation has six, language four, waiting a
    # few hundred), so each (term, value) is built once and shared.
    made: dict[tuple[int, float], Term] = {}
    weights = weight_vector(program.weights).tolist()
    newcomer_ids, host_ids = a.newcomers.ids, a.hosts.ids
    out = []
    for n, h, s, row in zip(ni.tolist(), hi.tolist(), score.tolist(), values.tolist(), strict=True):
        terms = []
        for column, value in enumerate(row):
            term = made.get((column, value))
            if term is None:
                term = made[(column, value)] = Term(TERMS[column], value, weights[column])
            terms.append(term)
        out.append(Proposal(newcomer_ids[n], host_ids[h], s / SCORE_SCALE, tuple(terms)))
    return tuple(out)


def solve(
    problem: Problem,
    *,
    solver: Solver = "optimal",
    processes: int = 1,
    timings: dict[str, float] | None = None,
    cpu_timings: dict[str, float] | None = None,
) -> Result:
    """Propose hosts for the problem's newcomers (docs/matching.md).

    Kept (active) pairs use up their host's capacity and their newcomer's room and are not
    proposed again. The answer depends only on the problem and its seed, not on `processes`.
    `timings`, if given, receives the wall time of each stage in seconds (for benchmarks and logs),
    and `cpu_timings` its CPU time (this process's threads and its finished worker processes).
    """
    clock = _Clock(timings, cpu_timings)
    _validate(problem, solver)
    per_host = Counter(h for _, h in problem.active)
    a = arrays_for(problem, dict(per_host))
    rooms = _rooms(problem)
    rows = _searchable(a, rooms, problem.program.min_language_level)
    clock.lap("prepare")
    ni, hi, score = _all_edges(a, problem.program, rows, processes)
    clock.lap("candidates and scores")
    keys = preference_keys(ni, hi, score, len(problem.newcomers), len(problem.hosts), problem.seed)
    # Who may end up unmatched: every newcomer without a kept pair. With several processes, their
    # explanations are counted in a worker while this process solves; alone, only the newcomers
    # actually left unmatched are counted, after the solve. A row's counts do not depend on the
    # other rows, so both give the same explanations.
    maybe_waiting = np.flatnonzero(rooms.active == 0)
    pool = None
    if processes > 1 and maybe_waiting.size:
        pool = ProcessPoolExecutor(
            max_workers=1, initializer=_explain_init, initargs=(a, problem, maybe_waiting)
        )
        counting = pool.submit(_worker_counts)
    try:
        assignment = _assign(solver, problem, rooms, a.capacity_left, (ni, hi, score), keys)
        chosen = assignment.chosen
        clock.lap(f"solve ({solver})")
        blocking = blocking_pairs(ni, hi, keys[0], keys[1], chosen, rooms.high, a.capacity_left)
        clock.lap("blocking pairs")
        order = np.lexsort((-score[chosen], ni[chosen]))
        picked = np.flatnonzero(chosen)[order]
        matched: BoolArray = np.zeros(len(problem.newcomers), dtype=np.bool_)
        matched[ni[chosen]] = True
        waiting = np.flatnonzero(~matched & (rooms.active == 0))
        proposals = _proposals(a, problem, ni[picked], hi[picked], score[picked])
        clock.lap("proposals with terms")
        if pool is not None:
            counts = counting.result()[np.searchsorted(maybe_waiting, waiting)]
        else:
            counts = exclusion_counts(a, problem, waiting)
    finally:
        if pool is not None:
            pool.shutdown()
    unmatched = unmatched_from_counts(a, problem, waiting, counts, rooms.low)
    clock.lap("explanations")
    return Result(
        solver=solver,
        proposals=proposals,
        unmatched=unmatched,
        total_score=int(score[chosen].sum()) / SCORE_SCALE,
        blocking_pairs=tuple(
            (a.newcomers.ids[int(ni[e])], a.hosts.ids[int(hi[e])]) for e in blocking.tolist()
        ),
        proven_optimal=assignment.proven_optimal,
    )


def _cpu_seconds() -> float:
    """CPU time of this process (all threads) and of its finished child processes."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


class _Clock:
    def __init__(self, timings: dict[str, float] | None, cpu: dict[str, float] | None) -> None:
        self.timings = timings
        self.cpu = cpu
        self.last = time.perf_counter()
        self.last_cpu = _cpu_seconds() if cpu is not None else 0.0

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        if self.timings is not None:
            self.timings[stage] = self.timings.get(stage, 0.0) + now - self.last
        self.last = now
        if self.cpu is not None:
            now_cpu = _cpu_seconds()
            self.cpu[stage] = self.cpu.get(stage, 0.0) + now_cpu - self.last_cpu
            self.last_cpu = now_cpu
