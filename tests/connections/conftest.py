"""Two organizations, each with its agency staff, and a program in Moncton for the first."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from welcoming.accounts.models import Role, User
from welcoming.connections.models import Program
from welcoming.core.models import Organization

from .factories import ProgramFactory, real_community


@dataclass
class Agencies:
    own: Organization
    other: Organization
    staff: User
    other_staff: User
    program: Program


@pytest.fixture
def agencies(person_with_role: Callable[..., User]) -> Agencies:
    from tests.factories import OrganizationFactory

    own, other = OrganizationFactory(), OrganizationFactory()
    real_community("1307045")
    return Agencies(
        own=own,
        other=other,
        staff=person_with_role(Role.AGENCY_STAFF, own),
        other_staff=person_with_role(Role.AGENCY_STAFF, other),
        program=ProgramFactory(organization=own),
    )
