"""Scorecards through the API: the same numbers as the page and the command."""

from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings

from welcoming.accounts.models import User
from welcoming.accounts.services import operator_user
from welcoming.core.models import Community
from welcoming.core.services import community_import_geography
from welcoming.indicators.services import value_import
from welcoming.scorecards.models import ScoringProfile
from welcoming.scorecards.selectors import scorecard_periods
from welcoming.scorecards.services import scoring_profile_save

Headers = dict[str, str]
CHARACTERISTICS = (
    "employment-opportunities",
    "affordable-housing",
    "educational-opportunities",
    "health-care",
    "safety",
)
PROFILE_FIELDS = {"name", "version", "created_at", *ScoringProfile.CHOICE_FIELDS}


@pytest.fixture
def cma_data(real_slice: None) -> None:
    """Every CMA with the real census 2021 figures and crime severity index, on top of the slice."""
    community_import_geography(actor=operator_user())
    for relative in (
        "statcan/census_2021_income_labour_housing_cma.csv",
        "statcan/35-10-0026-01_crime_severity_index.csv",
    ):
        source = Path(settings.WELCOMING_PACKAGE_DATA) / relative
        value_import(actor=operator_user(), source=source, file_name=relative, format="statcan")


def _post(client, name: str, body: object, headers: Headers | None = None):
    return client.post(
        f"/api/v1/scorecards/profiles/{name}",
        body,
        content_type="application/json",
        **(headers or {}),
    )


def _versions(name: str = "default") -> list[int]:
    return list(ScoringProfile.objects.filter(name=name).values_list("version", flat=True))


def test_scorecard_of_a_cma(client) -> None:
    body = client.get("/api/v1/scorecards/535", {"period": "2023"}).json()
    assert body["community"]["code"] == "535" and body["period"] == "2023"
    assert body["needs_survey_data"] == ["social-capital", "positive-attitudes", "media-coverage"]
    safety = next(c for c in body["characteristics"] if c["code"] == "safety")
    assert safety["indicators"][0]["value"] == 59.02


def test_unknown_community_or_profile_is_not_found(client) -> None:
    assert client.get("/api/v1/scorecards/0000").status_code == 404
    assert client.get("/api/v1/scorecards/535", {"profile": "nope"}).status_code == 404


# Scoring profiles


def test_profiles_are_listed_at_their_latest_version(client) -> None:
    scoring_profile_save(actor=operator_user(), name="default")
    scoring_profile_save(actor=operator_user(), name="default", weights={"safety": 2.0})
    scoring_profile_save(actor=operator_user(), name="geometric", aggregation="geom")
    body = client.get("/api/v1/scorecards/profiles").json()
    assert [(p["name"], p["version"]) for p in body] == [("default", 2), ("geometric", 1)]
    assert set(body[0]) == PROFILE_FIELDS
    assert (body[0]["weights"], body[0]["normalisation"]) == ({"safety": 2.0}, "minmax")
    assert body[1]["aggregation"] == "geom"


def test_the_default_profile_is_listed_before_anyone_uses_it(client) -> None:
    body = client.get("/api/v1/scorecards/profiles").json()
    assert [(p["name"], p["version"], p["weights"]) for p in body] == [("default", 1, {})]


def test_a_profile_at_its_latest_or_an_earlier_version(client) -> None:
    scoring_profile_save(actor=operator_user(), name="default")
    scoring_profile_save(actor=operator_user(), name="default", min_coverage=0.75)
    latest = client.get("/api/v1/scorecards/profiles/default").json()
    assert (latest["version"], latest["min_coverage"]) == (2, 0.75)
    earlier = client.get("/api/v1/scorecards/profiles/default", {"version": 1}).json()
    assert (earlier["version"], earlier["min_coverage"]) == (1, 0.5)


