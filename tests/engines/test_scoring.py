"""Missing data, outliers, normalisations, ranks, roll-ups, explanations and look-alikes."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from welcoming.engines.scoring import (
    FLAG_IMPUTED,
    FLAG_INSUFFICIENT,
    FLAG_WINSORISED,
    Dataset,
    Framework,
    IndicatorMeta,
    Node,
    ScoringOptions,
    explain,
    impute_peer_median,
    peer_rank,
    rank_desc,
    score,
    similar_units,
    skew_kurt,
    treat_column,
)
from welcoming.engines.scoring.model import NormaliseMethod

from . import coinr_reference as ref

NAN = math.nan


def small_framework(**extra: dict[str, object]) -> Framework:
    """a, b → x; c, d → y; x, y → top."""
    inds = [
        IndicatorMeta(code, parent=parent, **extra.get(code, {}))  # type: ignore[arg-type]
        for code, parent in (("a", "x"), ("b", "x"), ("c", "y"), ("d", "y"))
    ]
    nodes = (Node("x", "top", level=2), Node("y", "top", level=2), Node("top", None, level=3))
    return Framework(tuple(inds), nodes)


def dataset(values: list[list[float]], peers: tuple[str, ...] | None = None) -> Dataset:
    units = tuple(f"u{i + 1}" for i in range(len(values)))
    return Dataset(units, ("a", "b", "c", "d"), np.array(values, dtype=float), peers)


# ---------------------------------------------------------------- missing data


def test_exclude_reweights_and_reports_coverage() -> None:
    res = score(dataset([[NAN, 2, 3, 4], [1, 3, 4, 5], [5, 4, 5, 6]]), small_framework())
    # u1 lacks a: x is b alone (weight 1 after re-normalising), coverage 1/2.
    assert res.score("x")[0] == res.normalised[0, 1]
    assert res.coverage("x")[0] == 0.5
    assert res.coverage("top")[0] == 0.75
    assert res.flags("a")[0] & FLAG_INSUFFICIENT


def test_peer_median_imputation_is_flagged_and_not_counted_as_coverage() -> None:
    values = [[1, 2, 3, 4], [NAN, 3, 4, 5], [5, 4, 5, 6], [7, 5, 6, 7], [9, 6, 7, 8]]
    data = dataset(values, ("p", "p", "p", "q", "q"))
    res = score(data, small_framework(), ScoringOptions(missing="impute_peer_median"))
    assert res.treated[1, 0] == 3.0  # median of 1 and 5 in peer group p
    assert res.levels[0].flags[1, 0] & FLAG_IMPUTED
    assert res.flags("x")[1] & FLAG_IMPUTED and res.flags("top")[1] & FLAG_IMPUTED
    assert not res.flags("y")[1] & FLAG_IMPUTED
    assert res.coverage("x")[1] == 0.5


def test_peer_median_falls_back_to_all_units() -> None:
    values = np.array([[NAN, 1.0], [NAN, 2.0], [4.0, 3.0], [6.0, NAN], [8.0, 5.0]])
    out = impute_peer_median(values, ("p", "p", "q", "q", "q"))
    assert out[0, 0] == out[1, 0] == 6.0  # group p has no a: median of all units
    assert out[3, 1] == 4.0  # median of 3 and 5 in group q
    np.testing.assert_array_equal(impute_peer_median(values, None)[:, 0], [6, 6, 4, 6, 8])


def test_insufficient_coverage_is_nan_with_a_flag_never_a_number() -> None:
    data = dataset([[NAN, NAN, 3, 4], [1, 3, 4, 5], [5, 4, 5, 6]])
    res = score(data, small_framework(), ScoringOptions(min_coverage=0.6))
    assert math.isnan(res.score("x")[0]) and res.flags("x")[0] & FLAG_INSUFFICIENT
    assert math.isnan(res.score("top")[0]) and res.flags("top")[0] & FLAG_INSUFFICIENT
    assert math.isnan(res.rank("top")[0])
    lenient = score(data, small_framework(), ScoringOptions(min_coverage=0.0))
    assert math.isnan(lenient.score("x")[0])  # nothing to average, whatever the threshold
    assert lenient.score("top")[0] == lenient.score("y")[0]


# ---------------------------------------------------------------- outliers


def test_skew_kurt_matches_coinr() -> None:
    x = [1.0, 2, 3, 4, 5, 6, 7, 100, NAN]
    sk, ku = skew_kurt(np.array(x))
    assert sk == pytest.approx(ref.skew(x), rel=1e-12)
    assert ku == pytest.approx(ref.kurt(x), rel=1e-12)
    assert all(math.isnan(v) for v in skew_kurt(np.array([1.0, 1, 1, 1, 1])))


TREAT_CASES = {
    "two high outliers": [*range(1, 11), 30, 100],
    "tied outliers": [*range(1, 21), 90, 90, 200],
    "one low outlier, gaps": [*np.linspace(9, 11, 40), -50.0, NAN, NAN],
    "too many outliers: log": [*range(1, 60), *(500.0 * k for k in range(1, 9))],
    "clean": [*range(1, 30)],
}


@pytest.mark.parametrize("name", TREAT_CASES)
def test_treatment_matches_coinr(name: str) -> None:
    x = [float(v) for v in TREAT_CASES[name]]
    expected, nwin, logged = ref.treat_default(x)
    out, changed, report = treat_column(np.array(x), "i", ScoringOptions(winsorise=True))
    np.testing.assert_allclose(out, expected, rtol=1e-12)
    assert (report.points, report.log_transformed) == (nwin, logged)
    assert report.treated == (not ref.check_skew_kurt(x))
    assert int(changed.sum()) == report.points
    if not logged:  # values not winsorised are untouched
        np.testing.assert_array_equal(np.array(x)[~changed], out[~changed])


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    size=st.integers(5, 300),
    tail=st.floats(0.2, 2.5),
    gaps=st.floats(0.0, 0.3),
)
def test_treatment_matches_coinr_on_random_long_tails(
    seed: int, size: int, tail: float, gaps: float
) -> None:
    """Winsorising step by step, then the log fallback, exactly as COINr's Treat does."""
    rng = np.random.default_rng(seed)
    x = rng.lognormal(0.0, tail, size)
    x[rng.random(size) < gaps] = NAN
    if rng.random() < 0.5:
        x = -x  # a long low tail
    expected, nwin, logged = ref.treat_default(x.tolist())
    out, changed, report = treat_column(x, "i", ScoringOptions(winsorise=True))
    np.testing.assert_allclose(out, expected, rtol=1e-12)
    assert (report.points, report.log_transformed) == (nwin, logged)
    assert int(changed.sum()) == report.points


