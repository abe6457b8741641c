"""Fixtures shared by the whole suite."""

from collections.abc import Callable, Iterator

import pytest
from django.utils import translation

from welcoming.accounts.models import Role, User
from welcoming.scorecards import memo

from .factories import MembershipFactory, UserFactory


@pytest.fixture
def person_with_role(db: None) -> Callable[[Role], User]:
    """Make a synthetic person who holds `role` in a synthetic organization."""

    def make(role: Role) -> User:
        membership = MembershipFactory(user=UserFactory(), role=role)
        return membership.user

    return make


@pytest.fixture
def data_steward(person_with_role: Callable[[Role], User]) -> User:
    return person_with_role(Role.DATA_STEWARD)


@pytest.fixture
def analyst(person_with_role: Callable[[Role], User]) -> User:
    return person_with_role(Role.ANALYST)


@pytest.fixture(autouse=True)
def english_unless_asked() -> Iterator[None]:
    """Every test starts in English; a request to a /fr/ page must not leak into the next test."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def fresh_scores() -> Iterator[None]:
    """Kept scores are keyed by the newest row ids, which a rolled-back test can repeat."""
    memo.forget_all()
    yield
    memo.forget_all()
