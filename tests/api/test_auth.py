"""Who the API lets in: bearer tokens for programs, the session with CSRF for browsers."""

from datetime import timedelta

import pytest
from django.core import management
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from tests.factories import UserFactory
from welcoming.accounts.models import ApiToken
from welcoming.accounts.services import api_token_create, api_token_revoke
from welcoming.cli import main as welcoming

pytestmark = pytest.mark.django_db
IMPORTS = "/api/v1/imports"


def _csv() -> SimpleUploadedFile:
    body = "community_code,indicator_code,period,value,status\n3520005,unemployment-rate,2021,12,\n"
    return SimpleUploadedFile("values.csv", body.encode(), "text/csv")


def test_only_the_hash_of_the_secret_is_kept(data_steward) -> None:
    token, secret = api_token_create(user=data_steward, name="nightly import")
    assert secret.startswith(f"{token.prefix}.")
    stored = ApiToken.objects.get(pk=token.pk)
    assert secret not in {stored.secret_hash, stored.prefix, stored.name}
    assert len(stored.secret_hash) == 64


def test_a_token_records_when_it_was_last_used(client, data_steward) -> None:
    token, secret = api_token_create(user=data_steward, name="nightly import")
    assert token.last_used_at is None
    client.get(IMPORTS, HTTP_AUTHORIZATION=f"Bearer {secret}")
    token.refresh_from_db()
    assert token.last_used_at is not None


def _refused(client, authorization: str) -> None:
    response = client.get(IMPORTS, HTTP_AUTHORIZATION=authorization)
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Sign in, or send an API token")


def test_a_wrong_secret_with_a_real_prefix_is_refused(client, data_steward) -> None:
    token, _secret = api_token_create(user=data_steward, name="t")
    _refused(client, f"Bearer {token.prefix}.not-the-secret")


@pytest.mark.parametrize("authorization", ["Bearer ", "Bearer nonsense", "Basic dXNlcjpwdw=="])
def test_malformed_credentials_are_refused(client, authorization: str) -> None:
    _refused(client, authorization)


def test_a_revoked_token_is_refused(client, data_steward) -> None:
    token, secret = api_token_create(user=data_steward, name="old")
    api_token_revoke(token=token, actor=data_steward)
    _refused(client, f"Bearer {secret}")


def test_revoking_twice_keeps_the_first_date(data_steward) -> None:
    token, _secret = api_token_create(user=data_steward, name="old")
    api_token_revoke(token=token, actor=data_steward)
    first = token.revoked_at
    api_token_revoke(token=token, actor=data_steward)
    assert ApiToken.objects.get(pk=token.pk).revoked_at == first


def test_the_token_of_a_deactivated_person_is_refused(client, data_steward) -> None:
    _token, secret = api_token_create(user=data_steward, name="t")
    data_steward.is_active = False
    data_steward.save()
    _refused(client, f"Bearer {secret}")


def test_a_token_needs_a_name(data_steward) -> None:
    with pytest.raises(ValidationError):
        api_token_create(user=data_steward, name="")


def test_a_signed_in_browser_must_send_the_csrf_token(data_steward) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(data_steward)
    assert browser.get(IMPORTS).status_code == 200  # reading needs no CSRF token
    assert browser.post(IMPORTS, {"file": _csv(), "format": "tidy"}).status_code == 403
    browser.get("/en/accounts/login/")  # sets the CSRF cookie, as a page would
    csrf = browser.cookies["csrftoken"].value
    response = browser.post(IMPORTS, {"file": _csv(), "format": "tidy"}, HTTP_X_CSRFTOKEN=csrf)
    assert response.status_code == 201


def test_an_anonymous_browser_gets_401_not_a_csrf_error() -> None:
    response = Client(enforce_csrf_checks=True).post(IMPORTS, {"file": _csv(), "format": "tidy"})
    assert response.status_code == 401


