"""Normalisation: every indicator on one scale where higher is better (COINr `Normalise`).

Direction −1 multiplies values by −1 first, as COINr does; statistics use non-missing values.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .model import BoolArray, FloatArray, Framework, NormaliseMethod, ScoringOptions
from .ranks import min_ranks


def normalise(
    values: FloatArray,
    framework: Framework,
    method: NormaliseMethod,
    options: ScoringOptions,
) -> FloatArray:
    """Normalised units × indicators (columns in framework order); missing stays NaN.

    An indicator without usable spread (one distinct value, or a spread too small to divide by)
    carries no information: with `constant="middle"` every unit gets the middle of the scale;
    with "formula" COINr's 0/0 makes it missing. Either way every score is finite or NaN."""
    direction = np.array([i.direction for i in framework.indicators], dtype=np.float64)
    x = np.asarray(values, dtype=np.float64) * direction[None, :]
    valid = ~np.isnan(x)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        out = _METHODS[method](x, valid, framework, options)
    broken = valid & ~np.isfinite(out)
    if method in ("minmax", "zscore", "pctrank") and options.constant == "middle":
        middle = options.zscore[0] if method == "zscore" else sum(options.bounds) / 2
        out[:, _single_valued(x, valid) | broken.any(axis=0)] = middle
    out[~valid | ~np.isfinite(out)] = np.nan
    return out


def _single_valued(x: FloatArray, valid: BoolArray) -> BoolArray:
    """Columns whose present values are all equal (or that have one present value)."""
    lo, hi = _column_min_max(x, valid)
    return np.asarray(lo == hi)  # an empty column has NaN bounds, which never compare equal


def _column_min_max(x: FloatArray, valid: BoolArray) -> tuple[FloatArray, FloatArray]:
    hi = np.max(np.where(valid, x, -np.inf), axis=0)
    lo = np.min(np.where(valid, x, np.inf), axis=0)
    empty = ~valid.any(axis=0)
    return np.where(empty, np.nan, lo), np.where(empty, np.nan, hi)


def _scale(ratio: FloatArray, options: ScoringOptions) -> FloatArray:
    lo, hi = options.bounds
    return np.asarray(ratio * (hi - lo) + lo)


def _minmax(
    x: FloatArray, valid: BoolArray, framework: Framework, options: ScoringOptions
) -> FloatArray:
    """COINr n_minmax: (x − min) / (max − min) · (u − l) + l."""
    mn, mx = _column_min_max(x, valid)
    return _scale((x - mn) / (mx - mn), options)


def _zscore(
    x: FloatArray, valid: BoolArray, framework: Framework, options: ScoringOptions
) -> FloatArray:
    """COINr n_zscore: (x − mean) / sd · s + m, with the sample sd (n − 1) as R's sd()."""
    m, s = options.zscore
    count = valid.sum(axis=0)
    mean = np.where(valid, x, 0.0).sum(axis=0) / count
    dev = np.where(valid, x - mean, 0.0)
    sd = np.sqrt((dev * dev).sum(axis=0) / (count - 1))
    return np.asarray((x - mean) / sd * s + m)


def _pctrank(
    x: FloatArray, valid: BoolArray, framework: Framework, options: ScoringOptions
) -> FloatArray:
    """COINr n_prank: (rank − 1) / (n − 1) with ties at the lowest rank, scaled to [l, u]."""
    ranks = min_ranks(np.ascontiguousarray(x.T)).T
    return _scale((ranks - 1.0) / (valid.sum(axis=0) - 1.0), options)


def _target(
    x: FloatArray, valid: BoolArray, framework: Framework, options: ScoringOptions
) -> FloatArray:
    """COINr n_dist2targ: (x − min) / (target − min), capped at 1 when `target_cap`; an
    indicator whose worst value already meets the target scores the top of the scale."""
    targets = []
    for ind in framework.indicators:
        if ind.target is None:
            raise ValueError(f"{ind.code}: distance to target needs a target")
        targets.append(ind.target * ind.direction)
    target = np.asarray(targets)
    mn, _ = _column_min_max(x, valid)
    reached = target <= mn
    ratio = (x - mn) / np.where(reached, 1.0, target - mn)
    ratio[:, reached] = 1.0
    if options.target_cap:
        ratio = np.minimum(ratio, 1.0)
    return _scale(ratio, options)


def _goalposts(
    x: FloatArray, valid: BoolArray, framework: Framework, options: ScoringOptions
) -> FloatArray:
    """COINr n_goalposts: (x − lo) / (hi − lo) clipped to [0, 1]. Fixed posts do not move with
    the data, so scores stay comparable across periods."""
    los, his = [], []
    for ind in framework.indicators:
        if ind.goalposts is None:
            raise ValueError(f"{ind.code}: goalposts normalisation needs lo/hi")
        lo, hi = ind.goalposts
        # After the sign flip the good end of a lower-is-better indicator is −lo.
        los.append(lo if ind.direction == 1 else -hi)
        his.append(hi if ind.direction == 1 else -lo)
    lo_, hi_ = np.asarray(los), np.asarray(his)
    return _scale(np.clip((x - lo_) / (hi_ - lo_), 0.0, 1.0), options)


_Method = Callable[[FloatArray, BoolArray, Framework, ScoringOptions], FloatArray]
_METHODS: dict[str, _Method] = {
    "minmax": _minmax,
    "zscore": _zscore,
    "pctrank": _pctrank,
    "target": _target,
    "goalposts": _goalposts,
}
