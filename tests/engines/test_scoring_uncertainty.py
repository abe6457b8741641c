"""Monte Carlo: reproducibility, agreement with a single run, sensitivity indices, and the fast
path (checked against the exact level-by-level aggregation, white-box)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from welcoming.engines.scoring import (
    Dataset,
    Framework,
    IndicatorMeta,
    Node,
    ScoringOptions,
    UncertaintyOptions,
    compile_plan,
    first_order_index,
    monte_carlo,
    run_levels,
    score,
    unweighable_nodes,
)
from welcoming.engines.scoring.model import AggregateMethod
from welcoming.engines.scoring.uncertainty import _draw, _FastModel, _top_scores, _Tree

NAN = math.nan

SMALL = Framework(
    tuple(IndicatorMeta(c, parent=p) for c, p in (("a", "x"), ("b", "x"), ("c", "y"), ("d", "y"))),
    (Node("x", "top", level=2), Node("y", "top", level=2), Node("top", None, level=3)),
)
# Deeper, with a node fed by an indicator and an aggregate, a single child, a zero weight.
DEEP = Framework(
    (
        IndicatorMeta("i0", "c0"),
        IndicatorMeta("i1", "c0", weight=2.0),
        IndicatorMeta("i2", "c0", weight=0.0),
        IndicatorMeta("i3", "c1"),
        IndicatorMeta("i4", "c1"),
        IndicatorMeta("i5", "c2"),
        IndicatorMeta("i6", "g1"),
        IndicatorMeta("i7", "c3"),
        IndicatorMeta("i8", "c3", direction=-1),
    ),
    (
        Node("c0", "g0", level=2),
        Node("c1", "g0", level=2),
        Node("c2", "g1", level=2),
        Node("c3", "top", level=2, weight=2.0),
        Node("g0", "top", level=3),
        Node("g1", "top", level=3),
        Node("top", None, level=4),
    ),
)


def _data(fw: Framework, n: int, missing: float, seed: int) -> Dataset:
    rng = np.random.default_rng(seed)
    values = rng.lognormal(2.0, 0.5, (n, len(fw.indicators)))
    values[rng.random(values.shape) < missing] = NAN
    peers = tuple("pqr"[i % 3] for i in range(n))
    return Dataset(tuple(f"u{i}" for i in range(n)), fw.indicator_codes, values, peers)


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from([SMALL, DEEP]),
    st.integers(0, 10_000),
    st.sampled_from([0.0, 0.05, 0.3]),
    st.sampled_from([0.0, 0.3, 0.5, 0.8]),
    st.sampled_from(["arith", "geom"]),
    st.sampled_from([0.5, 50.0]),
)
def test_fast_path_equals_exact_aggregation(
    fw: Framework,
    seed: int,
    missing: float,
    threshold: float,
    method: AggregateMethod,
    concentration: float,
) -> None:
    """The fast path against `run_levels` with per-draw weights and the nominal run's missing
    aggregates, on every unit."""
    data = _data(fw, 40, missing, seed)
    opts = ScoringOptions(bounds=(1.0, 100.0), min_coverage=threshold, aggregate=method)
    plan = compile_plan(fw)
    x = np.asarray(score(data, fw, opts).normalised)
    observed = ~np.isnan(data.values)
    _, _, lacking = run_levels(plan, x, observed, plan.edge_weights, method, threshold)
    alpha = concentration * plan.edge_weights
    gamma = np.random.default_rng(seed).standard_gamma(alpha, size=(7, alpha.size))
    gamma = np.where(alpha > 0, gamma + 1e-12, 0.0)  # as `_draw`: positive weights stay positive
    sums = np.zeros((7, len(plan.node_codes)))
    np.add.at(sums.T, plan.edge_parent, gamma.T)
    weights = gamma / sums[:, plan.edge_parent]
    model = _FastModel.build(_Tree.build(plan), x, observed, method, opts, lacking)
    fast = _top_scores(model, weights)
    exact, _, _ = run_levels(plan, x, observed, weights, method, threshold, lacking)
    np.testing.assert_allclose(fast, exact[:, plan.top, :], rtol=1e-9, atol=1e-9)
    assert model.exact_rows.size < len(data.units) or missing > 0.1


def test_reproducible_and_independent_of_batch_size() -> None:
    data = _data(SMALL, 60, 0.05, 3)
    a = monte_carlo(data, SMALL, mc=UncertaintyOptions(draws=200, seed=7, chunk=13))
    b = monte_carlo(data, SMALL, mc=UncertaintyOptions(draws=200, seed=7, chunk=200))
    c = monte_carlo(data, SMALL, mc=UncertaintyOptions(draws=200), rng=np.random.default_rng(7))
    for other in (b, c):
        np.testing.assert_array_equal(a.median_rank, other.median_rank)
        np.testing.assert_array_equal(a.rank_p05, other.rank_p05)
        np.testing.assert_array_equal(a.rank_p95, other.rank_p95)
        assert a.sensitivity == other.sensitivity
    d = monte_carlo(data, SMALL, mc=UncertaintyOptions(draws=200, seed=8))
    assert not np.array_equal(a.rank_p95, d.rank_p95) or a.sensitivity != d.sensitivity
    assert set(a.sensitivity) == {"weights", "normalisation", "aggregation", "imputation"}
    assert all(0 <= v <= 1 for v in a.sensitivity.values())
    assert (a.rank_p05 <= a.median_rank).all() and (a.median_rank <= a.rank_p95).all()


def test_without_variation_every_draw_is_the_nominal_run() -> None:
    data = _data(DEEP, 50, 0.1, 4)
    opts = ScoringOptions(min_coverage=0.4)
    mco = UncertaintyOptions(
        draws=10,
        vary_weights=False,
        normalisations=("minmax",),
        aggregations=("arith",),
        imputations=("exclude",),
    )
    res = monte_carlo(data, DEEP, opts, mco)
    nominal = score(data, DEEP, opts).rank("top")
    np.testing.assert_array_equal(res.nominal_rank, nominal)
    np.testing.assert_array_equal(res.median_rank, nominal)
    np.testing.assert_array_equal(res.rank_p05, res.rank_p95)
    assert res.sensitivity == {}


def test_sensitivity_finds_the_assumption_that_varies() -> None:
    data = _data(SMALL, 80, 0.05, 5)
    only_norm = UncertaintyOptions(
        draws=300, vary_weights=False, aggregations=("arith",), imputations=("exclude",)
    )
    res = monte_carlo(data, SMALL, mc=only_norm)
    assert set(res.sensitivity) == {"normalisation"}
    assert res.sensitivity["normalisation"] == pytest.approx(1.0)  # the rank is a function of it
    only_weights = UncertaintyOptions(
        draws=400,
        concentration=5.0,
        normalisations=("minmax",),
        aggregations=("arith",),
        imputations=("exclude",),
    )
    res = monte_carlo(data, SMALL, mc=only_weights)
    assert res.sensitivity["weights"] > 0.6  # a lower bound: ranks respond non-linearly


def test_first_order_index_recovers_a_known_share() -> None:
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 3, 20_000)
    effect = np.array([-1.0, 0.0, 1.0])[labels]  # variance 2/3
    noise = rng.normal(0, math.sqrt(2 / 3), (20_000, 5))  # the same variance again
    ranks = effect[:, None] + noise
    one_hot = np.eye(3)[labels]
    assert first_order_index(ranks, one_hot) == pytest.approx(0.5, abs=0.02)
    assert first_order_index(ranks, rng.random((20_000, 4))) == pytest.approx(0.0, abs=0.01)
    assert first_order_index(np.ones((50, 3)), one_hot[:50]) == 0.0  # nothing varies


@settings(max_examples=40, deadline=None)
@given(factor=st.floats(0.0, 0.95), seed=st.integers(0, 2**32 - 1))
def test_uniform_weight_noise_keeps_each_weight_within_the_factor(factor: float, seed: int) -> None:
    """COINr's noise: each weight × (1 + f·(2u − 1)), then normalised within its parent, so the
    ratio of two siblings moves by at most (1 + f)/(1 − f); a zero weight stays zero."""
    plan = compile_plan(DEEP)
    mco = UncertaintyOptions(draws=50, seed=seed, weight_noise="uniform", noise_factor=factor)
    drawn = _draw(plan, mco, np.random.default_rng(seed)).weights
    again = _draw(plan, mco, np.random.default_rng(seed)).weights
    np.testing.assert_array_equal(drawn, again)  # deterministic for a seed
    nominal = np.asarray(plan.edge_weights)
    assert (drawn[:, nominal == 0] == 0).all()
    bound = (1 + factor) / (1 - factor) * (1 + 1e-9)
    for parent in range(len(plan.node_codes)):
        edges = np.flatnonzero((np.asarray(plan.edge_parent) == parent) & (nominal > 0))
        sums = drawn[:, np.asarray(plan.edge_parent) == parent].sum(axis=1)
        np.testing.assert_allclose(sums, 1.0)
        for a in edges:
            for b in edges:
                ratio = (drawn[:, a] / drawn[:, b]) / (nominal[a] / nominal[b])
                assert (ratio <= bound).all() and (ratio >= 1 / bound).all()


def test_uniform_weight_noise_is_an_option_of_the_analysis() -> None:
    data = _data(SMALL, 60, 0.05, 3)
    only_weights = {
        "draws": 200,
        "seed": 7,
        "normalisations": ("minmax",),
        "aggregations": ("arith",),
        "imputations": ("exclude",),
    }
    coinr = UncertaintyOptions(**only_weights, weight_noise="uniform")  # type: ignore[arg-type]
    a = monte_carlo(data, SMALL, mc=coinr)
    b = monte_carlo(data, SMALL, mc=coinr)
    np.testing.assert_array_equal(a.rank_p95, b.rank_p95)
    assert set(a.sensitivity) == {"weights"}
    dirichlet = monte_carlo(data, SMALL, mc=UncertaintyOptions(**only_weights))  # type: ignore[arg-type]
    assert not np.array_equal(a.rank_p95, dirichlet.rank_p95)
    with pytest.raises(ValueError, match="noise_factor"):
        UncertaintyOptions(weight_noise="uniform", noise_factor=1.0)


def test_an_aggregate_whose_parts_all_weigh_zero_is_named() -> None:
    assert unweighable_nodes(DEEP) == ()
    assert unweighable_nodes(DEEP, {"c0": 0.0, "c1": 0.0}) == ("g0",)
    assert unweighable_nodes(DEEP, {"c3": 0.0, "g0": 0.0, "g1": 0.0}) == ("top",)
    with pytest.raises(ValueError, match="g0: children weights sum to zero"):
        compile_plan(DEEP, {"c0": 0.0, "c1": 0.0})