def test_create_api_token_command_prints_a_working_token(client, data_steward, capsys) -> None:
    call_command("create_api_token", data_steward.username, "--name", "cli")
    secret = capsys.readouterr().out.strip()
    assert ApiToken.objects.get(name="cli").user == data_steward
    assert client.get(IMPORTS, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200


def test_the_welcoming_cli_maps_create_api_token(monkeypatch) -> None:
    # Running the command in-process would close the test's database connection; record instead.
    calls: list[list[str]] = []
    monkeypatch.setattr(management, "execute_from_command_line", calls.append)
    welcoming(["create-api-token", "someone", "--name", "nightly"])
    assert calls == [["welcoming", "create_api_token", "someone", "--name", "nightly"]]


def test_create_api_token_for_an_unknown_person_fails_clearly() -> None:
    with pytest.raises(CommandError, match="No person has the user name nobody"):
        call_command("create_api_token", "nobody", "--name", "cli")


def test_a_read_only_token_may_not_import_and_is_told_which_scope_it_lacks(
    client, data_steward
) -> None:
    _token, secret = api_token_create(user=data_steward, name="reader", scopes=["read"])
    response = client.post(
        IMPORTS, {"file": _csv(), "format": "tidy"}, HTTP_AUTHORIZATION=f"Bearer {secret}"
    )
    assert response.status_code == 403
    assert response.json() == {
        "detail": "This API token does not allow this operation; it needs the scope "
        "write:indicators.",
        "required_scope": "write:indicators",
    }
    assert client.get(IMPORTS, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200


def test_a_write_scope_is_for_its_own_app_only(client, data_steward) -> None:
    _token, secret = api_token_create(
        user=data_steward, name="profiles", scopes=["read", "write:scorecards"]
    )
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    response = client.post(IMPORTS, {"file": _csv(), "format": "tidy"}, **headers)
    assert response.json()["required_scope"] == "write:indicators"
    _token, secret = api_token_create(user=data_steward, name="imports", scopes=["read"])
    response = client.post(
        "/api/v1/scorecards/profiles/default",
        {"method": "geometric"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 403
    assert response.json()["required_scope"] == "write:scorecards"


def test_an_import_token_imports(client, data_steward) -> None:
    _token, secret = api_token_create(
        user=data_steward, name="nightly", scopes=["read", "write:indicators"]
    )
    response = client.post(
        IMPORTS, {"file": _csv(), "format": "tidy"}, HTTP_AUTHORIZATION=f"Bearer {secret}"
    )
    assert response.status_code == 201


def test_a_token_without_read_may_not_read_what_needs_a_person(client, data_steward) -> None:
    _token, secret = api_token_create(user=data_steward, name="w", scopes=["write:indicators"])
    response = client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 403
    assert response.json()["required_scope"] == "read"


def test_an_expired_token_is_refused(client, data_steward) -> None:
    token, secret = api_token_create(user=data_steward, name="t")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    _refused(client, f"Bearer {secret}")


def test_a_token_expires_after_ninety_days_unless_told(data_steward) -> None:
    token, _secret = api_token_create(user=data_steward, name="t")
    assert token.scopes == ["read"]
    assert token.expires_at is not None
    assert round((token.expires_at - timezone.now()).total_seconds() / 86400) == 90
    forever, _secret = api_token_create(user=data_steward, name="f", lifetime=None)
    assert forever.expires_at is None


@pytest.mark.parametrize("scopes", [[], ["write:everything"], "read"])
def test_unknown_or_missing_scopes_are_refused(data_steward, scopes) -> None:
    with pytest.raises(ValidationError) as refused:
        api_token_create(user=data_steward, name="t", scopes=scopes)
    assert "scopes" in refused.value.message_dict


def test_the_openapi_document_describes_the_scope_refusal(client) -> None:
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"][IMPORTS]["post"]
    assert "403" in operation["responses"]
    assert "required_scope" in document["info"]["description"]


def test_create_api_token_command_sets_scopes_and_expiry(capsys) -> None:
    person = UserFactory()
    call_command(
        "create_api_token",
        person.username,
        "--name",
        "nightly",
        "--scope",
        "read",
        "--scope",
        "write:indicators",
        "--expires-in-days",
        "7",
    )
    token = ApiToken.objects.get(name="nightly")
    assert token.scopes == ["read", "write:indicators"]
    assert token.expires_at is not None
    assert round((token.expires_at - timezone.now()).total_seconds() / 86400) == 7
    call_command("create_api_token", person.username, "--name", "cron", "--expires-in-days", "0")
    assert ApiToken.objects.get(name="cron").expires_at is None


def test_create_api_token_refuses_an_unknown_scope() -> None:
    person = UserFactory()
    with pytest.raises(CommandError):
        call_command("create_api_token", person.username, "--name", "x", "--scope", "write:all")
    assert not ApiToken.objects.exists()
