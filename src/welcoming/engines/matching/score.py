"""The score of a feasible pair: a weighted sum of terms that each lie in 0..1.

Scores are quantized to integer multiples of 1/SCORE_SCALE (a millionth) as soon as they are
computed: the solver then works on exact integers, and the reported score of a proposal *is* the
quantized value, so "the optimum" means the same thing to the solver, the tests and the reader.
"""

from __future__ import annotations

import numpy as np

from .arrays import NO_CODE, Arrays, FloatArray, IntArray
from .constraints import both_online, language_comfort
from .model import LANGUAGE_LEVEL_MAX, Weights

SCORE_SCALE = 1_000_000
TERMS = ("occupation", "interests", "distance", "household", "language", "waiting", "priority")
NOC_DIGITS = 5
WAITING_SATURATION_DAYS = 180.0  # waiting counts fully from six months on
CHILD_AGE_GAP_YEARS = 6.0  # children this many years apart or more count as not close


def weight_vector(weights: Weights) -> FloatArray:
    return np.array([getattr(weights, name) for name in TERMS], dtype=np.float64)


def occupation_closeness(noc_n: IntArray, noc_h: IntArray) -> FloatArray:
    """Shared leading digits of two NOC 2021 unit groups, over 5.

    The digits are the hierarchy: 1st the broad category, 2nd the TEER (so two digits = the same
    major group), 3 the sub-major group, 4 the minor group, 5 the unit group. The same unit group
    scores 1, the same broad category only 0.2, different categories or an unknown code 0.
    """
    shared = np.zeros(noc_n.shape, dtype=np.float64)
    known = (noc_n != NO_CODE) & (noc_h != NO_CODE)
    for digits in range(1, NOC_DIGITS + 1):
        divisor = 10 ** (NOC_DIGITS - digits)
        shared += known & (noc_n // divisor == noc_h // divisor)
    return shared / NOC_DIGITS


def jaccard(bits_n: np.ndarray, bits_h: np.ndarray) -> FloatArray:
    both = np.bitwise_count(bits_n & bits_h).sum(axis=1, dtype=np.int64)
    either = np.bitwise_count(bits_n | bits_h).sum(axis=1, dtype=np.int64)
    return np.where(either > 0, both / np.maximum(either, 1), 0.0)


def household_fit(ages_n: FloatArray, ages_h: FloatArray) -> FloatArray:
    """0 unless both households have children; then 0.5, up to 1 as the closest ages meet."""
    out = np.zeros(ages_n.shape[0])
    # Ages are NaN-padded from the left column: only pairs where both have a first child count.
    both = np.flatnonzero(~np.isnan(ages_n[:, 0]) & ~np.isnan(ages_h[:, 0]))
    ages_n, ages_h = ages_n[both], ages_h[both]
    gap = np.full(both.size, np.inf)
    for i in range(ages_n.shape[1]):
        for j in range(ages_h.shape[1]):
            difference = np.abs(ages_n[:, i] - ages_h[:, j])
            gap = np.fmin(gap, np.where(np.isnan(difference), np.inf, difference))
    close = np.clip(1.0 - gap / CHILD_AGE_GAP_YEARS, 0.0, 1.0)
    out[both] = 0.5 + 0.5 * close
    return out


def term_values(
    a: Arrays, weights: Weights, ni: IntArray, hi: IntArray, km: FloatArray, min_level: int
) -> FloatArray:
    """One row per pair, one column per entry of TERMS, each in 0..1."""
    n, h = a.newcomers, a.hosts
    comfort = language_comfort(a, ni, hi, min_level)
    return np.column_stack(
        (
            occupation_closeness(n.noc[ni], h.noc[hi]),
            jaccard(n.interests[ni], h.interests[hi]),
            np.where(both_online(a, ni, hi), 1.0, np.exp(-km / weights.distance_scale_km)),
            household_fit(n.children[ni], h.children[hi]),
            np.clip((comfort - 1) / (LANGUAGE_LEVEL_MAX - 1), 0.0, 1.0),
            np.minimum(a.waiting_days[ni] / WAITING_SATURATION_DAYS, 1.0),
            1.0 - 0.5 ** a.priority_count[ni].astype(np.float64),
        )
    ).reshape(ni.size, len(TERMS))


def quantize(scores: FloatArray) -> IntArray:
    return np.rint(scores * SCORE_SCALE).astype(np.int64)


def scores_int(
    a: Arrays,
    weights: Weights,
    ni: IntArray,
    hi: IntArray,
    km: FloatArray,
    min_level: int,
    chunk: int = 1 << 19,
) -> IntArray:
    """Quantized scores, computed in chunks so that the per-term table stays small."""
    w = weight_vector(weights)
    out = np.empty(ni.size, dtype=np.int64)
    for start in range(0, ni.size, chunk):
        part = slice(start, start + chunk)
        out[part] = quantize(term_values(a, weights, ni[part], hi[part], km[part], min_level) @ w)
    return out
