"""The matching engine's problem for a program, from the database."""

from datetime import date

import pytest
from django.utils import timezone

from welcoming.accounts.models import ConsentPurpose
from welcoming.accounts.services import consent_give, operator_user
from welcoming.connections.models import HostProfile, Match, MatchHost, NewcomerProfile
from welcoming.connections.selectors import matching_problem_for
from welcoming.engines.matching import LanguageSkill

from .factories import HostProfileFactory, NewcomerProfileFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def _consented(**fields) -> NewcomerProfile:
    profile = NewcomerProfileFactory(**fields)
    profile.consent = consent_give(
        person=profile, purpose=ConsentPurpose.MATCHING, notice_version="1", actor=operator_user()
    )
    profile.save()
    return profile


def test_problem_holds_waiting_consenting_newcomers_and_active_hosts() -> None:
    program = ProgramFactory(team_size_min=3, team_size_max=5, eligibility=["senior"])
    program.refresh_from_db()
    waiting = _consented(
        programs=[program],
        languages=[("tir", 4), ("eng", 2)],
        noc_code="31301",
        children_ages=[4],
        is_single_parent=True,
    )
    _consented(programs=[program], status=NewcomerProfile.Status.HELD)
    NewcomerProfileFactory(programs=[program])  # no consent
    withdrawn = _consented(programs=[program])
    withdrawn.consent.withdrawn_at = timezone.now()
    withdrawn.consent.save()
    _consented()  # another program
    in_match = _consented(programs=[program])
    host = HostProfileFactory(programs=[program], capacity=2)
    expired = HostProfileFactory(
        programs=[program],
        police_check_date=date(2020, 1, 1),
        police_check_expires=date(2023, 1, 1),
    )
    unscreened = HostProfileFactory(
        programs=[program], police_check_date=None, police_check_expires=None
    )
    HostProfileFactory(programs=[program], status=HostProfile.Status.PAUSED)
    match = Match.objects.create(program=program, newcomer=in_match, status=Match.Status.ACTIVE)
    MatchHost.objects.create(match=match, host=host)

    problem = matching_problem_for(program=program, today=date(2026, 3, 1), seed=7)

    # The kept match's newcomer comes along: the engine counts the places a kept pair takes.
    assert [n.id for n in problem.newcomers] == [str(waiting.pk), str(in_match.pk)]
    newcomer = problem.newcomers[0]
    assert newcomer.community == "1307022"
    assert set(newcomer.languages) == {LanguageSkill("tir", 4), LanguageSkill("eng", 2)}
    assert newcomer.noc_code == "31301" and newcomer.tags >= {"children_under_6"}
    assert newcomer.priority == {"single_parent"}
    hosts = {h.id: h for h in problem.hosts}
    assert set(hosts) == {str(host.pk), str(expired.pk), str(unscreened.pk)}
    assert hosts[str(expired.pk)].screened_until == date(2023, 1, 1)
    assert hosts[str(unscreened.pk)].screened_until is None
    assert problem.program.team_size == (3, 5)
    assert problem.program.requires_tags == {"senior"}
    assert problem.program.weights.occupation == 3.0
    assert problem.active == ((str(in_match.pk), str(host.pk)),)
    assert problem.seed == 7
