"""Write services fail closed: the actor is required, asked before anything is written, and the
command line acts as the recorded system operator."""

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from tests.factories import OrganizationFactory
from welcoming.accounts.models import Membership, Role, User
from welcoming.accounts.services import (
    OPERATOR_USERNAME,
    membership_grant,
    membership_revoke,
    operator_user,
)
from welcoming.core.models import Community
from welcoming.core.services import community_import_geography
from welcoming.framework.models import Framework
from welcoming.framework.services import framework_load
from welcoming.indicators.models import ImportBatch, Indicator
from welcoming.indicators.services import indicator_definitions_load, value_import
from welcoming.scorecards.models import ScoringProfile
from welcoming.scorecards.services import scoring_profile_save

pytestmark = pytest.mark.django_db
TIDY = b"community_code,indicator_code,period,value,status\n3520005,population,2021,1,\n"

WRITES: dict[str, Callable[..., Any]] = {
    "framework_load": lambda **kw: framework_load(**kw),
    "indicator_definitions_load": lambda **kw: indicator_definitions_load(**kw),
    "community_import_geography": lambda **kw: community_import_geography(**kw),
    "value_import": lambda **kw: value_import(
        source=io.BytesIO(TIDY), file_name="v.csv", format="tidy", **kw
    ),
    "scoring_profile_save": lambda **kw: scoring_profile_save(name="default", **kw),
}
NOTHING_WRITTEN = [Framework, Indicator, Community, ImportBatch, ScoringProfile]


@pytest.mark.parametrize("service", WRITES)
def test_a_write_service_cannot_be_called_without_an_actor(service: str) -> None:
    with pytest.raises(TypeError, match="actor"):
        WRITES[service]()


@pytest.mark.parametrize("service", WRITES)
@pytest.mark.parametrize(
    ("role", "in_installation"),
    [(Role.ANALYST, True), (Role.DATA_STEWARD, False), (Role.ADMINISTRATOR, False)],
)
def test_a_write_service_refuses_an_actor_without_the_permission(
    person_with_role, service: str, role: Role, in_installation: bool
) -> None:
    actor = person_with_role(role, None if in_installation else OrganizationFactory())
    with pytest.raises(PermissionDenied):
        WRITES[service](actor=actor)
    assert not any(model.objects.exists() for model in NOTHING_WRITTEN)


def test_memberships_are_granted_and_revoked_by_an_administrator_of_the_organization_only(
    person_with_role,
) -> None:
    organization = OrganizationFactory()
    outsider = person_with_role(Role.ADMINISTRATOR, OrganizationFactory())
    someone = person_with_role(Role.VOLUNTEER, OrganizationFactory())
    with pytest.raises(PermissionDenied):
        membership_grant(actor=outsider, user=someone, organization=organization, role=Role.ANALYST)
    membership = membership_grant(
        actor=operator_user(), user=someone, organization=organization, role=Role.ANALYST
    )
    with pytest.raises(PermissionDenied):
        membership_revoke(actor=outsider, membership=membership)
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_the_command_line_imports_as_the_operator_and_the_audit_trail_says_so(
    tmp_path, person_with_role
) -> None:
    call_command("load_framework", stdout=io.StringIO())
    call_command("load_indicator_definitions", stdout=io.StringIO())
    Community.objects.create(code="3520005", name_en="Toronto", name_fr="Toronto", level="csd")
    path = tmp_path / "values.csv"
    path.write_bytes(TIDY)
    call_command("import_indicators", str(path), stdout=io.StringIO())
    operator = User.objects.get(username=OPERATOR_USERNAME)
    assert ImportBatch.objects.get().imported_by == operator
    characteristic_history = Framework.objects.get().history.first()
    assert characteristic_history.history_user == operator
    assert not operator.has_usable_password() and operator.is_superuser


def test_a_person_named_operator_is_never_used_as_the_operator() -> None:
    User.objects.create_user(OPERATOR_USERNAME, password="synthetic password")
    with pytest.raises(ValidationError):
        operator_user()
