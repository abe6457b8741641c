"""Output 4's counts (interactions, newcomers connected, hosts active) for the outcomes issue:
suppressed under 5 unless the organization's own staff ask, by organization and period."""

import datetime

import pytest

from welcoming.connections.activities import (
    attendance_record,
    group_activity_create,
    interaction_log,
)
from welcoming.connections.lifecycle import match_accept, match_introduce
from welcoming.connections.models import Match
from welcoming.connections.runs import match_run_create
from welcoming.connections.selectors import OutputCounts, connections_output_counts

from .workflow_people import agency

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def introduced(sample, pairs: int) -> list[Match]:
    for _ in range(pairs):
        sample.newcomer()
        sample.host()
    match_run_create(program=sample.program, solver="optimal", actor=sample.coordinator)
    matches = []
    for match in Match.objects.filter(program=sample.program):
        match = match_accept(match=match, expected=match.version, actor=sample.coordinator)
        match, _ = match_introduce(
            match=match, expected=match.version, actor=sample.coordinator, link=str
        )
        matches.append(match)
    return matches


def test_counts_by_organization_and_period_with_suppression() -> None:
    sample = agency()
    matches = introduced(sample, 6)
    for match in matches:
        interaction_log(
            match=match, actor=sample.coordinator, date=TODAY, kind="meeting", duration_minutes=30
        )
    activity = group_activity_create(
        program=sample.program, actor=sample.coordinator, date=TODAY, title="Circle"
    )
    attendance_record(
        activity=activity,
        actor=sample.coordinator,
        newcomers=[matches[0].newcomer],  # already counted through the match: counted once
        anonymous_count=9,
    )
    other = agency("Other agency")
    introduced(other, 2)

    own = connections_output_counts(organization=sample.organization)
    assert own == OutputCounts(
        interactions=6, newcomers_connected=6, hosts_active=6, anonymous_attendees=9
    )
    small = connections_output_counts(organization=other.organization)
    assert small == OutputCounts(None, None, None, None)  # fewer than 5: not published
    unsuppressed = connections_output_counts(organization=other.organization, suppress=False)
    assert unsuppressed.newcomers_connected == 2
    everyone = connections_output_counts()
    assert everyone.newcomers_connected == 8

    last_year = (TODAY - datetime.timedelta(days=400), TODAY - datetime.timedelta(days=366))
    past = connections_output_counts(
        organization=sample.organization, period=last_year, suppress=False
    )
    assert past == OutputCounts(0, 0, 0, 0)
