"""`solve_edges`: the optimal assignment for given candidate pairs and scores (match-csv --edges).

Each newcomer takes at most one host; each host at most its capacity (0 is valid and means none).
Scores are resolved to a millionth, or to a coarser power of ten when they are so large that a
millionth would not fit the exact 64-bit solver; `resolution` says which was used.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .optimal import ScoreRangeError, solve_flow

FINEST_DIGITS = 6


@dataclass(frozen=True, slots=True)
class EdgeAssignment:
    pairs: tuple[tuple[str, str, float], ...]  # (newcomer_id, host_id, score) in input order
    total_score: float
    resolution: float


def solve_edges(
    edges: Sequence[tuple[str, str, float]], capacities: Mapping[str, int]
) -> EdgeAssignment:
    newcomer_index: dict[str, int] = {}
    seen: set[tuple[str, str]] = set()
    for newcomer_id, host_id, score in edges:
        if host_id not in capacities:
            raise ValueError(f"host {host_id} has no capacity")
        if (newcomer_id, host_id) in seen:
            raise ValueError(f"pair ({newcomer_id}, {host_id}) is listed twice")
        if not np.isfinite(score):
            raise ValueError(f"pair ({newcomer_id}, {host_id}) has a score that is not a number")
        seen.add((newcomer_id, host_id))
        newcomer_index.setdefault(newcomer_id, len(newcomer_index))
    host_ids = list(capacities)
    if any(capacity < 0 for capacity in capacities.values()):
        raise ValueError("a capacity is below 0")
    host_index = {host_id: i for i, host_id in enumerate(host_ids)}
    ni = np.array([newcomer_index[e[0]] for e in edges], dtype=np.int64)
    hi = np.array([host_index[e[1]] for e in edges], dtype=np.int64)
    raw = np.array([e[2] for e in edges], dtype=np.float64)
    newcomer_cap = np.ones(len(newcomer_index), dtype=np.int64)
    host_cap = np.array([capacities[h] for h in host_ids], dtype=np.int64)
    for digits in range(FINEST_DIGITS, -1, -1):
        scale = 10**digits
        if np.abs(raw).max(initial=0.0) * scale >= 2.0**62:
            continue
        score = np.rint(raw * scale).astype(np.int64)
        try:
            chosen = solve_flow(ni, hi, score, newcomer_cap, host_cap).chosen
        except ScoreRangeError:
            continue
        pairs = tuple(edge for edge, keep in zip(edges, chosen.tolist(), strict=True) if keep)
        return EdgeAssignment(pairs, int(score[chosen].sum()) / scale, 1.0 / scale)
    raise ScoreRangeError("scores too large to solve exactly even at a resolution of 1")
