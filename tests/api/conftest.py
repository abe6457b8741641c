"""The API is tested through HTTP against a slice of the real data (tests/slices.py)."""

from collections.abc import Callable

import pytest

from tests.slices import load_real_slice
from welcoming.accounts.models import Scope, User
from welcoming.accounts.services import api_token_create

Headers = dict[str, str]


@pytest.fixture(autouse=True)
def real_slice(db: None) -> None:
    load_real_slice()


@pytest.fixture
def bearer() -> Callable[[User], Headers]:
    """Headers that carry a fresh API token of `user`, with every scope."""

    def make(user: User) -> Headers:
        _token, secret = api_token_create(
            user=user, name="synthetic test token", scopes=Scope.values
        )
        return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    return make
