"""Communities from the real Statistics Canada geography files."""

import pytest

from welcoming.accounts.services import operator_user
from welcoming.core.models import Community
from welcoming.core.services import community_import_geography

pytestmark = pytest.mark.django_db


@pytest.fixture
def geography() -> None:
    community_import_geography(actor=operator_user())


@pytest.mark.usefixtures("geography")
def test_every_municipality_province_and_cma_is_loaded() -> None:
    assert Community.objects.filter(level="csd").count() == 5161
    assert Community.objects.filter(level="province").count() == 13
    assert Community.objects.filter(level="cma", cma_kind="CMA").count() == 41
    assert Community.objects.filter(level="cma", cma_kind="CA").count() == 111
    canada = Community.objects.get(code="01")
    assert (canada.population, canada.population_previous) == (36_991_981, 35_151_728)


@pytest.mark.usefixtures("geography")
@pytest.mark.parametrize(
    ("code", "population"),
    [
        ("3520005", 2_794_356),
        ("2466023", 1_762_949),
        ("4806016", 1_306_784),
        ("3506008", 1_017_449),
        ("4811061", 1_010_899),
        ("5915022", 662_248),
    ],
)
def test_published_populations(code: str, population: int) -> None:
    assert Community.objects.get(code=code).population == population


@pytest.mark.usefixtures("geography")
def test_municipalities_belong_to_their_province_with_french_names() -> None:
    montreal = Community.objects.get(dguid="2021A00052466023")
    assert montreal.parent.code == "24"
    assert montreal.parent.name_fr == "Québec"
    assert montreal.size_class == Community.SizeClass.LARGE
    assert montreal.search_text == "montreal"


@pytest.mark.usefixtures("geography")
def test_cma_spanning_two_provinces_is_filed_under_the_province_of_most_of_its_people() -> None:
    ottawa_gatineau = Community.objects.get(code="505")
    assert ottawa_gatineau.dguid == "2021S0503505"
    assert ottawa_gatineau.parent.code == "35"


@pytest.mark.usefixtures("geography")
def test_municipalities_get_the_interior_point_of_their_boundary() -> None:
    toronto = Community.objects.get(code="3520005")
    assert toronto.latitude == pytest.approx(43.753, abs=0.001)  # inside its 2021 boundary
    assert toronto.longitude == pytest.approx(-79.385, abs=0.001)


def test_importing_twice_changes_nothing() -> None:
    created, _updated = community_import_geography(actor=operator_user())
    assert created == 5327
    history = Community.history.count()
    assert community_import_geography(actor=operator_user()) == (0, 0)
    assert Community.history.count() == history


@pytest.mark.usefixtures("geography")
def test_census_agglomerations_join_the_metropolitan_level_with_their_municipalities() -> None:
    brandon_ca = Community.objects.get(code="610")
    assert (brandon_ca.cma_kind, brandon_ca.population) == ("CA", 54_268)
    brandon = Community.objects.get(code="4607062")
    assert (brandon.csd_type, brandon.metropolitan_area) == ("CY", brandon_ca)
    assert Community.objects.get(code="535").population == 6_202_225
    assert Community.objects.get(code="535").municipalities.count() == 24
    assert not Community.objects.filter(level="csd", latitude__isnull=True).exists()


@pytest.mark.usefixtures("geography")
def test_two_places_of_one_name_are_told_apart_by_their_type() -> None:
    types = set(
        Community.objects.filter(level="csd", name_en="Moncton").values_list("csd_type", flat=True)
    )
    assert types == {"C", "P"}
