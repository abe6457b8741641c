"""Who may run, decide, log and record: the program's organization's staff; a match's own host
logs interactions on it; the people in a match give feedback; nobody else."""

import pytest

from tests.factories import UserFactory
from welcoming.accounts.models import Role
from welcoming.connections.models import Match
from welcoming.connections.runs import match_run_create

from .workflow_people import agency

pytestmark = pytest.mark.django_db


def test_the_workflows_permissions_follow_the_organization_and_the_match() -> None:
    sample = agency()
    volunteer = sample.member(Role.VOLUNTEER)
    newcomer_person = UserFactory()
    sample.newcomer(user=newcomer_person)
    sample.host(user=volunteer)
    match_run_create(program=sample.program, solver="optimal", actor=sample.coordinator)
    match = Match.objects.get()
    other_volunteer = sample.member(Role.VOLUNTEER)
    funder = sample.member(Role.FUNDER_OFFICER)
    stranger = agency("Other agency").coordinator
    program = sample.program

    def may(user, perm: str, obj) -> bool:
        return user.has_perm(f"connections.{perm}", obj)

    assert may(sample.coordinator, "run_matching", program)
    assert may(sample.coordinator, "change_match", match)
    assert may(sample.coordinator, "record_activity", program)
    for user in (stranger, volunteer, funder):
        assert not may(user, "run_matching", program)
        assert not may(user, "change_match", match)
        assert not may(user, "record_activity", program)
    assert may(volunteer, "log_interaction", match)
    assert not may(other_volunteer, "log_interaction", match)
    assert not may(newcomer_person, "log_interaction", match)
    assert not may(stranger, "log_interaction", match)
    assert may(newcomer_person, "give_feedback", match) and may(volunteer, "give_feedback", match)
    assert not may(other_volunteer, "give_feedback", match)
    assert may(volunteer, "view_own_matches", None)
    assert not may(funder, "view_own_matches", None)
