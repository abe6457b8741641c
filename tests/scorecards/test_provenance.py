"""Provenance comes from the import that brought a value, never from the indicator's default."""

import io

import pytest
from django.test import Client

from welcoming.accounts.services import operator_user
from welcoming.core.models import Community
from welcoming.indicators.models import Indicator
from welcoming.indicators.selectors import community_profile
from welcoming.indicators.services import value_import
from welcoming.scorecards.reports import scorecard_sources
from welcoming.scorecards.selectors import scoring_profile_current
from welcoming.scorecards.services import scorecard_compute

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cma_data")]
TIDY = "community_code,indicator_code,period,value,status\n"
CMA_DEFAULT = "Statistics Canada, Census Profile, 2021 Census (census metropolitan areas)"


def _tidy(body: str, source: str = "") -> None:
    value_import(
        actor=operator_user(),
        source=io.BytesIO((TIDY + body).encode()),
        file_name="brandon-labour.csv",
        format="tidy",
        source_text=source,
    )


def _employment_sources(code: str) -> set[str]:
    card = scorecard_compute(
        community=Community.objects.get(code=code),
        period="2021",
        profile=scoring_profile_current(),
        detailed=False,
    )
    assert card is not None
    lines = next(
        c for c in card.characteristics if c.characteristic.code == "employment-opportunities"
    )
    return {
        line.credit.source for line in lines.lines if line.indicator.code == "unemployment-rate"
    }


def test_a_tidy_value_for_a_municipality_shows_the_file_not_the_indicators_default() -> None:
    assert str(Indicator.objects.get(code="unemployment-rate").source) == CMA_DEFAULT
    _tidy("4607062,unemployment-rate,2021,7.5,\n")
    brandon = Community.objects.get(code="4607062")
    rows = {
        row.indicator.code: row
        for section in community_profile(community=brandon).categories
        for row in section.rows
    }
    assert rows["unemployment-rate"].credit.source == "Imported file brandon-labour.csv"
    page = Client().get("/en/communities/4607062/")
    assert page.status_code == 200
    assert (
        "brandon-labour.csv" in page.content.decode() and CMA_DEFAULT not in page.content.decode()
    )
    api = Client().get("/api/v1/values?community=4607062&indicator=unemployment-rate").json()
    assert api["items"][0]["source"] == "Imported file brandon-labour.csv"


def test_scorecard_explanations_credit_the_import_that_brought_each_value() -> None:
    assert _employment_sources("535") == {CMA_DEFAULT}
    _tidy("535,unemployment-rate,2021,13.0,\n", source="Toronto labour survey 2021")
    assert _employment_sources("535") == {"Toronto labour survey 2021"}
    card = scorecard_compute(
        community=Community.objects.get(code="535"),
        period="2021",
        profile=scoring_profile_current(),
        detailed=False,
    )
    assert card is not None
    assert "Toronto labour survey 2021" in {credit.source for credit in scorecard_sources(card)}
