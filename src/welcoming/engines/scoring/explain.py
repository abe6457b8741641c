"""Explanations and look-alikes: why a unit scored what it did, and whom to compare it with."""

from __future__ import annotations

import math

import numpy as np
from scipy.spatial import cKDTree

from .model import (
    FLAG_IMPUTED,
    Contribution,
    Explanation,
    FloatArray,
    ScoreResult,
    SimilarUnits,
    frozen_array,
    frozen_ints,
)


def _effective_weights(result: ScoreResult, unit: int, node: str) -> dict[str, float]:
    """Indicator weights inside `node` for this unit: nominal weights re-normalised, at every
    level, over the children that actually have a score (exactly what the aggregation did)."""
    fw = result.framework
    if node in fw.indicator_codes:
        return {node: 1.0}
    kids = fw.children(node)
    present = {k: not math.isnan(float(result.score(k)[unit])) for k in kids}
    nominal = result.child_weights[node]
    total = sum(nominal[k] for k in kids if present[k])
    out: dict[str, float] = {}
    if total <= 0:
        return out
    for k in kids:
        if not present[k]:
            continue
        share = nominal[k] / total
        for ind, w in _effective_weights(result, unit, k).items():
            out[ind] = out.get(ind, 0.0) + share * w
    return out


def explain(result: ScoreResult, unit: str, node: str) -> Explanation:
    """Per indicator: raw, normalised, weight in the node and in the top score, contribution.

    For arithmetic aggregation contributions sum to the node score only when every level is
    arithmetic (a mean of means is a weighted mean); for geometric they sum to ln(score).
    """
    i = result.unit_index(unit)
    fw = result.framework
    in_node = _effective_weights(result, i, node)
    in_top = _effective_weights(result, i, fw.top)
    geom = result.options.aggregate == "geom"
    idx = {c: j for j, c in enumerate(fw.indicator_codes)}
    flags = result.levels[0].flags
    parts: list[Contribution] = []
    for code in fw.descendants(node):
        j = idx[code]
        norm = float(result.normalised[i, j])
        w = in_node.get(code, 0.0)
        contrib = 0.0
        if not math.isnan(norm) and w != 0.0:
            contrib = w * (math.log(norm) if geom else norm)
        parts.append(
            Contribution(
                indicator=code,
                raw=float(result.raw[i, j]),
                normalised=norm,
                weight_in_node=w,
                weight_in_top=in_top.get(code, 0.0),
                contribution=contrib,
                imputed=bool(flags[i, j] & FLAG_IMPUTED),
            )
        )
    return Explanation(
        unit=unit,
        node=node,
        score=float(result.score(node)[i]),
        coverage=float(result.coverage(node)[i]),
        aggregate=result.options.aggregate,
        contributions=tuple(parts),
    )


def similar_units(
    features: FloatArray, k: int, units: tuple[str, ...] | None = None
) -> SimilarUnits:
    """k most similar units by standardized Euclidean distance (each feature z-scored, so no
    feature dominates through its units). Missing features count as the mean (z = 0)."""
    x = np.asarray(features, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError("features must be units × features")
    n = x.shape[0]
    if not 1 <= k < n:
        raise ValueError("need 1 <= k < number of units")
    names = units if units is not None else tuple(str(i) for i in range(n))
    if len(names) != n:
        raise ValueError("one name per unit")
    mean = np.nanmean(x, axis=0)
    sd = np.nanstd(x, axis=0, ddof=1)
    sd = np.where((sd > 0) & np.isfinite(sd), sd, 1.0)
    z = np.nan_to_num((x - mean) / sd, nan=0.0)
    found, near = cKDTree(z).query(z, k=k + 1)
    dist, idx = np.asarray(found, dtype=np.float64), np.asarray(near, dtype=np.int64)
    # Drop the unit itself. Among duplicates it may not come first, or (with more than k
    # duplicates) not at all: then the farthest of the k + 1 goes instead.
    is_self = idx == np.arange(n)[:, None]
    is_self[~is_self.any(axis=1), -1] = True
    keep = ~is_self
    return SimilarUnits(
        units=names,
        neighbours=frozen_ints(idx[keep].reshape(n, k)),
        distances=frozen_array(dist[keep].reshape(n, k)),
    )
