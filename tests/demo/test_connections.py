"""The demo's sample connections: synthetic people, marked as such, in real communities."""

import pytest

from tests.connections.factories import real_community
from welcoming.accounts.models import User
from welcoming.accounts.services import operator_user
from welcoming.connections.models import HostProfile, NewcomerLanguage, NewcomerProfile, Program
from welcoming.connections.selectors import matching_problem_for
from welcoming.demo.connections import TODAY, demo_connections_load
from welcoming.demo.services import DemoReport, _demo_people
from welcoming.engines import matching

pytestmark = pytest.mark.django_db


def test_sample_people_in_two_organizations_and_real_places() -> None:
    for code in ("1307022", "1307045", "4607062", "4611040"):
        real_community(code)
    operator = operator_user()
    _demo_people(actor=operator, password="synthetic demo passphrase", report=DemoReport())
    assert demo_connections_load(actor=operator) == 130
    assert demo_connections_load(actor=operator) == 0  # a second run changes nothing
    newcomers = NewcomerProfile.objects.all()
    assert newcomers.count() == 80 and not newcomers.filter(is_sample=False).exists()
    assert all(name.startswith("Sample ") for name in newcomers.values_list("name", flat=True))
    assert newcomers.values("organization").distinct().count() == 2
    assert not newcomers.filter(consent__isnull=True).exists()
    assert set(newcomers.values_list("community__code", flat=True)) <= {
        "1307022",
        "1307045",
        "4607062",
        "4611040",
    }
    assert NewcomerLanguage.objects.filter(code="fra").exists()
    assert NewcomerLanguage.objects.values("code").distinct().count() >= 8
    hosts = HostProfile.objects.all()
    assert hosts.filter(police_check_date__isnull=True).exists()  # unscreened
    assert hosts.filter(police_check_expires__lt=TODAY).exists()  # expired
    assert hosts.filter(police_check_expires__gt=TODAY).count() > 30
    assert hosts.filter(kind="group", capacity__gt=1).exists()
    assert Program.objects.filter(team_size_min=3, team_size_max=5).exists()
    assert Program.objects.filter(kind="conversation_circle").exists()
    demo_newcomer = User.objects.get(username="demo-agency-newcomer")
    assert NewcomerProfile.objects.filter(user=demo_newcomer).exists()
    team = Program.objects.get(team_size_min=3)
    problem = matching_problem_for(program=team, today=TODAY)
    assert problem.newcomers and problem.hosts and problem.program.team_size == (3, 5)
    for program in Program.objects.all():
        result = matching.solve(matching_problem_for(program=program, today=TODAY))
        screened = {
            str(pk)
            for pk in HostProfile.objects.filter(
                police_check_expires__gte=TODAY, training_completed_on__isnull=False
            ).values_list("pk", flat=True)
        }
        assert {p.host_id for p in result.proposals} <= screened
    mentoring = Program.objects.get(kind="mentoring")
    assert matching.solve(matching_problem_for(program=mentoring, today=TODAY)).proposals
