"""Monte Carlo uncertainty of the top-score ranks and first-order sensitivity of each assumption.

All random numbers are drawn first, from one Generator, so results do not depend on the batch
size. Which aggregates lack data is fixed by the nominal run, so every draw ranks the same units.
Draws are grouped by their discrete choices; for each batch of weight draws the top score is a
linear function of the indicator values for most units (one matrix product plus a correction
where an indicator is missing), and the exact level-by-level aggregation for the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .aggregate import Plan, compile_plan, run_levels
from .model import (
    AggregateMethod,
    BoolArray,
    Dataset,
    FloatArray,
    Framework,
    IntArray,
    ScoringOptions,
    UncertaintyOptions,
    UncertaintyResult,
    frozen_array,
)
from .normalise import normalise
from .prepare import prepare
from .ranks import rank_desc

_EXACT_BATCH_CELLS = 2_000_000  # units × aggregates × draws per exact batch: bounds memory


def monte_carlo(
    data: Dataset,
    framework: Framework,
    options: ScoringOptions | None = None,
    mc: UncertaintyOptions | None = None,
    rng: np.random.Generator | None = None,
) -> UncertaintyResult:
    """Median and 5–95 % interval of each unit's top-score rank under plausible alternative
    assumptions, and the first-order sensitivity index of each assumption.

    Varies the weights (Dirichlet around the nominal weights of each parent, or COINr's uniform
    noise on each weight, by `mc.weight_noise`), the normalisation,
    the aggregation and the imputation. Units without a nominal top score stay unranked (NaN).
    Reproducible: same seed (or Generator state), same result.
    """
    opts = options or ScoringOptions()
    mco = mc or UncertaintyOptions()
    gen = rng if rng is not None else np.random.default_rng(mco.seed)
    plan = compile_plan(framework, opts.weights)
    draws = _draw(plan, mco, gen)
    raw = data.aligned(framework)
    treated = prepare(raw, framework, opts, data.peer_groups, opts.missing).treated
    nominal, _, lacking = run_levels(
        plan,
        normalise(treated, framework, opts.normalise, opts),
        ~np.isnan(raw),
        plan.edge_weights,
        opts.aggregate,
        opts.min_coverage,
    )
    ranks = _draw_ranks(data, framework, opts, mco, plan, draws, lacking)
    median, p05, p95 = _row_quantiles(np.ascontiguousarray(ranks.T), (0.5, 0.05, 0.95))
    return UncertaintyResult(
        units=data.units,
        nominal_rank=frozen_array(rank_desc(nominal[:, plan.top])),
        median_rank=frozen_array(median),
        rank_p05=frozen_array(p05),
        rank_p95=frozen_array(p95),
        sensitivity=_sensitivity(ranks, draws, mco),
        draws=mco.draws,
        seed=mco.seed,
    )


# --------------------------------------------------------------------------- draws


@dataclass(frozen=True)
class _Draws:
    weights: FloatArray  # draws × edges, summing to 1 within each parent
    normalisation: IntArray  # index into UncertaintyOptions.normalisations
    aggregation: IntArray
    imputation: IntArray


def _draw(plan: Plan, mco: UncertaintyOptions, gen: np.random.Generator) -> _Draws:
    """Every random number of the analysis, in a fixed order."""
    nominal = np.asarray(plan.edge_weights)
    if mco.vary_weights:
        if mco.weight_noise == "uniform":
            # COINr's weight noise: w × (1 + f·(2u − 1)); f < 1 keeps a positive weight positive.
            u = gen.random(size=(mco.draws, nominal.size))
            gamma = nominal * (1.0 + mco.noise_factor * (2.0 * u - 1.0))
        else:
            alpha = mco.concentration * nominal
            gamma = gen.standard_gamma(alpha, size=(mco.draws, nominal.size))
            # A positive weight stays positive (no underflow to 0), a zero weight stays zero.
            gamma = np.where(alpha > 0, np.maximum(gamma, np.finfo(np.float64).tiny), 0.0)
        per_parent = np.zeros((nominal.size, len(plan.node_codes)))
        per_parent[np.arange(nominal.size), plan.edge_parent] = 1.0
        weights = gamma / (gamma @ per_parent)[:, plan.edge_parent]
    else:
        weights = np.broadcast_to(nominal, (mco.draws, nominal.size)).copy()
    return _Draws(
        weights=weights,
        normalisation=gen.integers(len(mco.normalisations), size=mco.draws),
        aggregation=gen.integers(len(mco.aggregations), size=mco.draws),
        imputation=gen.integers(len(mco.imputations), size=mco.draws),
    )


def _draw_ranks(
    data: Dataset,
    framework: Framework,
    opts: ScoringOptions,
    mco: UncertaintyOptions,
    plan: Plan,
    draws: _Draws,
    lacking: BoolArray,
) -> FloatArray:
    """Draws × units ranks of the top score."""
    raw = data.aligned(framework)
    observed = ~np.isnan(raw)
    tree = _Tree.build(plan)
    ranks = np.full((mco.draws, raw.shape[0]), np.nan)
    for ii, policy in enumerate(mco.imputations):
        if not (draws.imputation == ii).any():
            continue
        treated = prepare(raw, framework, opts, data.peer_groups, policy).treated
        for ni, method in enumerate(mco.normalisations):
            chosen = (draws.imputation == ii) & (draws.normalisation == ni)
            if not chosen.any():
                continue
            x = normalise(treated, framework, method, opts)
            for ai, how in enumerate(mco.aggregations):
                ids = np.flatnonzero(chosen & (draws.aggregation == ai))
                if not ids.size:
                    continue
                model = _FastModel.build(
                    tree, _positive(x) if how == "geom" else x, observed, how, opts, lacking
                )
                for start in range(0, ids.size, mco.chunk):
                    batch = ids[start : start + mco.chunk]
                    top = _top_scores(model, draws.weights[batch])
                    ranks[batch] = rank_desc(np.ascontiguousarray(top.T), axis=-1)
    return ranks


def _positive(x: FloatArray) -> FloatArray:
    """Shift each indicator so its minimum is 1: a geometric mean needs positive inputs, and
    min–max [0, 100] becomes [1, 101], close to the usual [1, 100]."""
    present = ~np.isnan(x).all(axis=0)
    low = np.zeros(x.shape[1])
    low[present] = np.nanmin(x[:, present], axis=0)
    return np.asarray(x - low[None, :] + 1.0)


# --------------------------------------------------------------------------- fast path


@dataclass(frozen=True)
class _Tree:
    """The hierarchy as parent pointers, for products of weights along paths to the top."""

    plan: Plan
    indicator_edge: IntArray  # edge from each indicator to its parent
    indicator_parent: IntArray  # node position
    node_edge: IntArray  # edge from each node to its parent, -1 for the root
    node_parent: IntArray  # -1 for the root

    @staticmethod
    def build(plan: Plan) -> _Tree:
        is_node = plan.edge_child_is_node
        indicator_edge = np.zeros(len(plan.indicator_codes), dtype=np.int64)
        indicator_edge[plan.edge_child[~is_node]] = np.flatnonzero(~is_node)
        node_edge = np.full(len(plan.node_codes), -1, dtype=np.int64)
        node_edge[plan.edge_child[is_node]] = np.flatnonzero(is_node)
        node_parent = np.where(node_edge >= 0, plan.edge_parent[np.maximum(node_edge, 0)], -1)
        return _Tree(
            plan=plan,
            indicator_edge=indicator_edge,
            indicator_parent=plan.edge_parent[indicator_edge],
            node_edge=node_edge,
            node_parent=node_parent.astype(np.int64),
        )

    def paths_to_top(self, weights: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Per draw, the product of the weights from each node and each indicator to the top."""
        nodes = np.ones((weights.shape[0], self.node_edge.size))
        for j in range(self.node_edge.size - 2, -1, -1):  # parents sit after their children
            nodes[:, j] = weights[:, self.node_edge[j]] * nodes[:, self.node_parent[j]]
        indicators = weights[:, self.indicator_edge] * nodes[:, self.indicator_parent]
        return nodes, indicators


