"""Real framework, geography and indicator definitions, loaded once per test that needs them."""

import pytest

from welcoming.core.services import community_import_geography
from welcoming.framework.services import framework_load
from welcoming.indicators.services import indicator_definitions_load


@pytest.fixture
def definitions(db: None) -> None:
    framework_load()
    indicator_definitions_load()


@pytest.fixture
def geography(db: None) -> None:
    community_import_geography()
