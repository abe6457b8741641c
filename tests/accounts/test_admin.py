"""API tokens in the admin: made by the service, the secret shown once, revoked by an action."""

import re

import pytest
from django.contrib.messages import get_messages

from welcoming.accounts.models import ApiToken
from welcoming.accounts.services import api_token_authenticate, api_token_create

pytestmark = pytest.mark.django_db
TOKENS = "/en/admin/accounts/apitoken/"


def test_adding_a_token_shows_its_secret_once_and_keeps_only_the_hash(
    admin_client, data_steward
) -> None:
    response = admin_client.post(
        f"{TOKENS}add/",
        {"user": data_steward.pk, "name": "nightly import", "scopes": ["read", "write:indicators"]},
        follow=True,
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(name="nightly import")
    (shown,) = [
        found[1]
        for m in get_messages(response.wsgi_request)
        if (found := re.match(r"The token is (\S+) — copy it now", str(m)))
    ]
    assert shown.startswith(f"{token.prefix}.") and shown != token.secret_hash
    assert api_token_authenticate(secret=shown) == token
    assert token.user == data_steward and token.scopes == ["read", "write:indicators"]
    assert token.expires_at is not None
    assert shown not in admin_client.get(f"{TOKENS}{token.pk}/change/").content.decode()


def test_revoke_action_refuses_the_tokens_from_then_on(admin_client, data_steward) -> None:
    token, secret = api_token_create(user=data_steward, name="old")
    response = admin_client.post(TOKENS, {"action": "revoke", "_selected_action": [token.pk]})
    assert response.status_code == 302
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert api_token_authenticate(secret=secret) is None


def test_a_token_cannot_be_moved_to_another_person(admin_client, data_steward) -> None:
    token, _secret = api_token_create(user=data_steward, name="t")
    page = admin_client.get(f"{TOKENS}{token.pk}/change/").content.decode()
    assert 'name="user"' not in page and 'name="name"' in page


def test_user_admin_shows_memberships_and_history(admin_client, data_steward) -> None:
    base = f"/en/admin/accounts/user/{data_steward.pk}/"
    assert "membership" in admin_client.get(f"{base}change/").content.decode().lower()
    assert admin_client.get(f"{base}history/").status_code == 200