@dataclass(frozen=True)
class _FastModel:
    """One (imputation, normalisation, aggregation) choice, ready for batches of weights.

    Every aggregate is Σ w·child / Σ w over present children (in ln for the geometric mean).
    With no aggregate absent, Σ w = 1 except in the indicators' parents that miss an indicator,
    so the top score is Σ (path weight × value), corrected for those parents on their few rows.
    Rows with an absent aggregate, or missing an indicator beside aggregate siblings, take the
    exact path.
    """

    tree: _Tree
    method: AggregateMethod
    values: FloatArray  # ln x for geom, x for arith; 0 where missing
    corrections: tuple[tuple[int, IntArray, IntArray, FloatArray, FloatArray], ...]
    exact_rows: IntArray
    exact_inputs: tuple[FloatArray, BoolArray, BoolArray]  # normalised, observed, lacking
    min_coverage: float

    @staticmethod
    def build(
        tree: _Tree,
        normalised: FloatArray,
        observed: BoolArray,
        method: AggregateMethod,
        opts: ScoringOptions,
        lacking: BoolArray,
    ) -> _FastModel:
        plan = tree.plan
        _, _, absent = run_levels(
            plan, normalised, observed, plan.edge_weights, method, opts.min_coverage, lacking
        )
        exact = absent.any(axis=1)
        present = ~np.isnan(normalised)
        partial = []
        for j, inp in enumerate(plan.inputs):
            missing = ~present[:, inp.indicator_columns]
            if inp.node_edges.size:
                exact |= missing.any(axis=1)
            elif inp.indicator_edges.size:
                partial.append((j, inp, missing.any(axis=1)))
        with np.errstate(divide="ignore", invalid="ignore"):
            values = np.where(present, np.log(normalised) if method == "geom" else normalised, 0)
        corrections = []
        for j, inp, some_missing in partial:
            rows = np.flatnonzero(some_missing & ~exact)
            if rows.size:
                cells = np.ix_(rows, inp.indicator_columns)
                v, p = values[cells], present[cells].astype(np.float64)
                corrections.append((j, inp.indicator_edges, rows, v, p))
        rows = np.flatnonzero(exact)
        return _FastModel(
            tree=tree,
            method=method,
            values=values,
            corrections=tuple(corrections),
            exact_rows=rows,
            exact_inputs=(normalised[rows], observed[rows], lacking[rows]),
            min_coverage=opts.min_coverage,
        )


