"""Who may see and change what: staff of the serving organization, the people themselves."""

import pytest

from welcoming.accounts.models import Role
from welcoming.connections.models import Match, MatchHost

from .conftest import Agencies
from .factories import HostProfileFactory, NewcomerProfileFactory

pytestmark = pytest.mark.django_db


def test_staff_and_administrators_of_the_organization_only(agencies, person_with_role) -> None:
    newcomer = NewcomerProfileFactory(organization=agencies.own)
    administrator = person_with_role(Role.ADMINISTRATOR, agencies.own)
    installation_admin = person_with_role(Role.ADMINISTRATOR)
    steward = person_with_role(Role.DATA_STEWARD, agencies.own)
    for perm in ("connections.view_newcomerprofile", "connections.change_newcomerprofile"):
        assert agencies.staff.has_perm(perm, newcomer)
        assert administrator.has_perm(perm, newcomer)
        assert not agencies.other_staff.has_perm(perm, newcomer)
        assert not installation_admin.has_perm(perm, newcomer)
        assert not steward.has_perm(perm, newcomer)
    assert agencies.staff.has_perm("connections.change_program", agencies.program)
    assert not agencies.other_staff.has_perm("connections.view_program", agencies.program)


def test_people_see_their_own_profile_and_matches(agencies: Agencies, person_with_role) -> None:
    volunteer = person_with_role(Role.VOLUNTEER, agencies.own)
    newcomer_user = person_with_role(Role.NEWCOMER, agencies.own)
    newcomer = NewcomerProfileFactory(organization=agencies.own, user=newcomer_user)
    host = HostProfileFactory(organization=agencies.own, user=volunteer)
    other_host = HostProfileFactory(organization=agencies.own)
    match = Match.objects.create(program=agencies.program, newcomer=newcomer)
    MatchHost.objects.create(match=match, host=host)
    assert newcomer_user.has_perm("connections.view_newcomerprofile", newcomer)
    assert not newcomer_user.has_perm("connections.change_newcomerprofile", newcomer)
    assert volunteer.has_perm("connections.view_hostprofile", host)
    assert not volunteer.has_perm("connections.view_hostprofile", other_host)
    assert not volunteer.has_perm("connections.view_newcomerprofile", newcomer)
    for person in (volunteer, newcomer_user):
        assert person.has_perm("connections.view_match", match)
        assert not person.has_perm("connections.change_match", match)
    assert not agencies.other_staff.has_perm("connections.view_match", match)
    assert agencies.staff.has_perm("connections.change_match", match)


def test_funder_officers_see_counts_and_nothing_else(agencies, person_with_role) -> None:
    officer = person_with_role(Role.FUNDER_OFFICER, agencies.own)
    newcomer = NewcomerProfileFactory(organization=agencies.own)
    assert officer.has_perm("connections.view_connection_counts")
    assert not officer.has_perm("connections.manage_connections")
    assert not officer.has_perm("connections.view_newcomerprofile", newcomer)
    assert not officer.has_perm("connections.view_program", agencies.program)
