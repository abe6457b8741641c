"""Real framework, geography and indicator definitions, loaded once per test that needs them."""

import pytest

from welcoming.accounts.services import operator_user
from welcoming.core.services import community_import_geography
from welcoming.framework.services import framework_load
from welcoming.indicators.services import indicator_definitions_load


@pytest.fixture
def definitions(db: None) -> None:
    framework_load(actor=operator_user())
    indicator_definitions_load(actor=operator_user())


@pytest.fixture
def geography(db: None) -> None:
    community_import_geography(actor=operator_user())