def test_an_unknown_profile_or_version_is_not_found(client) -> None:
    missing = client.get("/api/v1/scorecards/profiles/nope")
    assert (missing.status_code, missing.json()) == (
        404,
        {"detail": "No scoring profile is named nope."},
    )
    too_far = client.get("/api/v1/scorecards/profiles/default", {"version": 9})
    assert (too_far.status_code, too_far.json()) == (
        404,
        {"detail": "The scoring profile default has no version 9."},
    )


@pytest.mark.usefixtures("cma_data")
def test_steward_saves_new_weights_and_the_scorecard_follows(
    client, data_steward: User, bearer: Callable[[User], Headers]
) -> None:
    before = client.get("/api/v1/scorecards/535", {"period": "2023"}).json()
    assert before["profile"] == {"name": "default", "version": 1}
    response = _post(
        client, "default", {"weights": {"crime-severity-index": 5}}, bearer(data_steward)
    )
    assert response.status_code == 201
    saved = response.json()
    assert set(saved) == PROFILE_FIELDS
    assert (saved["version"], saved["weights"], saved["normalisation"]) == (
        2,
        {"crime-severity-index": 5.0},
        "minmax",
    )
    assert ScoringProfile.objects.get(name="default", version=2).created_by == data_steward
    assert ScoringProfile.objects.get(name="default", version=1).weights == {}
    after = client.get("/api/v1/scorecards/535", {"period": "2023"}).json()
    assert after["profile"] == {"name": "default", "version": 2}
    safety = [
        next(c["score"] for c in card["characteristics"] if c["code"] == "safety")
        for card in (before, after)
    ]
    assert safety[1] != pytest.approx(safety[0])


def test_only_the_given_choices_change(
    client, data_steward: User, bearer: Callable[[User], Headers]
) -> None:
    scoring_profile_save(actor=operator_user(), name="default", weights={"safety": 3.0})
    response = _post(client, "default", {"aggregation": "geom"}, bearer(data_steward))
    saved = response.json()
    assert (saved["version"], saved["aggregation"], saved["weights"]) == (
        2,
        "geom",
        {"safety": 3.0},
    )


def test_a_change_based_on_an_older_version_answers_409_and_saves_nothing(
    client, data_steward: User, bearer: Callable[[User], Headers]
) -> None:
    scoring_profile_save(actor=operator_user(), name="default", weights={"safety": 3.0})
    scoring_profile_save(actor=operator_user(), name="default", weights={"safety": 4.0})
    stale = _post(client, "default", {"aggregation": "geom", "based_on": 1}, bearer(data_steward))
    assert stale.status_code == 409
    assert "changed by someone else since you opened it" in stale.json()["detail"]
    assert sorted(_versions()) == [1, 2]
    fresh = _post(client, "default", {"aggregation": "geom", "based_on": 2}, bearer(data_steward))
    assert (fresh.status_code, fresh.json()["version"]) == (201, 3)


def test_an_analyst_may_not_change_a_profile(
    client, analyst: User, bearer: Callable[[User], Headers]
) -> None:
    response = _post(client, "default", {"weights": {"safety": 5}}, bearer(analyst))
    assert (response.status_code, response.json()) == (
        403,
        {"detail": "You may not change scoring profiles."},
    )
    assert _versions() == []


def test_changing_a_profile_needs_credentials(client) -> None:
    response = _post(client, "default", {"weights": {"safety": 5}})
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="welcoming"'
    assert _versions() == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"normalisation": "nope"}, "normalisation"),
        ({"aggregation": "median"}, "aggregation"),
        ({"weights": {"safety": -1}}, "weights"),
        ({"weights": {"safety": 101}}, "weights"),
        ({"weights": {"safety": "heavy"}}, "weights"),
        ({"weights": ["safety"]}, "weights"),
        ({"min_coverage": 2}, "min_coverage"),
        ({"min_coverage": -0.1}, "min_coverage"),
    ],
)
def test_bad_choices_are_refused_naming_the_field(
    client, data_steward: User, bearer: Callable[[User], Headers], body: dict, field: str
) -> None:
    scoring_profile_save(actor=operator_user(), name="default")
    response = _post(client, "default", body, bearer(data_steward))
    assert response.status_code == 422
    assert field in {part for error in response.json()["detail"] for part in error["loc"]}
    assert _versions() == [1]