def test_treatment_without_log_fallback_keeps_winsorised_values() -> None:
    x = np.array([float(v) for v in TREAT_CASES["too many outliers: log"]])
    out, changed, report = treat_column(x, "i", ScoringOptions(log_fallback=False))
    assert report.points == 5 and not report.fixed and not report.log_transformed
    assert out.max() == 1500.0 and changed.sum() == 5  # 2000 … 4000 pulled down to 1500


def test_winsorised_cells_are_flagged_in_a_run() -> None:
    x = np.array([float(v) for v in TREAT_CASES["two high outliers"]])
    fw = Framework((IndicatorMeta("z", "n"), IndicatorMeta("w", "n")), (Node("n", None),))
    data = Dataset(tuple(f"u{i}" for i in range(x.size)), ("z", "w"), np.column_stack([x, x]))
    res = score(data, fw, ScoringOptions(winsorise=True))
    assert [r.points for r in res.treatment] == [1, 1]  # 100 → 30 is enough
    assert res.treated[-1, 0] == 30.0
    assert ((res.levels[0].flags & FLAG_WINSORISED) != 0).sum() == 2


# ---------------------------------------------------------------- normalisation


def test_target_goalposts_pctrank_and_zscore() -> None:
    fw = small_framework(
        a={"target": 10.0, "goalposts": (0.0, 20.0)},
        b={"target": 1.0, "goalposts": (0.0, 10.0), "direction": -1},
        c={"target": 5.0, "goalposts": (0.0, 5.0)},
        d={"target": 5.0, "goalposts": (0.0, 5.0)},
    )
    data = dataset([[0, 5, 1, 1], [5, 1, 2, 2], [15, 11, 2, 3]])
    tgt = score(data, fw, ScoringOptions(normalise="target")).normalised
    np.testing.assert_allclose(tgt[:, 0], [0, 50, 100])  # 15 is past the target: capped
    np.testing.assert_allclose(tgt[:, 1], [60, 100, 0])  # lower is better: (11 − x)/(11 − 1)
    gp = score(data, fw, ScoringOptions(normalise="goalposts", bounds=(1, 100))).normalised
    np.testing.assert_allclose(gp[:, 0], [1, 25.75, 75.25])
    np.testing.assert_allclose(gp[:, 1], [50.5, 90.1, 1])  # (hi − x)/(hi − lo), clipped
    pr = score(data, fw, ScoringOptions(normalise="pctrank")).normalised
    np.testing.assert_allclose(pr[:, 2], [0, 50, 50])  # ties share the lowest rank (COINr)
    z = score(data, fw, ScoringOptions(normalise="zscore", zscore=(100, 10))).normalised
    assert np.mean(z[:, 3]) == pytest.approx(100) and np.std(z[:, 3], ddof=1) == pytest.approx(10)
    with pytest.raises(ValueError, match="target"):
        score(data, small_framework(), ScoringOptions(normalise="target"))


@pytest.mark.parametrize("method", ["minmax", "zscore", "pctrank"])
def test_indicator_without_spread(method: NormaliseMethod) -> None:
    data = dataset([[1, 7, 1, 2], [2, 7, 2, 3], [3, 7, NAN, 4]])
    middle = score(data, small_framework(), ScoringOptions(normalise=method))
    expected = 0.0 if method == "zscore" else 50.0
    np.testing.assert_array_equal(middle.normalised[:, 1], [expected] * 3)
    formula = ScoringOptions(normalise=method, constant="formula")
    col = score(data, small_framework(), formula).normalised[:, 1]
    assert (col == 0).all() if method == "pctrank" else np.isnan(col).all()


