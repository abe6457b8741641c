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
from .model import LANGUAGE_LEVEL_MAX

# Newcomer rows per k-d tree query: bounds the (rows x k) scratch arrays to a few megabytes.
QUERY_CELLS = 1 << 20
# Sort key stride: distances in metres stay below it (the half circumference is 20,037 km).
MAX_KM_KEY = 1 << 35


def language_comfort(a: Arrays, ni: IntArray, hi: IntArray, min_level: int) -> IntArray:
    """The best level both speak in a shared language, both at `min_level` or above; 0 if none."""
    best = np.zeros(ni.shape, dtype=np.int64)
    for level in range(min_level, LANGUAGE_LEVEL_MAX + 1):
        shared = a.newcomers.lang_bits[level - 1][ni] & a.hosts.lang_bits[level - 1][hi]
        best[np.any(shared != 0, axis=1)] = level
    return best


def shares_language(a: Arrays, ni: IntArray, hi: IntArray, min_level: int) -> BoolArray:
    """A language both speak at `min_level` or above: `language_comfort(...) > 0`, faster."""
    n_bits = a.newcomers.lang_bits[min_level - 1]
    h_bits = a.hosts.lang_bits[min_level - 1]
    if n_bits.shape[1] == 1:  # up to 64 languages: one word per person
        shared: BoolArray = (n_bits[ni, 0] & h_bits[hi, 0]) != 0
        return shared
    shared = np.any((n_bits[ni] & h_bits[hi]) != 0, axis=1)
    return shared


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
    ("language", lambda a, ni, hi, km, lv: shares_language(a, ni, hi, lv)),
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


def _within_tree_feasible(
    a: Arrays, ni: IntArray, hi: IntArray, km: FloatArray, in_person: bool
) -> BoolArray:
    """What a tree's membership does not already guarantee: reach, availability, preferences.

    An in-person tree holds hosts of the newcomer's own community, so reach is the host's radius
    (or both online); an online tree holds online hosts queried by online newcomers: any distance.
    """
    feasible = availability_overlaps(a, ni, hi) & preferences_offered(a, ni, hi)
    if in_person:
        feasible &= both_online(a, ni, hi) | (km <= a.max_km[hi])
    return feasible


def _speakers(a: Arrays, side_code: IntArray, side_level: IntArray, min_level: int) -> IntArray:
    """(row, language) pairs where the person speaks the language at min_level or above."""
    row, column = np.nonzero((side_code >= 0) & (side_level >= min_level))
    return np.column_stack((row, side_code[row, column])).astype(np.int64).reshape(-1, 2)


def candidates(
    a: Arrays, newcomers: IntArray, min_level: int, k_best: int
) -> tuple[IntArray, IntArray]:
    """The `k_best` nearest feasible hosts of each newcomer in `newcomers`, as edge arrays.

    The hosts are indexed by k-d trees, one per (community, language) over the usable hosts
    (screened, with room) who speak that language at the program's level, and one per language
    over the usable hosts who accept online meetings. A newcomer queries, for each language it
    speaks at that level, its community's tree within the largest radius of that tree's hosts and,
    if it accepts online meetings, the online tree without a bound. Every feasible host lies in
    one of the trees a newcomer queries, so the union of each tree's k_best nearest feasible hosts
    holds the newcomer's k_best nearest feasible hosts, which are kept. A query asks for 1.2 x
    k_best neighbours (measured faster than 1 or 2 x) and doubles k for the newcomers that found
    fewer feasible hosts while more lay beyond; no loop ever runs over all pairs.
    """
    usable = (a.screening == SCREEN_OK) & (a.capacity_left > 0)
    host_lang = _speakers(a, a.hosts.lang_code, a.hosts.lang_level, min_level)
    host_lang = host_lang[usable[host_lang[:, 0]]]
    newcomer_lang = _speakers(a, a.newcomers.lang_code, a.newcomers.lang_level, min_level)
    newcomer_lang = newcomer_lang[np.isin(newcomer_lang[:, 0], newcomers)]
    found: list[tuple[IntArray, IntArray, FloatArray]] = []
    # In person: trees keyed by (community, language).
    # Every language code of either side is below span, so no two (community, language) pairs
    # share a key (a span from the hosts' codes alone let a newcomer's language that no usable
    # host speaks alias another community's tree).
    span = max(len(a.language_names), 1)
    host_key = a.hosts.community[host_lang[:, 0]] * span + host_lang[:, 1]
    newcomer_key = a.newcomers.community[newcomer_lang[:, 0]] * span + newcomer_lang[:, 1]
    found += _by_tree(a, host_lang[:, 0], host_key, newcomer_lang[:, 0], newcomer_key, k_best, True)
    # Online: trees keyed by language, for newcomers and hosts who both accept online meetings.
    online_h = host_lang[a.hosts.online[host_lang[:, 0]]]
    online_n = newcomer_lang[a.newcomers.online[newcomer_lang[:, 0]]]
    found += _by_tree(
        a, online_h[:, 0], online_h[:, 1], online_n[:, 0], online_n[:, 1], k_best, False
    )
    empty = np.zeros(0, dtype=np.int64)
    if not found:
        return empty, empty
    ni = np.concatenate([f[0] for f in found])
    hi = np.concatenate([f[1] for f in found])
    km = np.concatenate([f[2] for f in found])
    if ni.size == 0:
        return empty, empty
    # A host found through two languages (or in person and online) counts once: unique pairs,
    # in (newcomer, host) order.
    # The copies of a pair have the same distance, so any one may stay (np.unique without its
    # slower stable sort).
    pair = ni * len(a.hosts.ids) + hi
    order = np.argsort(pair)
    first = order[np.r_[True, pair[order[1:]] != pair[order[:-1]]]]
    ni, hi, km = ni[first], hi[first], km[first]
    # Rank by distance (to the metre; ties by host) the hosts of each newcomer that has more than
    # k_best, and keep its k_best nearest; the others keep all of theirs.
    over = np.flatnonzero(np.bincount(ni)[ni] > k_best)
    keep = np.ones(ni.size, dtype=np.bool_)
    ni_over = ni[over]
    key = ni_over * MAX_KM_KEY + np.rint(km[over] * 1000.0).astype(np.int64)
    by_distance = np.argsort(key, kind="stable")
    sorted_ni = ni_over[by_distance]
    starts = np.flatnonzero(np.r_[True, sorted_ni[1:] != sorted_ni[:-1]])
    rank = np.arange(over.size) - np.repeat(starts, np.diff(np.r_[starts, over.size]))
    keep[over[by_distance]] = rank < k_best
    return ni[keep], hi[keep]


