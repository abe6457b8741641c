"""The database refuses what must never hold, whatever writes it."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from welcoming.accounts.services import operator_user
from welcoming.connections.models import (
    Attendance,
    GroupActivity,
    HostLanguage,
    Interaction,
    Match,
    MatchHost,
    Program,
)

from .factories import HostProfileFactory, NewcomerProfileFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def _refused(make) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_host_constraints() -> None:
    host = HostProfileFactory()
    _refused(lambda: HostLanguage.objects.create(host=host, code="fra", level=5))
    _refused(lambda: HostLanguage.objects.create(host=host, code="eng", level=2))  # twice
    for changes in (
        {"police_check_expires": date(2024, 1, 1)},  # before the check
        {"kind": "network", "capacity": 1},
        {"availability": 1 << 21},
        {"noc_code": "123"},
        {"max_distance_km": -1},
    ):
        fields = {"police_check_date": host.police_check_date, **changes}
        _refused(lambda fields=fields: type(host).objects.filter(pk=host.pk).update(**fields))


def test_program_constraints_and_clean() -> None:
    program = ProgramFactory()
    _refused(lambda: Program.objects.filter(pk=program.pk).update(team_size_min=4, team_size_max=3))
    _refused(lambda: Program.objects.filter(pk=program.pk).update(weight_distance=-1))
    _refused(lambda: Program.objects.filter(pk=program.pk).update(distance_scale_km=0))
    program.languages = ["eng", "qqq"]
    program.eligibility = ["astronaut"]
    with pytest.raises(ValidationError) as refused:
        program.full_clean()
    assert set(refused.value.message_dict) == {"languages", "eligibility"}


def test_match_interaction_and_attendance_constraints() -> None:
    program = ProgramFactory()
    newcomer, host = NewcomerProfileFactory(), HostProfileFactory()
    match = Match.objects.create(program=program, newcomer=newcomer)
    MatchHost.objects.create(match=match, host=host, score=1.5)
    _refused(lambda: MatchHost.objects.create(match=match, host=host))  # never twice in a team
    _refused(lambda: Match.objects.filter(pk=match.pk).update(status="ended"))  # no reason
    actor = operator_user()
    _refused(
        lambda: Interaction.objects.create(
            match=match, date=date(2026, 1, 5), kind="call", duration_minutes=0, logged_by=actor
        )
    )
    activity = GroupActivity.objects.create(
        program=program, date=date(2026, 1, 5), title="Circle", created_by=actor
    )
    _refused(lambda: Attendance.objects.create(activity=activity))  # nobody
    _refused(lambda: Attendance.objects.create(activity=activity, newcomer=newcomer, host=host))
    Attendance.objects.create(activity=activity, anonymous_count=4)
    Attendance.objects.create(activity=activity, newcomer=newcomer)
    _refused(lambda: Attendance.objects.create(activity=activity, newcomer=newcomer))


def test_a_newcomer_s_eligibility_tags_come_from_the_profile() -> None:
    newcomer = NewcomerProfileFactory(
        children_ages=[2, 9], age_group="senior", goals=["business"], is_refugee=True
    )
    assert newcomer.tags == {"children_under_6", "senior", "entrepreneur", "refugee"}
    assert newcomer.priority == {"refugee"}
