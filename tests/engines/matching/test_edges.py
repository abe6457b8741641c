"""solve_edges: the assignment for given scored pairs (match-csv --edges)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

from welcoming.engines.matching import solve_edges


def test_the_most_pairs_among_assignments_with_the_best_total() -> None:
    # a-x alone and b-x + a-y both total 1: the second matches more people without losing score.
    found = solve_edges([("a", "x", 1.0), ("b", "x", 1.0), ("a", "y", 0.0)], {"x": 1, "y": 1})
    assert found.total_score == 1.0
    assert set(found.pairs) == {("b", "x", 1.0), ("a", "y", 0.0)}


def test_capacity_zero_is_valid_and_means_no_pair() -> None:
    found = solve_edges([("a", "x", 5.0), ("a", "y", 1.0)], {"x": 0, "y": 1})
    assert found.pairs == (("a", "y", 1.0),)


def test_negative_scores_never_lower_the_total() -> None:
    assert solve_edges([("a", "x", -0.5)], {"x": 1}).pairs == ()


@pytest.mark.parametrize(
    ("edges", "capacities", "message"),
    [
        ([("a", "x", 1.0)], {}, "no capacity"),
        ([("a", "x", 1.0), ("a", "x", 2.0)], {"x": 1}, "twice"),
        ([("a", "x", float("nan"))], {"x": 1}, "not a number"),
        ([("a", "x", 1.0)], {"x": -1}, "below 0"),
    ],
)
def test_bad_input_is_refused(
    edges: list[tuple[str, str, float]], capacities: dict[str, int], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        solve_edges(edges, capacities)


def test_huge_scores_are_solved_at_a_coarser_resolution() -> None:
    found = solve_edges([("a", "x", 3e13), ("b", "x", 2e13)], {"x": 1})
    assert found.pairs == (("a", "x", 3e13),)
    assert found.resolution > 1e-6


edge_lists = st.lists(
    st.tuples(
        st.sampled_from("abcdef"),
        st.sampled_from("uvwxyz"),
        st.integers(-2000, 10_000).map(lambda v: v / 1000),
    ),
    min_size=1,
    max_size=25,
    unique_by=lambda e: (e[0], e[1]),
)


@settings(max_examples=150, deadline=None)
@given(edge_lists, st.lists(st.integers(0, 3), min_size=6, max_size=6))
def test_the_total_equals_the_linear_programming_optimum(
    edges: list[tuple[str, str, float]], caps: list[int]
) -> None:
    capacities = dict(zip("uvwxyz", caps, strict=True))
    found = solve_edges(edges, capacities)
    newcomers = sorted({e[0] for e in edges})
    rows = [newcomers.index(e[0]) for e in edges] + [6 + "uvwxyz".index(e[1]) for e in edges]
    matrix = coo_matrix((np.ones(2 * len(edges)), (rows, list(range(len(edges))) * 2)))
    upper = [1.0] * 6 + [float(c) for c in caps]
    lp = linprog(
        [-e[2] for e in edges],
        A_ub=matrix,
        b_ub=upper[: matrix.shape[0]],
        bounds=(0, 1),
        method="highs",
    )
    assert found.total_score == pytest.approx(-lp.fun, abs=1e-9)
    used = {h: sum(1 for p in found.pairs if p[1] == h) for h in capacities}
    assert all(used[h] <= capacities[h] for h in capacities)
    assert len({p[0] for p in found.pairs}) == len(found.pairs)
