"""Hard constraints, evaluated on arrays of (newcomer, host) pairs, and the candidate search.

A pair is feasible when the newcomer is eligible for the program, the host is screened (check not
expired, training done) and has room, they share a language both speak at the program's level,
they are within the host's radius in the same community (or both accept online), their weekly
availability overlaps, and the host offers everything the newcomer asked for.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy.spatial import cKDTree

from .arrays import SCREEN_OK, Arrays, BoolArray, FloatArray, IntArray, chord_for_km, km_for_chord

# Newcomer rows per k-d tree query: bounds the (rows x k) scratch arrays to a few megabytes.
QUERY_CELLS = 1 << 20


def language_comfort(a: Arrays, ni: IntArray, hi: IntArray, min_level: int) -> IntArray:
    """The best level both speak in a shared language, both at `min_level` or above; 0 if none."""
    n, h = a.newcomers, a.hosts
    best = np.zeros(ni.shape, dtype=np.int64)
    for i in range(n.lang_code.shape[1]):
        code_n = n.lang_code[ni, i]
        level_n = n.lang_level[ni, i]
        usable_n = (code_n >= 0) & (level_n >= min_level)
        for j in range(h.lang_code.shape[1]):
            level_h = h.lang_level[hi, j]
            match = usable_n & (code_n == h.lang_code[hi, j]) & (level_h >= min_level)
            best = np.where(match, np.maximum(best, np.minimum(level_n, level_h)), best)
    return best


def both_online(a: Arrays, ni: IntArray, hi: IntArray) -> BoolArray:
    return a.newcomers.online[ni] & a.hosts.online[hi]


def within_reach(a: Arrays, ni: IntArray, hi: IntArray, km: FloatArray) -> BoolArray:
    """In person: same community and inside the host's radius. Online (both accept): anywhere."""
    same = a.newcomers.community[ni] == a.hosts.community[hi]
    reach: BoolArray = both_online(a, ni, hi) | (same & (km <= a.max_km[hi]))
    return reach


def availability_overlaps(a: Arrays, ni: IntArray, hi: IntArray) -> BoolArray:
    overlap: BoolArray = (a.newcomers.availability[ni] & a.hosts.availability[hi]) != 0
    return overlap


def preferences_offered(a: Arrays, ni: IntArray, hi: IntArray) -> BoolArray:
    missing = a.requires[ni] & ~a.offers[hi]
    offered: BoolArray = np.all(missing == 0, axis=1)
    return offered


PairCheck = Callable[[Arrays, IntArray, IntArray, FloatArray, int], BoolArray]

# The order in which explanations attribute a removed host: the first constraint it fails.
FUNNEL: tuple[tuple[str, PairCheck], ...] = (
    ("eligibility", lambda a, ni, hi, km, lv: a.eligible[ni]),
    ("screening", lambda a, ni, hi, km, lv: a.screening[hi] == SCREEN_OK),
    ("language", lambda a, ni, hi, km, lv: language_comfort(a, ni, hi, lv) > 0),
    ("distance", lambda a, ni, hi, km, lv: within_reach(a, ni, hi, km)),
    ("availability", lambda a, ni, hi, km, lv: availability_overlaps(a, ni, hi)),
    ("preferences", lambda a, ni, hi, km, lv: preferences_offered(a, ni, hi)),
    ("capacity", lambda a, ni, hi, km, lv: a.capacity_left[hi] > 0),
)


def pair_feasible(
    a: Arrays, ni: IntArray, hi: IntArray, km: FloatArray, min_level: int
) -> BoolArray:
    """Every hard constraint at once (what the candidate search and the tests agree on)."""
    ok = np.ones(ni.shape, dtype=np.bool_)
    for _, check in FUNNEL:
        ok &= check(a, ni, hi, km, min_level)
    return ok


def pair_km(a: Arrays, ni: IntArray, hi: IntArray) -> FloatArray:
    chord = np.linalg.norm(a.newcomers.xyz[ni] - a.hosts.xyz[hi], axis=1)
    return km_for_chord(chord)


def candidates(
    a: Arrays, newcomers: IntArray, min_level: int, k_best: int
) -> tuple[IntArray, IntArray]:
    """The `k_best` nearest feasible hosts of each newcomer in `newcomers`, as edge arrays.

    The tree holds only usable hosts (screened, with room). A newcomer who does not accept online
    meetings queries within the largest host radius; one who does queries without a bound, since
    an online host anywhere may do. Each query asks for 4 x k_best neighbours and doubles k for
    the newcomers that found fewer than k_best feasible hosts while more hosts lay beyond their
    query, so the result is exactly the k_best nearest feasible hosts, without an all-pairs loop.
    """
    usable = np.flatnonzero((a.screening == SCREEN_OK) & (a.capacity_left > 0))
    empty = np.zeros(0, dtype=np.int64)
    if usable.size == 0 or newcomers.size == 0:
        return empty, empty
    tree = cKDTree(a.hosts.xyz[usable])
    reach = chord_for_km(float(a.max_km[usable].max())) * (1.0 + 1e-9) + 1e-12
    out_n: list[IntArray] = []
    out_h: list[IntArray] = []
    for online in (False, True):
        group = newcomers[a.newcomers.online[newcomers] == online]
        bound = np.inf if online else reach
        k = min(4 * k_best, usable.size)
        while group.size:
            again: list[IntArray] = []
            rows = max(1, QUERY_CELLS // k)
            for start in range(0, group.size, rows):
                chunk = group[start : start + rows]
                found = _query(a, tree, usable, chunk, k, bound, min_level, k_best)
                out_n.append(found[0])
                out_h.append(found[1])
                again.append(found[2])
            group = np.concatenate(again)
            k = min(2 * k, usable.size)
    ni = np.concatenate(out_n)
    hi = np.concatenate(out_h)
    order = np.lexsort((hi, ni))
    return ni[order], hi[order]


def _query(
    a: Arrays,
    tree: cKDTree,
    usable: IntArray,
    chunk: IntArray,
    k: int,
    bound: float,
    min_level: int,
    k_best: int,
) -> tuple[IntArray, IntArray, IntArray]:
    """Feasible edges of `chunk`, and the newcomers that need a wider query."""
    chord, position = tree.query(a.newcomers.xyz[chunk], k=k, distance_upper_bound=bound)
    chord = np.asarray(chord, dtype=np.float64).reshape(chunk.size, k)
    position = np.asarray(position, dtype=np.int64).reshape(chunk.size, k)
    found = position < usable.size
    ni = np.broadcast_to(chunk[:, None], found.shape)[found]
    hi = usable[position[found]]
    ok_flat = pair_feasible(a, ni, hi, km_for_chord(chord[found]), min_level)
    ok = np.zeros(found.shape, dtype=np.bool_)
    ok[found] = ok_flat
    truncated = found[:, -1] & (k < usable.size)
    short = ok.sum(axis=1) < k_best
    widen = truncated & short
    keep = ok & (np.cumsum(ok, axis=1) <= k_best) & ~widen[:, None]
    rows = np.broadcast_to(chunk[:, None], keep.shape)[keep]
    return rows, usable[position[keep]], chunk[widen]
