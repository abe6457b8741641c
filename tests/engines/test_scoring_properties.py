"""Property tests (hypothesis) on a fixed framework: a, b (lower is better, weight 2) → x;
c → y; d → solo (a single child); x, y, solo → top."""

from __future__ import annotations

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from welcoming.engines.scoring import (
    Dataset,
    Framework,
    IndicatorMeta,
    Node,
    ScoringOptions,
    UncertaintyOptions,
    monte_carlo,
    score,
)
from welcoming.engines.scoring.model import AggregateMethod, MissingPolicy, NormaliseMethod

FW = Framework(
    (
        IndicatorMeta("a", "x"),
        IndicatorMeta("b", "x", direction=-1, weight=2.0),
        IndicatorMeta("c", "y"),
        IndicatorMeta("d", "solo"),
    ),
    (
        Node("x", "top", level=2),
        Node("y", "top", level=2),
        Node("solo", "top", level=2),
        Node("top", None, level=3),
    ),
)
CODES = FW.indicator_codes
ANCESTORS = {"a": ("x", "top"), "b": ("x", "top"), "c": ("y", "top"), "d": ("solo", "top")}

values = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False).map(lambda v: round(v, 6))


@st.composite
def datasets(draw: st.DrawFn) -> Dataset:
    n = draw(st.integers(3, 12))
    vals = draw(arrays(np.float64, (n, 4), elements=values))
    gaps = draw(arrays(np.bool_, (n, 4), elements=st.booleans()))
    vals = np.where(gaps & draw(st.booleans()), np.nan, vals)  # half the examples have gaps
    peers = tuple(draw(st.sampled_from("pq")) for _ in range(n))
    return Dataset(tuple(f"u{i}" for i in range(n)), CODES, vals, peers)


MONOTONE_SETTINGS: list[tuple[NormaliseMethod, AggregateMethod]] = [
    ("minmax", "arith"),
    ("zscore", "arith"),
    ("pctrank", "arith"),
    ("minmax", "geom"),
    ("pctrank", "geom"),
]
POLICIES: tuple[MissingPolicy, ...] = ("exclude", "impute_peer_median")
MONOTONE = [
    ScoringOptions(normalise=n, aggregate=a, bounds=(1, 100), missing=m, min_coverage=cov)
    for n, a in MONOTONE_SETTINGS
    for m in POLICIES
    for cov in (0.0, 0.5)
]


@settings(max_examples=150, deadline=None)
@given(datasets(), st.data(), st.sampled_from(MONOTONE))
def test_improving_an_indicator_never_lowers_the_units_own_scores(
    data: Dataset, pick: st.DataObject, opts: ScoringOptions
) -> None:
    """One unit's present value of one indicator moves in its good direction, every other value
    stays. Then that unit's normalised value of the indicator, its parent (characteristic) score
    and every score above it never fall, and none of them changes from defined to missing or
    back. Other units' scores may move (min–max bounds, means and ranks change): not tested. A
    unit already at the maximum stays at the top of the scale. Without winsorisation, which may
    pull the improved value back below where it was."""
    i = pick.draw(st.integers(0, len(data.units) - 1))
    j = pick.draw(st.integers(0, 3))
    assume(not np.isnan(data.values[i, j]))
    delta = pick.draw(st.floats(0.0, 1e3).map(lambda v: round(v, 6)))
    better = np.array(data.values)
    better[i, j] += FW.indicators[j].direction * delta
    before = score(data, FW, opts)
    after = score(Dataset(data.units, CODES, better, data.peer_groups), FW, opts)
    assert after.normalised[i, j] >= before.normalised[i, j] - 1e-9
    for node in ANCESTORS[CODES[j]]:
        old, new = before.score(node)[i], after.score(node)[i]
        assert np.isnan(old) == np.isnan(new)
        assert np.isnan(old) or new >= old - 1e-9


@settings(max_examples=80, deadline=None)
@given(
    datasets(),
    st.integers(0, 3),
    st.floats(1e-3, 1e3),
    st.sampled_from(["minmax", "zscore", "pctrank"]),
    st.sampled_from(POLICIES),
)
def test_the_unit_of_an_indicator_does_not_matter(
    data: Dataset, j: int, factor: float, method: NormaliseMethod, missing: MissingPolicy
) -> None:
    """Multiplying an indicator by a positive constant (km → m, share → percent) changes no
    score at any level."""
    vals = np.array(data.values)
    vals[:, j] *= factor
    opts = ScoringOptions(normalise=method, missing=missing)
    a = score(data, FW, opts)
    b = score(Dataset(data.units, CODES, vals, data.peer_groups), FW, opts)
    for la, lb in zip(a.levels, b.levels, strict=True):
        np.testing.assert_allclose(la.scores, lb.scores, rtol=1e-7, atol=1e-7)


