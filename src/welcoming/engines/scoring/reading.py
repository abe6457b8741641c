"""How a scorecard may honestly be read: which aggregates to show, which gaps are priorities,
which peer group compares, and whether two periods compare.

Pure rules over plain numbers, so that the page, the report, the CSV and the API apply the same
ones, and so that each rule can be stated in the methodology as it is coded here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

import numpy as np

from .model import FloatArray


@dataclass(frozen=True)
class PriorityRule:
    """A characteristic is a priority only when it is behind the peer median by more than
    `iqr_share` of the peers' interquartile range AND by at least `min_points` points, among a
    peer group of at least `min_peers` communities with a score."""

    iqr_share: float = 0.25
    min_points: float = 2.0
    min_peers: int = 5

    def __post_init__(self) -> None:
        if self.iqr_share < 0 or self.min_points < 0 or self.min_peers < 1:
            raise ValueError(
                "a priority rule needs iqr_share >= 0, min_points >= 0, min_peers >= 1"
            )


def coverage_share(scored: int, total: int) -> float:
    """The share of a framework's characteristics (or a group's) that have a score."""
    if total <= 0:
        return 0.0
    if not 0 <= scored <= total:
        raise ValueError("scored must lie between 0 and total")
    return scored / total


def is_shown(coverage: float, threshold: float) -> bool:
    """An aggregate is shown only when its coverage meets the threshold (and is not zero)."""
    return coverage > 0.0 and coverage + 1e-12 >= threshold


def interquartile_range(values: FloatArray) -> float:
    """Q3 − Q1 of the present values (linear interpolation, as R's default type 7); 0 for fewer
    than two values."""
    present = values[~np.isnan(values)]
    if present.size < 2:
        return 0.0
    q1, q3 = np.percentile(present, [25.0, 75.0])
    return float(q3 - q1)


def margin_needed(peer_values: FloatArray, rule: PriorityRule) -> float:
    """How far behind the peer median a score must be to count as a priority."""
    return max(rule.iqr_share * interquartile_range(peer_values), rule.min_points)


def is_meaningfully_behind(own: float, peer_values: FloatArray, rule: PriorityRule) -> bool:
    """True when `own` is behind the median of `peer_values` by more than the rule's margin.

    `peer_values` are the scores of the peer group, the community itself included; NaN values
    (no score) are left out, and a group with fewer than `rule.min_peers` scores decides nothing.
    """
    present = peer_values[~np.isnan(peer_values)]
    if np.isnan(own) or present.size < rule.min_peers:
        return False
    gap = float(np.median(present)) - own
    if gap < rule.min_points:
        return False
    return gap > rule.iqr_share * interquartile_range(present)


def peer_group_or_level(peers: np.ndarray, rule: PriorityRule) -> tuple[np.ndarray, bool]:
    """The peer mask to compare with, and whether it was widened: a peer group smaller than
    `rule.min_peers` says little, so the whole level stands in for it."""
    if int(np.sum(peers)) >= rule.min_peers:
        return peers, False
    return np.ones_like(peers, dtype=bool), True


class TrendBasis(Enum):
    OVERALL = "overall"  # the same characteristics then and now: the overall score compares
    CHARACTERISTICS = "characteristics"  # the set changed: compare each shared one only
    NONE = "none"  # nothing scored in both periods


def trend_basis(
    then: Iterable[str], now: Iterable[str], *, overall_then: bool, overall_now: bool
) -> TrendBasis:
    """What compares between two periods of one community: the overall score only when the same
    characteristics were scored in both and the overall was shown in both; else the
    characteristics scored in both, one by one; else nothing."""
    before, after = frozenset(then), frozenset(now)
    if before and before == after and overall_then and overall_now:
        return TrendBasis.OVERALL
    if before & after:
        return TrendBasis.CHARACTERISTICS
    return TrendBasis.NONE


def characteristics_changed(
    then: Sequence[str], now: Sequence[str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(added, dropped) between two periods, each in the order given."""
    before, after = set(then), set(now)
    return tuple(c for c in now if c not in before), tuple(c for c in then if c not in after)
