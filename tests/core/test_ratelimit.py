"""Rate limits: per address for anonymous clients, per token or user otherwise; 429 with
Retry-After past the limit, in the API's error shape on the API."""

import pytest
from django.core.cache import cache
from django.test import override_settings

from welcoming.core.ratelimit import Rate, rate_parse, ratelimit_settings_check

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_counts() -> None:
    cache.clear()


@override_settings(RATELIMIT_API="3/m")
def test_the_api_answers_429_with_retry_after_past_the_limit(client) -> None:
    for _ in range(3):
        assert client.get("/api/v1/framework/qolrs-categories").status_code == 200
    refused = client.get("/api/v1/framework/qolrs-categories", HTTP_ACCEPT_LANGUAGE="fr")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json() == {"detail": refused.json()["detail"]}
    assert refused.json()["detail"].startswith("Trop de requêtes")


@override_settings(RATELIMIT_API="2/m")
def test_addresses_and_tokens_are_counted_apart(client) -> None:
    path = "/api/v1/framework/qolrs-categories"
    for _ in range(2):
        client.get(path, REMOTE_ADDR="192.0.2.1")
    assert client.get(path, REMOTE_ADDR="192.0.2.1").status_code == 429
    assert client.get(path, REMOTE_ADDR="192.0.2.2").status_code == 200
    token = {"HTTP_AUTHORIZATION": "Bearer synthetic-token", "REMOTE_ADDR": "192.0.2.1"}
    assert client.get(path, **token).status_code != 429


@override_settings(RATELIMIT_API="2/m")
def test_a_signed_in_person_is_counted_as_themself(client, analyst) -> None:
    path = "/api/v1/framework/qolrs-categories"
    for _ in range(2):
        client.get(path)
    assert client.get(path).status_code == 429
    client.force_login(analyst)
    assert client.get(path).status_code == 200


@override_settings(RATELIMIT_FORMS="2/m")
def test_forms_answer_a_429_page_past_the_limit_and_reading_stays_open(client) -> None:
    for _ in range(2):
        assert client.post("/i18n/setlang/", {"language": "fr", "next": "/"}).status_code == 302
    refused = client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert refused.status_code == 429
    assert "Retry-After" in refused
    assert "Trop de requêtes" in refused.content.decode()  # the language just chosen
    assert client.get("/en/").status_code == 200


@override_settings(RATELIMIT_API="", RATELIMIT_FORMS="")
def test_an_empty_rate_turns_the_limit_off(client) -> None:
    for _ in range(5):
        assert client.get("/api/v1/framework/qolrs-categories").status_code == 200


@pytest.mark.parametrize(
    ("text", "rate"),
    [("120/m", Rate(120, 60)), ("5/s", Rate(5, 1)), ("10/30", Rate(10, 30)), ("", None)],
)
def test_rates_are_read_as_count_per_period(text: str, rate: Rate | None) -> None:
    assert rate_parse(text) == rate


@pytest.mark.parametrize("text", ["120", "x/m", "0/m", "10/w", "10/0"])
def test_a_malformed_rate_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="COUNT/PERIOD"):
        rate_parse(text)


@override_settings(RATELIMIT_API="lots", RATELIMIT_FORMS="60/m")
def test_a_malformed_rate_setting_fails_the_system_check() -> None:
    assert [error.msg.split(":")[0] for error in ratelimit_settings_check()] == ["RATELIMIT_API"]