def test_a_choice_the_model_refuses_is_reported_by_field(
    client, data_steward: User, bearer: Callable[[User], Headers]
) -> None:
    response = _post(client, "Not.A.Slug", {"winsorise": True}, bearer(data_steward))
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "The scoring profile was not saved."
    assert list(body["errors"]) == ["name"] and body["errors"]["name"]
    assert not ScoringProfile.objects.filter(name="Not.A.Slug").exists()


def test_unknown_peer_codes_are_named(
    client, data_steward: User, bearer: Callable[[User], Headers]
) -> None:
    body = {"peer_group": "list", "peer_list": ["535", "99999"]}
    response = _post(client, "default", body, bearer(data_steward))
    assert response.status_code == 422
    assert "99999" in " ".join(response.json()["errors"]["peer_list"])
    assert not ScoringProfile.objects.filter(peer_group="list").exists()


# Comparison


def _compare(client, **params: str):
    return client.get("/api/v1/scorecards/compare", {"level": "cma", "period": "2021", **params})


def _descending(values: list[float | None]) -> bool:
    numbers = [v for v in values if v is not None]
    return numbers == sorted(numbers, reverse=True) and values[: len(numbers)] == numbers


@pytest.mark.usefixtures("cma_data")
def test_compare_every_cma_best_first(client) -> None:
    # 3 of 17 characteristics have CMA data: an overall score needs a profile that asks for less.
    scoring_profile_save(actor=operator_user(), name="default", min_framework_coverage=0.0)
    response = _compare(client)
    assert response.status_code == 200
    body = response.json()
    assert (body["period"], body["profile"]) == ("2021", {"name": "default", "version": 1})
    assert body["columns"][0] == {"code": "overall", "name": "Overall"}
    assert "safety" in {c["code"] for c in body["columns"]}
    assert len(body["rows"]) == 41
    overall = [row["scores"]["overall"] for row in body["rows"]]
    assert _descending(overall)
    ranks = [row["rank"] for row in body["rows"] if row["rank"] is not None]
    assert ranks == sorted(ranks) and ranks[0] == 1
    toronto = next(row for row in body["rows"] if row["code"] == "535")
    assert toronto["name"] == "Toronto"
    assert set(toronto["scores"]) == {c["code"] for c in body["columns"]}


@pytest.mark.usefixtures("cma_data")
def test_compare_chosen_communities_sorted_by_a_characteristic(client) -> None:
    body = _compare(client, codes="535, 462,933", sort="safety").json()
    assert {row["code"] for row in body["rows"]} == {"535", "462", "933"}
    assert _descending([row["scores"]["safety"] for row in body["rows"]])
    # Toronto's crime severity is lower than Vancouver's: safer, so listed first of the two.
    codes = [row["code"] for row in body["rows"]]
    assert codes.index("535") < codes.index("933")


@pytest.mark.usefixtures("cma_data")
def test_compare_a_provinces_communities(client) -> None:
    body = _compare(client, province="35").json()
    ontario = set(
        Community.objects.filter(level="cma", cma_kind="CMA", parent__code="35").values_list(
            "code", flat=True
        )
    )
    assert {row["code"] for row in body["rows"]} == ontario and "535" in ontario


@pytest.mark.usefixtures("cma_data")
def test_compare_defaults_to_the_latest_period(client) -> None:
    body = client.get("/api/v1/scorecards/compare", {"codes": "535"}).json()
    assert body["period"] == scorecard_periods(level="cma")[0]
    assert [row["code"] for row in body["rows"]] == ["535"]