# ---------------------------------------------------------------- ranks and roll-ups


def test_ranks_min_ties_and_nan() -> None:
    np.testing.assert_array_equal(rank_desc(np.array([5.0, 7, 7, NAN, 1])), [3, 1, 1, NAN, 4])
    # sums of the same numbers in another order still tie
    np.testing.assert_array_equal(rank_desc(np.array([0.1 + 0.2, 0.3])), [1, 1])
    pr = peer_rank(np.array([[5.0], [7.0], [1.0], [2.0]]), ("a", "a", "b", "b"))
    np.testing.assert_array_equal(pr[:, 0], [2, 1, 2, 1])


def test_peer_ranks_and_secondary_grouping() -> None:
    fw = small_framework(
        a={"group": "jobs"}, b={"group": "jobs"}, c={"group": "life"}, d={"group": "jobs"}
    )
    data = dataset([[1, 2, 3, 4], [2, 3, 4, 5], [5, 4, 5, 6], [7, 5, 6, 9]], ("p", "p", "q", "q"))
    res = score(data, fw)
    top = res.levels[-1]
    assert top.peer_ranks is not None
    np.testing.assert_array_equal(top.peer_ranks[:, 0], [2, 1, 2, 1])
    assert res.groups is not None and res.groups.codes == ("jobs", "life")
    np.testing.assert_allclose(res.score("jobs"), res.normalised[:, [0, 1, 3]].mean(axis=1))
    np.testing.assert_allclose(res.score("life"), res.normalised[:, 2])
    np.testing.assert_array_equal(res.rank("life"), rank_desc(res.normalised[:, 2]))


def test_user_weights_and_geometric_mean() -> None:
    data = dataset([[1, 2, 3, 4], [2, 3, 4, 5], [5, 4, 5, 6]])
    res = score(data, small_framework(), ScoringOptions(weights={"a": 3.0}))
    n = res.normalised
    np.testing.assert_allclose(res.score("x"), 0.75 * n[:, 0] + 0.25 * n[:, 1])
    geo = score(data, small_framework(), ScoringOptions(bounds=(1, 100), aggregate="geom"))
    g = geo.normalised
    np.testing.assert_allclose(geo.score("x"), np.sqrt(g[:, 0] * g[:, 1]))


def test_framework_validation() -> None:
    with pytest.raises(ValueError, match="unknown parent"):
        Framework((IndicatorMeta("a", "nope"),), (Node("n", None),))
    with pytest.raises(ValueError, match="higher level"):
        Framework((IndicatorMeta("a", "n"),), (Node("n", "m", level=3), Node("m", None, level=2)))
    with pytest.raises(ValueError, match="one root"):
        Framework((IndicatorMeta("a", "n"),), (Node("n", None), Node("m", None)))
    with pytest.raises(ValueError, match="direction"):
        IndicatorMeta("a", "n", direction=0)
    with pytest.raises(ValueError, match="lacks"):
        score(Dataset(("u",), ("a",), np.ones((1, 1))), small_framework())


# ---------------------------------------------------------------- explanations, look-alikes


def test_explanation_weights_and_contributions() -> None:
    data = dataset([[1, 2, 3, 4], [NAN, 3, 4, 5], [5, 4, 5, 6]])
    res = score(data, small_framework(a={"weight": 3.0}), ScoringOptions(min_coverage=0.0))
    ex = explain(res, "u2", "top")
    by = {c.indicator: c for c in ex.contributions}
    assert by["a"].weight_in_node == 0.0 and math.isnan(by["a"].normalised)
    assert by["b"].weight_in_node == pytest.approx(0.5)  # b alone carries x
    assert by["c"].weight_in_node == pytest.approx(0.25)
    assert by["c"].weight_in_top == by["c"].weight_in_node
    assert sum(c.contribution for c in ex.contributions) == pytest.approx(ex.score)
    assert by["b"].raw == 3.0
    full = explain(res, "u1", "x")
    assert [c.weight_in_node for c in full.contributions] == pytest.approx([0.75, 0.25])
    assert [c.weight_in_top for c in full.contributions] == pytest.approx([0.375, 0.125])


def test_similar_units_standardises_features() -> None:
    feats = np.array([[0.0, 0], [0.1, 100], [10.0, 0], [10.1, 100], [0.0, 1]])
    sim = similar_units(feats, 1, ("a", "b", "c", "d", "e"))
    # Standardised, the 100-unit gap on feature 2 weighs like the 10-unit gap on feature 1.
    assert sim.neighbours[0, 0] == 4 and sim.neighbours[4, 0] == 0
    assert (sim.neighbours[:, 0] != np.arange(5)).all()
    two = similar_units(feats, 2)
    assert two.neighbours.shape == (5, 2) and (np.diff(two.distances, axis=1) >= 0).all()
    dup = similar_units(np.zeros((4, 2)), 2)
    assert all(r not in dup.neighbours[r] for r in range(4))
