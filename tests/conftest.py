"""Fixtures shared by the whole suite."""

from collections.abc import Callable, Iterator

import pytest
from django.core.cache import caches
from django.utils import translation

from welcoming.accounts.models import Role, User
from welcoming.accounts.services import membership_grant, operator_user
from welcoming.core import pages
from welcoming.core.models import Organization
from welcoming.scorecards import memo

from .factories import OrganizationFactory, UserFactory


@pytest.fixture
def installation(db: None) -> Organization:
    """The synthetic organization that runs the installation (its roles manage shared data)."""
    found = Organization.objects.filter(is_installation=True).first()
    return found or OrganizationFactory(
        name_en="Installation organization (synthetic)", is_installation=True
    )


@pytest.fixture
def person_with_role(installation: Organization) -> Callable[..., User]:
    """Make a synthetic person who holds `role` in `organization` (default: the installation's)."""

    def make(role: Role, organization: Organization | None = None) -> User:
        user = UserFactory()
        membership_grant(
            actor=operator_user(),
            user=user,
            organization=organization or installation,
            role=role,
        )
        user.refresh_from_db()
        return user

    return make


@pytest.fixture
def data_steward(person_with_role: Callable[..., User]) -> User:
    return person_with_role(Role.DATA_STEWARD)


@pytest.fixture
def analyst(person_with_role: Callable[..., User]) -> User:
    return person_with_role(Role.ANALYST)


@pytest.fixture(autouse=True)
def english_unless_asked() -> Iterator[None]:
    """Every test starts in English; a request to a /fr/ page must not leak into the next test."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def fresh_scores() -> Iterator[None]:
    """Kept scores and pages are keyed by the newest row ids, which a rolled-back test can
    repeat."""
    memo.forget_all()
    caches[pages.CACHE_ALIAS].clear()
    yield
    memo.forget_all()
    caches[pages.CACHE_ALIAS].clear()
