"""GET /api/v1/framework/...: frameworks, groups, characteristics and QOLRS categories."""

import pytest

pytestmark = pytest.mark.django_db


def test_framework_lists_four_groups_and_seventeen_characteristics(client) -> None:
    (framework,) = client.get("/api/v1/framework/frameworks").json()
    assert framework["code"] == "esses-2010"
    assert [g["code"] for g in framework["groups"]] == ["A", "B", "C", "D"]
    assert sum(len(g["characteristics"]) for g in framework["groups"]) == 17
    assert [c["rank"] for c in framework["characteristics"]] == list(range(1, 18))


def test_characteristic_carries_both_languages_and_its_qolrs_categories(client) -> None:
    characteristics = client.get("/api/v1/framework/characteristics").json()
    safety = next(c for c in characteristics if c["code"] == "safety")
    assert safety["qolrs_categories"] == ["personal-safety"]
    assert (safety["name_en"], safety["name_fr"]) == ("Safety", "Sécurité")
    assert safety["framework"] == "esses-2010"


def test_characteristics_filter_by_framework_and_group(client) -> None:
    group_a = client.get("/api/v1/framework/characteristics", {"group": "A"}).json()
    (framework,) = client.get("/api/v1/framework/frameworks").json()
    expected = next(g["characteristics"] for g in framework["groups"] if g["code"] == "A")
    assert [c["code"] for c in group_a] == expected
    assert client.get("/api/v1/framework/characteristics", {"framework": "other"}).json() == []


def test_framework_detail_and_404(client) -> None:
    assert client.get("/api/v1/framework/frameworks/esses-2010").json()["version"]
    response = client.get("/api/v1/framework/frameworks/nope")
    assert response.status_code == 404
    assert response.json() == {"detail": "No framework has the code nope."}


def test_qolrs_categories_in_order(client) -> None:
    categories = client.get("/api/v1/framework/qolrs-categories").json()
    assert len(categories) == 10
    assert categories[0]["code"] == "demographics"
    assert all(c["name_en"] and c["name_fr"] for c in categories)


def test_framework_list_costs_a_fixed_number_of_queries(client, django_assert_num_queries) -> None:
    with django_assert_num_queries(6):
        client.get("/api/v1/framework/frameworks")
    with django_assert_num_queries(2):
        client.get("/api/v1/framework/characteristics")