def _top_scores(model: _FastModel, weights: FloatArray) -> FloatArray:
    """Units × draws top scores for one batch of weight draws."""
    nodes, indicators = model.tree.paths_to_top(weights)
    top = model.values @ indicators.T
    for node, edges, rows, v, p in model.corrections:
        w = weights[:, edges].T
        num, den = v @ w, p @ w
        top[rows] += nodes[:, node] * num * (1.0 / den - 1.0)
    if model.method == "geom":
        np.exp(top, out=top)
    if model.exact_rows.size:
        top[model.exact_rows] = _exact_top(model, weights)
    return top


def _exact_top(model: _FastModel, weights: FloatArray) -> FloatArray:
    """Top scores of the exact rows by the level-by-level aggregation, in bounded batches."""
    plan = model.tree.plan
    x, observed, lacking = model.exact_inputs
    rows = model.exact_rows.size
    step = max(1, _EXACT_BATCH_CELLS // (rows * len(plan.node_codes)))
    out = np.empty((rows, weights.shape[0]))
    for start in range(0, weights.shape[0], step):
        part = weights[start : start + step]
        scores, _, _ = run_levels(
            plan, x, observed, part, model.method, model.min_coverage, lacking
        )
        out[:, start : start + step] = scores[:, plan.top, :]
    return out


# --------------------------------------------------------------------------- summaries


def _row_quantiles(values: FloatArray, qs: tuple[float, ...]) -> list[FloatArray]:
    """Linearly interpolated quantiles of each row, ignoring NaN (numpy's default method)."""
    srt = np.sort(values, axis=1)  # NaN sorts last
    count = (~np.isnan(values)).sum(axis=1)
    rows = np.arange(values.shape[0])
    last = np.maximum(count - 1, 0)
    out: list[FloatArray] = []
    for q in qs:
        pos = q * last
        lo = np.floor(pos).astype(np.int64)
        hi = np.minimum(lo + 1, last)
        frac = pos - lo
        res = srt[rows, lo] * (1 - frac) + srt[rows, hi] * frac
        out.append(np.where(count > 0, res, np.nan))
    return out


def first_order_index(ranks: FloatArray, design: FloatArray) -> float:
    """First-order sensitivity index of one assumption: Var(E[rank | factor]) / Var(rank) per
    unit, averaged over units whose rank varies and exists in every draw.

    Estimated as the adjusted R² of the rank on the factor's design matrix (draws × columns). For
    a choice among options (one-hot columns) that is the between-option share of the variance,
    corrected for the share noise alone would give; for the drawn weights it is the share a
    linear function of the weights explains — exact when ranks respond linearly to the weights,
    otherwise a lower bound. Binning on a summary such as the distance from the nominal weights
    loses the direction of the change and biases the index towards zero.
    """
    return _Centred.of(ranks).index(design)


@dataclass(frozen=True)
class _Centred:
    """Ranks of the units that exist in every draw and vary, centred on their mean, with their
    total sum of squares: computed once, shared by the index of every assumption."""

    ranks: FloatArray  # draws × varying units
    total: FloatArray
    empty: float  # the index when no unit qualifies: NaN if none is ranked, 0 if none varies

    @staticmethod
    def of(ranks: FloatArray) -> _Centred:
        y = ranks[:, ~np.isnan(ranks).any(axis=0)]
        yc = y - y.mean(axis=0)
        total = (yc * yc).sum(axis=0)
        varies = total > 0
        return _Centred(yc[:, varies], total[varies], 0.0 if y.shape[1] else float("nan"))

    def index(self, design: FloatArray) -> float:
        """Mean adjusted R² of the centred ranks on the centred design (see first_order_index)."""
        if self.ranks.shape[1] == 0:
            return self.empty
        n_draws = self.ranks.shape[0]
        xc = np.asarray(design, dtype=np.float64).reshape(n_draws, -1)
        xc = xc - xc.mean(axis=0)
        basis, singular, _ = np.linalg.svd(xc, full_matrices=False)
        p = int((singular > singular.max(initial=0.0) * 1e-10).sum())
        if p == 0:
            return 0.0
        if n_draws - p - 1 <= 0:
            return float("nan")
        explained = ((basis[:, :p].T @ self.ranks) ** 2).sum(axis=0)
        r2 = explained / self.total
        adjusted = 1.0 - (1.0 - r2) * (n_draws - 1) / (n_draws - p - 1)
        return float(np.mean(np.clip(adjusted, 0.0, 1.0)))


def _one_hot(labels: IntArray, choices: int) -> FloatArray:
    out = np.zeros((labels.size, choices))
    out[np.arange(labels.size), labels] = 1.0
    return out


def _sensitivity(ranks: FloatArray, draws: _Draws, mco: UncertaintyOptions) -> dict[str, float]:
    """The index of every assumption that actually varies."""
    out: dict[str, float] = {}
    centred = _Centred.of(ranks)
    if mco.vary_weights:
        out["weights"] = centred.index(draws.weights)
    factors = (
        ("normalisation", draws.normalisation, len(mco.normalisations)),
        ("aggregation", draws.aggregation, len(mco.aggregations)),
        ("imputation", draws.imputation, len(mco.imputations)),
    )
    for name, labels, choices in factors:
        if choices > 1:
            out[name] = centred.index(_one_hot(labels, choices))
    return out
