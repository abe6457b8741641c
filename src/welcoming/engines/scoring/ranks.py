"""Ranks: 1 = best, ties share the best rank (R's ties.method = "min", as COINr), NaN unranked."""

from __future__ import annotations

import numpy as np

from .model import FloatArray

SCORE_DECIMALS = 9


def min_ranks(keys: FloatArray) -> FloatArray:
    """Ascending ranks along the last axis with exact ties sharing the lowest rank; NaN → NaN.

    One sort per row; the tie runs are found on the sorted keys, so no Python loop."""
    n = keys.shape[-1]
    order = np.argsort(keys, axis=-1)  # NaN sorts last
    srt = np.take_along_axis(keys, order, axis=-1)
    starts_run = np.ones(srt.shape, dtype=bool)
    starts_run[..., 1:] = srt[..., 1:] != srt[..., :-1]
    first = np.where(starts_run, np.arange(1, n + 1, dtype=np.float64), 0.0)
    np.maximum.accumulate(first, axis=-1, out=first)
    ranks = np.empty_like(first)
    np.put_along_axis(ranks, order, first, axis=-1)
    ranks[np.isnan(keys)] = np.nan
    return ranks


def rank_desc(scores: FloatArray, axis: int = 0) -> FloatArray:
    """Rank 1 = highest score along `axis`; ties → lowest rank; NaN stays unranked.

    Scores are rounded to 1e-9 first: sums of the same numbers in another order (BLAS, a
    permuted input) must still tie, and no published score carries nine decimals."""
    keys = -np.round(np.moveaxis(np.asarray(scores, dtype=np.float64), axis, -1), SCORE_DECIMALS)
    return np.moveaxis(min_ranks(np.ascontiguousarray(keys)), -1, axis)


def peer_rank(scores: FloatArray, peer_groups: tuple[str, ...]) -> FloatArray:
    """Ranks (along axis 0) among the unit's peers only: fairer to compare a town with towns."""
    if len(peer_groups) != scores.shape[0]:
        raise ValueError("one peer group label per unit")
    out = np.full(scores.shape, np.nan)
    labels = np.asarray(peer_groups, dtype=object)
    for label in dict.fromkeys(peer_groups):
        rows = np.flatnonzero(labels == label)
        out[rows] = rank_desc(scores[rows])
    return out
