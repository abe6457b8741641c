"""Preferences from scores, the stable option, and blocking pairs for any assignment.

Both sides rank their candidate edges by score; ties are broken by a permutation of the other
side drawn from the problem's seed, so the preferences are strict and the run is reproducible.

The stable assignment is `matching`'s hospital-resident algorithm (resident-optimal Gale-Shapley,
Roth 1984) run directly on player objects we build. `matching.games.HospitalResident` first
deep-copies the whole player graph, whose preference lists point at one another, and the copy
recurses once per linked player: that is the RecursionError at default limits from about 2,000
newcomers, and its input checks are quadratic. Our inputs are valid by construction (every
preference is reciprocated), so we skip both and no recursion limit needs raising.
"""

from __future__ import annotations

import numpy as np
from matching.algorithms import hospital_resident
from matching.players import Hospital, Player

from .arrays import BoolArray, IntArray
from .optimal import COST_LIMIT, ScoreRangeError


def preference_keys(
    ni: IntArray, hi: IntArray, score: IntArray, newcomers: int, hosts: int, seed: int
) -> tuple[IntArray, IntArray]:
    """Strict preference keys per edge (higher is better): the newcomer's and the host's."""
    if int(np.abs(score).max(initial=0)) * (max(newcomers, hosts) + 1) >= COST_LIMIT:
        raise ScoreRangeError("scores too large for exact preference keys")
    rng = np.random.default_rng(seed)
    host_rank = rng.permutation(hosts).astype(np.int64)
    newcomer_rank = rng.permutation(newcomers).astype(np.int64)
    newcomer_key = score * hosts + (hosts - 1 - host_rank[hi])
    host_key = score * newcomers + (newcomers - 1 - newcomer_rank[ni])
    return newcomer_key, host_key


def stable_assignment(
    ni: IntArray,
    hi: IntArray,
    newcomer_key: IntArray,
    host_key: IntArray,
    host_cap: IntArray,
) -> BoolArray:
    """Resident-optimal stable assignment; newcomers are residents, hosts are hospitals."""
    edge_of: dict[tuple[int, int], int] = {}
    residents: dict[int, Player] = {}
    hospitals: dict[int, Hospital] = {}
    for e, (n, h) in enumerate(zip(ni.tolist(), hi.tolist(), strict=True)):
        edge_of[(n, h)] = e
        if n not in residents:
            residents[n] = Player(name=n)
        if h not in hospitals:
            hospitals[h] = Hospital(name=h, capacity=int(host_cap[h]))
    by_newcomer = np.lexsort((-newcomer_key, ni))
    by_host = np.lexsort((-host_key, hi))
    _set_prefs(residents, hospitals, ni[by_newcomer], hi[by_newcomer])
    _set_prefs(hospitals, residents, hi[by_host], ni[by_host])
    order = sorted(residents)  # the algorithm pops from the end: a fixed order, a fixed run
    result = hospital_resident(
        [residents[n] for n in reversed(order)], list(hospitals.values()), optimal="resident"
    )
    chosen = np.zeros(ni.size, dtype=np.bool_)
    for hospital, matched in result.items():
        for resident in matched:
            chosen[edge_of[(resident.name, hospital.name)]] = True
    return chosen


def _set_prefs(
    owners: dict[int, Player] | dict[int, Hospital],
    others: dict[int, Player] | dict[int, Hospital],
    owner_of_row: IntArray,
    other_of_row: IntArray,
) -> None:
    boundaries = np.flatnonzero(np.diff(owner_of_row)) + 1
    starts = np.concatenate(([0], boundaries))
    ends = np.concatenate((boundaries, [owner_of_row.size]))
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        if start == end:
            continue
        owner = owners[int(owner_of_row[start])]
        owner.set_prefs([others[o] for o in other_of_row[start:end].tolist()])


def blocking_pairs(
    ni: IntArray,
    hi: IntArray,
    newcomer_key: IntArray,
    host_key: IntArray,
    chosen: BoolArray,
    newcomer_room: IntArray,
    host_room: IntArray,
) -> IntArray:
    """Indices of unchosen edges (n, h) that both would rather have than what they hold.

    n prefers h when it still has room (holds fewer hosts than its capacity) or ranks h above its
    worst current host; h prefers n likewise. `chosen` must already include kept (active) pairs,
    and the rooms are counted after them. One pass over the edges: O(E).
    """
    newcomers = int(ni.max(initial=-1)) + 1
    hosts = int(hi.max(initial=-1)) + 1
    worst_n = np.full(newcomers, np.iinfo(np.int64).max)
    worst_h = np.full(hosts, np.iinfo(np.int64).max)
    np.minimum.at(worst_n, ni[chosen], newcomer_key[chosen])
    np.minimum.at(worst_h, hi[chosen], host_key[chosen])
    held_n = np.bincount(ni[chosen], minlength=newcomers)
    held_h = np.bincount(hi[chosen], minlength=hosts)
    n_wants = (held_n[ni] < newcomer_room[ni]) | (newcomer_key > worst_n[ni])
    h_wants = (held_h[hi] < host_room[hi]) | (host_key > worst_h[hi])
    return np.flatnonzero(~chosen & n_wants & h_wants)
