"""Scorecards through the API: the same numbers as the page and the command."""


def test_scorecard_of_a_cma(client) -> None:
    body = client.get("/api/v1/scorecards/535", {"period": "2023"}).json()
    assert body["community"]["code"] == "535" and body["period"] == "2023"
    assert body["needs_survey_data"] == ["social-capital", "positive-attitudes", "media-coverage"]
    safety = next(c for c in body["characteristics"] if c["code"] == "safety")
    assert safety["indicators"][0]["value"] == 59.02


def test_unknown_community_or_profile_is_not_found(client) -> None:
    assert client.get("/api/v1/scorecards/0000").status_code == 404
    assert client.get("/api/v1/scorecards/535", {"profile": "nope"}).status_code == 404
