"""Find a community: a newcomer's priorities become the weights; nothing is stored."""

import pytest

from welcoming.accounts.services import operator_user
from welcoming.indicators.services import value_import
from welcoming.scorecards.finder import community_find, finder_characteristics, finder_level
from welcoming.scorecards.models import ScoringProfile
from welcoming.scorecards.selectors import scoring_profile_current

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cma_data")]


def test_safety_first_puts_the_safest_places_on_top() -> None:
    only_safety = {"safety": 3, "employment-opportunities": 0, "affordable-housing": 0}
    matches = community_find(priorities=only_safety, limit=41)
    safety = [{c.code: s for c, s, _w in m.parts}["safety"] for m in matches]
    assert safety == sorted(safety, reverse=True)
    assert [m.rank for m in matches[:3]] == [1, 2, 3]


def test_priorities_change_the_ranking() -> None:
    housing = community_find(
        priorities={"affordable-housing": 3, "safety": 0, "employment-opportunities": 0}
    )
    safety = community_find(
        priorities={"affordable-housing": 0, "safety": 3, "employment-opportunities": 0}
    )
    assert [m.community.code for m in housing] != [m.community.code for m in safety]


def test_province_filter_and_nothing_stored() -> None:
    scoring_profile_current()  # the default profile exists once anything is scored
    profiles = ScoringProfile.objects.count()
    matches = community_find(priorities={}, province="24")
    assert matches and all(m.community.parent.code == "24" for m in matches)
    assert ScoringProfile.objects.count() == profiles == 1


@pytest.mark.parametrize("language", ["en", "fr"])
def test_finder_page(client, language: str) -> None:
    response = client.get(f"/{language}/find-a-community/", {"safety": "3", "province": "35"})
    assert response.status_code == 200
    assert "Ottawa - Gatineau" in response.content.decode()


@pytest.fixture
def municipalities(cma_data: None) -> None:
    from .conftest import DATA

    relative = "isc/community_well_being_2021.csv"  # CWB index of every municipality, 2021
    value_import(
        actor=operator_user(), source=DATA / relative, file_name=relative, format="statcan"
    )


@pytest.mark.usefixtures("municipalities")
def test_a_size_of_place_ranks_municipalities_of_that_size() -> None:
    assert finder_level("small") == "csd" and finder_level(None) == "cma"
    codes = {c.code for c in finder_characteristics(level="csd")}
    assert "affordable-housing" in codes and "safety" not in codes  # no crime data by CSD
    matches = community_find(
        priorities={"affordable-housing": 3}, size_class="small", province="59"
    )
    assert matches
    assert all(m.community.size_class == "small" and m.community.code[:2] == "59" for m in matches)


@pytest.mark.usefixtures("municipalities")
def test_finder_page_for_rural_places(client) -> None:
    response = client.get("/fr/find-a-community/", {"size": "rural", "affordable-housing": "3"})
    page = response.content.decode()
    assert response.status_code == 200 and 'value="rural" selected' in page
    assert "Logement abordable" in page
