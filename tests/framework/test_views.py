"""The framework page in both languages, through the Django test client."""

import pytest
from django.utils.html import escape

from tests.slices import load_real_slice
from welcoming.accounts.services import operator_user
from welcoming.framework.models import Characteristic, QolrsCategory
from welcoming.framework.services import framework_load
from welcoming.indicators.services import indicator_definitions_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework() -> None:
    framework_load(actor=operator_user())


@pytest.mark.usefixtures("framework")
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["Employment opportunities", "Safety", "Needs survey data", "Affordable"]),
        ("fr", ["Sécurité", '<html lang="fr">']),
    ],
)
def test_framework_page_shows_groups_characteristics_and_categories(
    client, language: str, expected: list[str]
) -> None:
    response = client.get(f"/{language}/framework/")
    assert response.status_code == 200
    page = response.content.decode()
    for text in expected:
        assert text in page
    # Four groups, seventeen characteristics, ten QOLRS categories.
    assert page.count('id="group-') == 4
    assert page.count('id="characteristic-') == 17
    assert page.count("survey") >= 3


@pytest.mark.usefixtures("framework")
def test_framework_page_names_the_ten_qolrs_categories(client) -> None:
    page = client.get("/en/framework/").content.decode()
    categories = list(QolrsCategory.objects.all())
    assert len(categories) == 10
    for category in categories:
        assert str(category.name_en) in page


def test_framework_page_lists_the_indicators_measuring_a_characteristic(client) -> None:
    load_real_slice()
    page = client.get("/en/framework/").content.decode()
    assert "Crime severity index" in page


@pytest.mark.usefixtures("framework")
def test_framework_page_runs_in_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(10):
        client.get("/fr/framework/")


def test_framework_page_without_a_framework_explains_how_to_load_it(client) -> None:
    response = client.get("/en/framework/")
    assert response.status_code == 200
    assert "load-framework" in response.content.decode()


def test_framework_page_queries_do_not_grow_with_indicators(client, django_assert_num_queries):
    # Framework, groups, characteristics with their categories and indicators, categories with
    # their indicator counts and characteristics: seven queries, with or without indicators.
    framework_load(actor=operator_user())
    with django_assert_num_queries(7):
        client.get("/en/framework/")
    indicator_definitions_load(actor=operator_user())
    with django_assert_num_queries(7):
        client.get("/en/framework/")


@pytest.mark.usefixtures("framework")
def test_survey_only_characteristics_say_what_to_collect(client) -> None:
    page = client.get("/fr/framework/").content.decode()
    survey_only = Characteristic.objects.filter(survey_only=True)
    assert survey_only.count() >= 3
    assert page.count('<span class="badge survey">') == survey_only.count()
    for characteristic in survey_only:
        assert escape(characteristic.survey_guidance_fr) in page
