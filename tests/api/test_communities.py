"""GET /api/v1/communities: search, filters, pagination, detail."""

import pytest

pytestmark = pytest.mark.django_db


def _codes(client, **params: object) -> list[str]:
    response = client.get("/api/v1/communities", params)
    assert response.status_code == 200, response.content
    return [c["code"] for c in response.json()["items"]]


def test_search_ignores_accents_and_case_and_returns_both_languages(client) -> None:
    body = client.get("/api/v1/communities", {"q": "MONTREAL"}).json()
    assert body["count"] == 1
    montreal = body["items"][0]
    assert (montreal["name_en"], montreal["name_fr"], montreal["parent_code"]) == (
        "Montréal",
        "Montréal",
        "24",
    )
    assert _codes(client, q="québec") == ["24"]


def test_filters_by_province_level_and_size_class(client) -> None:
    assert sorted(_codes(client, province="35")) == ["35", "3520005", "535"]
    assert _codes(client, level="csd") == ["3520005", "2466023"]
    assert _codes(client, level="cma", size_class="large") == ["535"]
    assert _codes(client, q="toronto", level="csd") == ["3520005"]


def test_pagination_counts_everything_and_returns_one_page(client) -> None:
    body = client.get("/api/v1/communities", {"level": "csd", "limit": 1, "offset": 1}).json()
    assert body["count"] == 2
    assert [c["code"] for c in body["items"]] == ["2466023"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"level": "galaxy"}, "level"),
        ({"size_class": "huge"}, "size_class"),
        ({"province": "Ontario"}, "province"),
        ({"limit": 0}, "limit"),
        ({"limit": 5000}, "limit"),
        ({"offset": -1}, "offset"),
        ({"q": "x" * 101}, "q"),
    ],
)
def test_bad_parameters_are_a_422_that_names_the_field(client, params, field) -> None:
    response = client.get("/api/v1/communities", params)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", field]


def test_list_costs_two_queries_whatever_the_page(client, django_assert_num_queries) -> None:
    with django_assert_num_queries(2):
        assert len(client.get("/api/v1/communities").json()["items"]) == 6


def test_detail_by_sgc_code(client) -> None:
    toronto = client.get("/api/v1/communities/3520005").json()
    assert toronto["population"] == 2_794_356
    assert (toronto["dguid"], toronto["level"], toronto["size_class"]) == (
        "2021A00053520005",
        "csd",
        "large",
    )


def test_unknown_community_is_a_404_that_names_the_code(client) -> None:
    response = client.get("/api/v1/communities/0000000")
    assert response.status_code == 404
    assert response.json() == {"detail": "No community has the code 0000000."}


@pytest.mark.parametrize("path", ["/api/v1/communities", "/api/v1/values"])
@pytest.mark.parametrize("offset", ["9223372036854775808", "1000000001", "99999999999"])
def test_an_offset_beyond_any_list_is_a_422_not_a_500(client, path: str, offset: str) -> None:
    response = client.get(path, {"offset": offset})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "offset"]
