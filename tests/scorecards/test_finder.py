"""Find a community: a newcomer's priorities become the weights; nothing is stored."""

import pytest

from welcoming.accounts.services import operator_user
from welcoming.indicators.services import value_import
from welcoming.scorecards.finder import (
    community_find,
    finder_characteristics,
    finder_level,
    is_unorganized,
)
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


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_finder_is_linked_from_the_home_page_and_the_menu(client, language: str) -> None:
    home = client.get(f"/{language}/").content.decode()
    link = f'href="/{language}/find-a-community/"'
    assert home.count(link) >= 2  # the menu and a card of the home page
    finder = client.get(f"/{language}/find-a-community/").content.decode()
    assert f'{link} aria-current="page"' in finder


@pytest.mark.usefixtures("municipalities")
@pytest.mark.parametrize(("language", "safety"), [("en", "Safety"), ("fr", "Sécurité")])
def test_a_choice_the_data_cannot_honour_is_named(client, language: str, safety: str) -> None:
    params = {"size": "small", "province": "24", "safety": "3", "affordable-housing": "2"}
    page = client.get(f"/{language}/find-a-community/", params).content.decode()
    notice = page.split('role="status"')[1].split("</div>")[0]
    assert safety in notice
    assert "Logement" not in notice and "housing" not in notice  # that one is honoured


def test_every_characteristic_with_data_is_offered_and_changes_the_ranking() -> None:
    offered = [c.code for c in finder_characteristics(level="cma")]
    assert {"safety", "affordable-housing", "employment-opportunities"} <= set(offered)
    for code in offered:
        first = community_find(priorities={c: int(c == code) * 3 for c in offered}, limit=41)
        values = [{c.code: s for c, s, _w in m.parts}[code] for m in first]
        present = [v for v in values if v is not None]
        assert present == sorted(present, reverse=True), code  # only that one counts


@pytest.mark.usefixtures("municipalities")
def test_unorganized_areas_are_left_out_unless_asked() -> None:
    everywhere = community_find(priorities={}, size_class="rural", limit=10_000)
    assert everywhere and not any(is_unorganized(m.community) for m in everywhere)
    with_them = community_find(
        priorities={}, size_class="rural", include_unorganized=True, limit=10_000
    )
    assert any("Subd." in m.community.name for m in with_them)
    assert len(with_them) > len(everywhere)


@pytest.mark.usefixtures("municipalities")
@pytest.mark.parametrize(
    ("language", "province", "ranks", "match"),
    [
        ("en", "British Columbia", "municipalities of the size you chose", "is the average"),
        ("fr", "Colombie-Britannique", "du Canada de la taille choisie", "est la moyenne"),
    ],
)
def test_results_say_what_is_ranked_and_where_each_place_is(
    client, language: str, province: str, ranks: str, match: str
) -> None:
    params = {"size": "medium", "province": "59", "affordable-housing": "3"}
    response = client.get(f"/{language}/find-a-community/", params)
    page = response.content.decode()
    assert ranks in page and match in page
    first = response.context["matches"][0]
    row = page.split(f'scorecard/">{first.community.name}</a>')[1].split("</tr>")[0]
    assert province in row
    assert first.community.population and f"{first.community.population % 1000:03d}" in row
    assert 'id="results" tabindex="-1"' in page and "finder.js" in page
    cma = client.get(f"/{language}/find-a-community/", {"safety": "3"}).content.decode()
    assert ("metropolitan areas" if language == "en" else "régions métropolitaines") in cma