def test_compare_unknown_profile_or_level_without_data_is_not_found(client) -> None:
    assert _compare(client, profile="nope").status_code == 404
    empty = client.get("/api/v1/scorecards/compare", {"level": "country"})
    assert (empty.status_code, empty.json()) == (
        404,
        {"detail": "No community of this level has scores."},
    )
    too_early = _compare(client, period="1990")  # a period without scores: the resolver's 422
    assert too_early.status_code == 422
    assert too_early.json()["errors"]["period"][0].startswith(
        "There are no scores for the period 1990."
    )


def test_compare_unknown_level_or_column_is_refused(client) -> None:
    level = client.get("/api/v1/scorecards/compare", {"level": "planet"})
    assert level.status_code == 422
    assert level.json()["detail"][0]["loc"] == ["query", "level"]
    sort = _compare(client, sort="nope")
    assert sort.status_code == 422
    assert sort.json()["detail"].startswith("There is no column nope to sort by")


@pytest.mark.usefixtures("cma_data")
def test_compare_a_population_size_class(client) -> None:
    assert len(_compare(client, size_class="large").json()["rows"]) == 41
    assert _compare(client, size_class="small").json()["rows"] == []
    assert _compare(client, size_class="huge").status_code == 422


def test_a_weight_for_an_unknown_code_is_refused_by_name(
    client, data_steward: User, bearer: Callable[[User], Headers]
) -> None:
    scoring_profile_save(actor=operator_user(), name="default")
    body = {"weights": {"safety": 2, "saftey": 3, "crime-severity-index": 2}}
    response = _post(client, "default", body, bearer(data_steward))
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "weights": ["Unknown codes: saftey. Weigh an indicator, a characteristic or a group."]
    }
    assert _versions() == [1]


def test_choices_that_change_nothing_save_no_version(
    client, data_steward: User, bearer: Callable[[User], Headers]
) -> None:
    scoring_profile_save(actor=operator_user(), name="default", weights={"safety": 2.0})
    for body in ({}, {"weights": {"safety": 2}, "aggregation": "arith"}):
        response = _post(client, "default", body, bearer(data_steward))
        assert (response.status_code, response.json()["version"]) == (200, 1)
    assert _versions() == [1]


# Weights and periods every face refuses alike


@pytest.mark.parametrize(
    ("weights", "named"),
    [
        ({"safety": 0}, "Safety"),  # the only characteristic of its group at this level
        ({"A": 0, "B": 0, "C": 0, "D": 0}, "the overall score"),
        (dict.fromkeys(CHARACTERISTICS, 0), "weighs 0"),  # every characteristic of the level
    ],
)
def test_weights_that_leave_an_aggregate_with_nothing_to_weigh_are_refused(
    client, data_steward: User, bearer: Callable[[User], Headers], weights: dict, named: str
) -> None:
    before = _versions()
    response = _post(client, "default", {"weights": weights}, bearer(data_steward))
    assert response.status_code == 422, response.content
    (message, *_rest) = response.json()["errors"]["weights"]
    assert "weighs 0" in message and named in message
    assert _versions() == before
    assert client.get("/api/v1/scorecards/535").status_code == 200


@pytest.mark.parametrize("period", ["abcd", "2030", "2021-01", "1066"])
def test_a_period_without_scores_is_refused_naming_the_field(client, period: str) -> None:
    response = client.get("/api/v1/scorecards/535", {"period": period})
    assert response.status_code == 422
    body = response.json()
    assert period in body["detail"] and body["errors"]["period"] == [body["detail"]]
    compared = client.get("/api/v1/scorecards/compare", {"period": period})
    assert compared.status_code == 422 and compared.json()["errors"]["period"]


def test_an_unknown_profile_is_not_found_with_its_field_named(client) -> None:
    response = client.get("/api/v1/scorecards/compare", {"profile": "nope"})
    assert response.status_code == 404
    assert response.json()["errors"] == {"profile": ["No scoring profile is named nope."]}
