"""Real CMA data (Census Profile 2021 and the crime severity index) for scorecard tests."""

from pathlib import Path

import pytest
from django.conf import settings

from welcoming.accounts.services import operator_user
from welcoming.core.models import Community
from welcoming.core.services import community_import_geography
from welcoming.framework.services import framework_load
from welcoming.indicators.services import indicator_definitions_load, value_import
from welcoming.scorecards.models import ScoringProfile
from welcoming.scorecards.selectors import scoring_profile_current
from welcoming.scorecards.services import Scorecard, scorecard_compute

DATA = Path(settings.WELCOMING_PACKAGE_DATA)


@pytest.fixture
def cma_data(db: None) -> None:
    framework_load(actor=operator_user())
    community_import_geography(actor=operator_user())
    indicator_definitions_load(actor=operator_user())
    for relative in (
        "statcan/census_2021_income_labour_housing_cma.csv",
        "statcan/35-10-0026-01_crime_severity_index.csv",
    ):
        value_import(
            actor=operator_user(), source=DATA / relative, file_name=relative, format="statcan"
        )


def card_of(code: str, period: str = "2023", profile: ScoringProfile | None = None) -> Scorecard:
    """The scorecard of a community (by code) under a profile, default the current one."""
    card = scorecard_compute(
        community=Community.objects.get(code=code),
        period=period,
        profile=profile or scoring_profile_current(),
    )
    assert card is not None
    return card
