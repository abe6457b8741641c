"""'My API tokens': a person lists, creates (the secret shown once) and revokes their tokens."""

import re

import pytest

from tests.factories import UserFactory
from welcoming.accounts.models import ApiToken
from welcoming.accounts.services import api_token_authenticate, api_token_create

pytestmark = pytest.mark.django_db
PAGE = "/en/accounts/tokens/"


def test_the_page_is_in_the_user_menu_and_needs_a_sign_in(client) -> None:
    assert client.get(PAGE)["Location"].startswith("/en/accounts/login/")
    client.force_login(UserFactory())
    assert 'href="/fr/accounts/tokens/"' in client.get("/fr/").content.decode()
    assert client.get("/fr/accounts/tokens/").status_code == 200


def test_creating_a_token_shows_its_secret_once(client) -> None:
    person = UserFactory()
    client.force_login(person)
    response = client.post(
        PAGE, {"name": "nightly import", "scopes": ["read", "write:indicators"], "lifetime": "30"}
    )
    page = response.content.decode()
    token = ApiToken.objects.get(user=person)
    secret = re.search(r'<code id="new-token-secret">(\S+)</code>', page)
    assert secret is not None and api_token_authenticate(secret=secret[1]) == token
    assert token.scopes == ["read", "write:indicators"]
    assert token.expires_at is not None
    assert round((token.expires_at - token.created_at).total_seconds() / 86400) == 30
    assert secret[1] not in client.get(PAGE).content.decode()


def test_a_token_without_a_scope_is_not_created_and_the_field_is_named(client) -> None:
    client.force_login(UserFactory())
    response = client.post(PAGE, {"name": "nothing", "lifetime": "30"})
    assert 'id="id_scopes_errors"' in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_person_revokes_their_own_token(client) -> None:
    person = UserFactory()
    token, secret = api_token_create(user=person, name="old")
    client.force_login(person)
    response = client.post(f"/en/accounts/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert api_token_authenticate(secret=secret) is None
    assert "revoked on" in client.get(PAGE).content.decode()


def test_nobody_sees_or_revokes_someone_elses_token(client) -> None:
    token, secret = api_token_create(user=UserFactory(), name="theirs")
    client.force_login(UserFactory())
    assert "theirs" not in client.get(PAGE).content.decode()
    assert client.post(f"/en/accounts/tokens/{token.pk}/revoke/").status_code == 404
    assert api_token_authenticate(secret=secret) == token


def test_revoking_is_a_post(client) -> None:
    person = UserFactory()
    token, _secret = api_token_create(user=person, name="t")
    client.force_login(person)
    assert client.get(f"/en/accounts/tokens/{token.pk}/revoke/").status_code == 405
