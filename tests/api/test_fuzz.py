"""schemathesis against the whole API: no answer is a server error, every status code and body
is the one the OpenAPI document gives. `make test` runs a short budget (30 examples per operation,
about a minute and a half); `WELCOMING_FUZZ_EXAMPLES=300 pytest tests/api/test_fuzz.py` a longer
one."""

import os
from collections.abc import Callable, Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from welcoming.accounts.models import User
from welcoming.config.wsgi import application

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(autouse=True)
def connection_kept_open() -> Iterator[None]:
    """schemathesis calls the WSGI application itself, whose request signals would close the
    test's database connection (and its transaction) after each request; Django's test client
    disconnects them in the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def steward_token(data_steward: User, bearer: Callable[[User], dict[str, str]]) -> dict[str, str]:
    return {"Authorization": bearer(data_steward)["HTTP_AUTHORIZATION"]}


# The document is read once, at collection, through the WSGI application (no database needed).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
BUDGET = settings(
    max_examples=int(os.environ.get("WELCOMING_FUZZ_EXAMPLES", "30")),
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@schema.parametrize()
@BUDGET
def test_every_operation_answers_as_documented(case, steward_token) -> None:
    case.call_and_validate(headers=steward_token, checks=CHECKS)
