"""Explanations against a plain-Python funnel; the same answer with or without worker processes."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from welcoming.engines.matching import Problem, solve
from welcoming.engines.matching.model import Exclusion, Host, Newcomer
from welcoming.engines.matching.optimal import _compact

from .strategies import haversine_km, near_radius, problems

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def first_failure(problem: Problem, n: Newcomer, h: Host) -> tuple[str, str]:
    """The first constraint the pair fails, in the documented order, with its detail."""
    level = problem.program.min_language_level
    missing = problem.program.requires_tags - n.tags
    if missing:
        return "eligibility", ";".join(sorted(missing))
    if h.screened_until is None:
        return "screening", "unscreened"
    if h.screened_until < problem.today:
        return "screening", "expired"
    if not h.trained:
        return "screening", "untrained"
    if not any(
        s.code == t.code and s.level >= level and t.level >= level
        for s in n.languages
        for t in h.languages
    ):
        return "language", ";".join(s.code for s in n.languages if s.level >= level)
    both_online = n.online_ok and h.online_ok
    if not (both_online or haversine_km(n, h) <= h.max_distance_km):
        return "distance", f"{max(x.max_distance_km for x in problem.hosts):.0f}"
    if n.availability & h.availability == 0:
        return "availability", ""
    if not n.requires <= h.offers:
        return "preferences", ";".join(sorted(n.requires))
    if h.capacity == 0:
        return "capacity", "full"
    return "passed", ""


ORDER = ("eligibility", "screening", "language", "distance", "availability", "preferences")
REASONS = ("unscreened", "expired", "untrained")


def expected_exclusions(problem: Problem, n: Newcomer) -> tuple[int, list[Exclusion]]:
    radius = max(h.max_distance_km for h in problem.hosts)
    counts: dict[tuple[str, str], int] = {}
    for h in problem.hosts:  # at most 200 per community: every host of n's community counts
        if h.community != n.community:
            continue
        if not (haversine_km(n, h) <= radius or (n.online_ok and h.online_ok)):
            continue
        key = first_failure(problem, n, h)
        counts[key] = counts.get(key, 0) + 1
    out = [
        Exclusion(name, count, detail)
        for name in (*ORDER, "capacity")
        for (constraint, detail), count in sorted(
            counts.items(),
            key=lambda item: REASONS.index(item[0][1]) if item[0][0] == "screening" else 0,
        )
        if constraint == name and (name, detail) != ("capacity", "taken")
    ]
    passed = counts.get(("passed", ""), 0)
    if passed:
        out.append(Exclusion("capacity", passed, "taken"))
    return sum(counts.values()), out


@FAST
@given(problems())
def test_exclusions_count_each_considered_host_under_its_first_failed_constraint(
    problem: Problem,
) -> None:
    radius = max(h.max_distance_km for h in problem.hosts)
    # Pairs within a metre of a radius may be read either way by the two distance formulas.
    assume(
        not any(
            near_radius(n, h) or abs(haversine_km(n, h) - radius) < 1e-3
            for n in problem.newcomers
            for h in problem.hosts
        )
    )
    newcomers = {n.id: n for n in problem.newcomers}
    for unmatched in solve(problem).unmatched:
        considered, exclusions = expected_exclusions(problem, newcomers[unmatched.newcomer_id])
        assert unmatched.considered == considered
        assert list(unmatched.exclusions) == exclusions


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(max_newcomers=12, max_hosts=6))
def test_worker_processes_change_nothing(problem: Problem) -> None:
    """With processes > 1 the candidates are searched and the explanations counted in workers."""
    alone = solve(problem)
    assert solve(problem, processes=2) == alone
    # Kept pairs: their newcomers are neither proposed nor explained, with or without workers.
    if alone.proposals:
        first = alone.proposals[0]
        kept = Problem(
            problem.program,
            problem.newcomers,
            problem.hosts,
            problem.today,
            active=((first.newcomer_id, first.host_id),),
            seed=problem.seed,
        )
        assert solve(kept, processes=2) == solve(kept)


@given(arrays(np.int64, st.integers(0, 50), elements=st.integers(0, 19)))
def test_compact_numbering_is_numpy_unique(index: np.ndarray) -> None:
    values, inverse = _compact(index, 20)
    expected_values, expected_inverse = np.unique(index, return_inverse=True)
    assert values.tolist() == expected_values.tolist()
    assert inverse.tolist() == expected_inverse.reshape(-1).tolist()
