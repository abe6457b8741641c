"""Find a community: a newcomer's priorities become the weights; nothing is stored."""

import pytest

from welcoming.scorecards.finder import community_find
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