OPTIONS = [
    ScoringOptions(),
    ScoringOptions(min_coverage=0.0, missing="impute_peer_median"),
    ScoringOptions(normalise="zscore", min_coverage=0.0),
    ScoringOptions(normalise="pctrank", winsorise=True),
    ScoringOptions(bounds=(1.0, 100.0), aggregate="geom", winsorise=True),
]


@settings(max_examples=80, deadline=None)
@given(datasets(), st.permutations(range(12)), st.sampled_from(OPTIONS))
def test_permuting_units_permutes_results(
    data: Dataset, order: list[int], opts: ScoringOptions
) -> None:
    perm = [p for p in order if p < len(data.units)]
    assert data.peer_groups is not None
    shuffled = Dataset(
        tuple(data.units[p] for p in perm),
        CODES,
        data.values[perm],
        tuple(data.peer_groups[p] for p in perm),
    )
    a, b = score(data, FW, opts), score(shuffled, FW, opts)
    for la, lb in zip(a.levels, b.levels, strict=True):
        np.testing.assert_allclose(la.scores[perm], lb.scores, rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(la.coverage[perm], lb.coverage, atol=1e-12)
        np.testing.assert_array_equal(la.flags[perm], lb.flags)
        np.testing.assert_array_equal(la.ranks[perm], lb.ranks)
        assert la.peer_ranks is not None and lb.peer_ranks is not None
        np.testing.assert_array_equal(la.peer_ranks[perm], lb.peer_ranks)


@settings(max_examples=80, deadline=None)
@given(datasets(), st.sampled_from(OPTIONS))
def test_a_single_child_passes_its_score_up(data: Dataset, opts: ScoringOptions) -> None:
    """solo has one child, d: its weight is 1 whatever it was, so solo is d's normalised score."""
    res = score(data, FW, opts)
    np.testing.assert_allclose(res.score("solo"), res.normalised[:, 3], rtol=1e-12, atol=1e-9)


@settings(max_examples=40, deadline=None)
@given(datasets(), st.sampled_from(OPTIONS))
def test_equal_children_give_their_common_score(data: Dataset, opts: ScoringOptions) -> None:
    """A mean of equal values is that value: x's two children set to copies of one indicator
    (b mirrored, since it is lower-is-better) make x equal that indicator's score."""
    vals = np.array(data.values)
    vals[:, 1] = -vals[:, 0]
    res = score(Dataset(data.units, CODES, vals, data.peer_groups), FW, opts)
    np.testing.assert_allclose(res.score("x"), res.normalised[:, 0], rtol=1e-9, atol=1e-9)


@settings(max_examples=15, deadline=None)
@given(datasets(), st.integers(0, 2**32 - 1))
def test_monte_carlo_is_reproducible_for_a_seed(data: Dataset, seed: int) -> None:
    mco = UncertaintyOptions(draws=30, seed=seed, chunk=7)
    a = monte_carlo(data, FW, mc=mco)
    b = monte_carlo(data, FW, mc=mco)
    np.testing.assert_array_equal(a.median_rank, b.median_rank)
    np.testing.assert_array_equal(a.rank_p05, b.rank_p05)
    np.testing.assert_array_equal(a.rank_p95, b.rank_p95)
    assert a.sensitivity.keys() == b.sensitivity.keys()
    for key, value in a.sensitivity.items():
        assert value == b.sensitivity[key] or (np.isnan(value) and np.isnan(b.sensitivity[key]))


def test_a_skewness_exactly_on_the_threshold_does_not_depend_on_the_order() -> None:
    """0, 0, 0, x has a skewness of exactly 2: rounding noise must not decide its treatment."""
    values = np.array([[0.0] * 4, [0.0] * 4, [0.0] * 4, [0.0, 0.0, 0.0, 416.316406]])
    data = Dataset(("u0", "u1", "u2", "u3"), CODES, values, ("p",) * 4)
    perm = [0, 1, 3, 2]
    shuffled = Dataset(tuple(data.units[p] for p in perm), CODES, values[perm], ("p",) * 4)
    opts = ScoringOptions(normalise="pctrank", constant="middle", winsorise=True)
    a, b = score(data, FW, opts), score(shuffled, FW, opts)
    for la, lb in zip(a.levels, b.levels, strict=True):
        np.testing.assert_allclose(la.scores[perm], lb.scores, rtol=1e-9, atol=1e-9)