def _by_tree(
    a: Arrays,
    host_rows: IntArray,
    host_key: IntArray,
    newcomer_rows: IntArray,
    newcomer_key: IntArray,
    k_best: int,
    bounded: bool,
) -> list[tuple[IntArray, IntArray, FloatArray]]:
    out: list[tuple[IntArray, IntArray, FloatArray]] = []
    host_order = np.argsort(host_key, kind="stable")
    host_rows, host_key = host_rows[host_order], host_key[host_order]
    for key in np.unique(newcomer_key).tolist():
        lo, hi = np.searchsorted(host_key, [key, key + 1])
        if lo == hi:
            continue
        members = host_rows[lo:hi]
        group = newcomer_rows[newcomer_key == key]
        tree = cKDTree(a.hosts.xyz[members])
        bound = chord_for_km(float(a.max_km[members].max())) * (1 + 1e-9) + 1e-12
        k = min(k_best + k_best // 5, members.size)  # widened below when too few are feasible
        while group.size:
            again: list[IntArray] = []
            rows = max(1, QUERY_CELLS // k)
            for start in range(0, group.size, rows):
                chunk = group[start : start + rows]
                ni, hi_, km, widen = _query(
                    a, tree, members, chunk, k, bound if bounded else np.inf, k_best
                )
                out.append((ni, hi_, km))
                again.append(widen)
            group = np.concatenate(again)
            k = min(2 * k, members.size)
    return out


def _query(
    a: Arrays,
    tree: cKDTree,
    members: IntArray,
    chunk: IntArray,
    k: int,
    bound: float,
    k_best: int,
) -> tuple[IntArray, IntArray, FloatArray, IntArray]:
    """Feasible edges of `chunk` in one tree, and the newcomers that need a wider query."""
    chord, position = tree.query(
        a.newcomers.xyz[chunk], k=k, distance_upper_bound=bound, workers=-1
    )
    chord = np.asarray(chord, dtype=np.float64).reshape(chunk.size, k)
    position = np.asarray(position, dtype=np.int64).reshape(chunk.size, k)
    present = position < members.size
    ni = np.broadcast_to(chunk[:, None], present.shape)[present]
    hi = members[position[present]]
    km_flat = km_for_chord(chord[present])
    ok = np.zeros(present.shape, dtype=np.bool_)
    ok[present] = _within_tree_feasible(a, ni, hi, km_flat, bool(np.isfinite(bound)))
    km = np.zeros(present.shape)
    km[present] = km_flat
    truncated = present[:, -1] & (k < members.size)
    widen = truncated & (ok.sum(axis=1) < k_best)
    keep = ok & (np.cumsum(ok, axis=1) <= k_best) & ~widen[:, None]
    rows = np.broadcast_to(chunk[:, None], keep.shape)[keep]
    return rows, members[position[keep]], km[keep], chunk[widen]
