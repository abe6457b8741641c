"""GET /api/v1/indicators and /api/v1/values."""

import pytest

pytestmark = pytest.mark.django_db
# Statistics Canada 35-10-0026-01, Toronto CMA.
PUBLISHED_CSI = {"2021": 45.91, "2022": 52.86, "2023": 59.02}


def test_indicator_definition_in_both_languages(client) -> None:
    indicator = client.get("/api/v1/indicators/crime-severity-index").json()
    assert indicator["characteristics"] == ["safety"]
    assert (indicator["direction"], indicator["qolrs_category"]) == ("lower", "personal-safety")
    assert (
        indicator["name_en"]
        and indicator["name_fr"]
        and indicator["name_en"] != (indicator["name_fr"])
    )
    assert indicator["licence"] and indicator["attribution_fr"]


def test_indicators_filter_by_category_and_characteristic(client) -> None:
    safety = client.get("/api/v1/indicators", {"characteristic": "safety"}).json()
    assert "crime-severity-index" in [i["code"] for i in safety]
    assert all("safety" in i["characteristics"] for i in safety)
    housing = client.get("/api/v1/indicators", {"qolrs_category": "housing"}).json()
    assert housing and all(i["qolrs_category"] == "housing" for i in housing)


def test_unknown_indicator_is_a_404(client) -> None:
    response = client.get("/api/v1/indicators/nope")
    assert (response.status_code, response.json()) == (
        404,
        {"detail": "No indicator has the code nope."},
    )


def test_values_filter_by_community_indicator_and_period(client) -> None:
    series = client.get(
        "/api/v1/values", {"community": "535", "indicator": "crime-severity-index"}
    ).json()["items"]
    periods = [v["period"] for v in series]
    assert periods == sorted(periods)
    assert PUBLISHED_CSI.items() <= {v["period"]: v["value"] for v in series}.items()
    one = client.get("/api/v1/values", {"community": "3520005", "period": "2021"}).json()
    assert {v["community"] for v in one["items"]} == {"3520005"}
    assert {v["indicator"] for v in one["items"]} >= {"cwb-overall", "population"}
    assert one["count"] == len(one["items"])


def test_values_are_paginated(client) -> None:
    total = client.get("/api/v1/values").json()["count"]
    page = client.get("/api/v1/values", {"limit": 3, "offset": total - 1}).json()
    assert (page["count"], len(page["items"])) == (total, 1)
    assert page["items"][0]["batch_id"]


def test_unknown_filter_codes_give_an_empty_page(client) -> None:
    assert client.get("/api/v1/values", {"community": "0000000"}).json() == {
        "items": [],
        "count": 0,
    }


def test_values_cost_two_queries(client, django_assert_num_queries) -> None:
    with django_assert_num_queries(2):
        client.get("/api/v1/values", {"indicator": "crime-severity-index"})
