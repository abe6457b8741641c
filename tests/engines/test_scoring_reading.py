"""Reading a scorecard honestly: coverage of the framework, priorities with a minimum gap, peer
groups large enough to compare, and trends between like and like."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from welcoming.engines.scoring import (
    PriorityRule,
    TrendBasis,
    characteristics_changed,
    coverage_share,
    is_meaningfully_behind,
    is_shown,
    margin_needed,
    peer_group_or_level,
    trend_basis,
)

RULE = PriorityRule()
scores = st.floats(0, 100, allow_nan=False).map(lambda v: round(v, 3))
peer_lists = st.lists(scores, min_size=1, max_size=30)


def test_coverage_is_the_share_of_the_framework_with_a_score() -> None:
    assert coverage_share(3, 17) == pytest.approx(3 / 17)
    assert coverage_share(0, 0) == 0.0
    with pytest.raises(ValueError, match="between 0 and total"):
        coverage_share(18, 17)


def test_an_aggregate_is_shown_only_at_or_above_the_threshold() -> None:
    assert not is_shown(3 / 17, 0.5)  # a municipality scored on 3 of 17 characteristics
    assert is_shown(9 / 17, 0.5)
    assert is_shown(0.5, 0.5)
    assert not is_shown(0.0, 0.0)  # nothing scored: nothing to show, whatever the threshold


@given(peer_lists, scores)
def test_never_a_priority_when_at_or_above_the_peer_median(peers: list[float], own: float) -> None:
    values = np.array([*peers, own])
    if own >= float(np.median(values)):
        assert not is_meaningfully_behind(own, values, RULE)


@given(peer_lists, scores)
def test_never_a_priority_when_behind_by_less_than_the_minimum_points(
    peers: list[float], own: float
) -> None:
    values = np.array([*peers, own])
    if float(np.median(values)) - own < RULE.min_points:
        assert not is_meaningfully_behind(own, values, RULE)


@given(peer_lists, scores)
def test_a_priority_is_behind_by_more_than_its_margin(peers: list[float], own: float) -> None:
    values = np.array([*peers, own])
    if is_meaningfully_behind(own, values, RULE):
        assert float(np.median(values)) - own >= margin_needed(values, RULE)
        assert values.size >= RULE.min_peers


@given(peer_lists, scores, st.floats(0, 50))
def test_a_lower_score_is_no_less_behind(peers: list[float], own: float, drop: float) -> None:
    """Lowering a community's score (its peers' staying) never removes it from the priorities."""
    values = np.array([*peers, own])
    if is_meaningfully_behind(own, values, RULE):
        lower = own - drop
        assert is_meaningfully_behind(lower, np.array([*peers, lower]), RULE)


@given(peer_lists, scores, st.randoms())
def test_the_order_of_the_peers_does_not_matter(peers: list[float], own: float, rnd) -> None:
    values = [*peers, own]
    shuffled = values[:]
    rnd.shuffle(shuffled)
    assert is_meaningfully_behind(own, np.array(values), RULE) == is_meaningfully_behind(
        own, np.array(shuffled), RULE
    )


def test_a_small_gap_within_a_wide_spread_is_not_a_priority() -> None:
    # Toronto CMA's safety 1.2 points behind: not a priority. 10 points behind peers whose
    # interquartile range is 20 (a quarter: 5): a priority.
    peers = np.array([40.0, 50.0, 60.0, 70.0, 80.0])
    assert not is_meaningfully_behind(58.8, peers, RULE)
    assert is_meaningfully_behind(50.0, np.array([50.0, 55.0, 60.0, 70.0, 80.0]), RULE)
    wide = np.array([0.0, 10.0, 60.0, 100.0, 100.0])  # IQR 90: a quarter is 22.5
    assert not is_meaningfully_behind(40.0, wide, RULE)


def test_fewer_peers_than_the_minimum_decide_nothing() -> None:
    assert not is_meaningfully_behind(10.0, np.array([10.0, 90.0, 90.0, 90.0]), RULE)
    assert is_meaningfully_behind(10.0, np.array([10.0, 90.0, 90.0, 90.0, 90.0]), RULE)
    assert not is_meaningfully_behind(10.0, np.array([10.0, 90.0, np.nan, 90.0, 90.0]), RULE)


@given(st.lists(st.booleans(), min_size=1, max_size=60))
def test_a_small_peer_group_widens_to_the_whole_level(mask: list[bool]) -> None:
    peers = np.array(mask)
    chosen, widened = peer_group_or_level(peers, RULE)
    assert widened == (int(peers.sum()) < RULE.min_peers)
    assert int(chosen.sum()) == (len(mask) if widened else int(peers.sum()))


codes = st.lists(st.sampled_from("abcdefgh"), unique=True, max_size=8)


@given(codes, codes, st.booleans(), st.booleans())
def test_the_overall_compares_only_on_the_same_characteristics(
    then: list[str], now: list[str], shown_then: bool, shown_now: bool
) -> None:
    basis = trend_basis(then, now, overall_then=shown_then, overall_now=shown_now)
    if basis == TrendBasis.OVERALL:
        assert set(then) == set(now) and then and shown_then and shown_now
    if basis == TrendBasis.NONE:
        assert not set(then) & set(now)
    added, dropped = characteristics_changed(then, now)
    assert set(added) == set(now) - set(then) and set(dropped) == set(then) - set(now)


def test_trend_bases_on_the_cases_of_the_issue() -> None:
    # Toronto CMA: safety only in 1998, three characteristics today.
    later = ["employment", "housing", "safety"]
    assert trend_basis(["safety"], later, overall_then=True, overall_now=True) == (
        TrendBasis.CHARACTERISTICS
    )
    assert trend_basis(["safety"], ["safety"], overall_then=True, overall_now=True) == (
        TrendBasis.OVERALL
    )
    assert trend_basis(["safety"], ["safety"], overall_then=False, overall_now=True) == (
        TrendBasis.CHARACTERISTICS
    )
    assert trend_basis(["safety"], ["housing"], overall_then=True, overall_now=True) == (
        TrendBasis.NONE
    )


def test_a_rule_must_make_sense() -> None:
    with pytest.raises(ValueError, match="priority rule"):
        PriorityRule(min_peers=0)
