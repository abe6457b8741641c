"""The public sign-up: consent first, an account, the profile; rate-limited per address."""

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from welcoming.accounts.models import ConsentPurpose, Membership, Role, User
from welcoming.connections.models import NewcomerProfile

from .conftest import Agencies

pytestmark = pytest.mark.django_db


def _form(agencies: Agencies, **changes: str) -> dict[str, object]:
    data: dict[str, object] = {
        "consent": "on",
        "email": "synthetic.newcomer@example.org",
        "password": "a long synthetic passphrase 42",
        "organization": agencies.own.pk,
        "programs": [agencies.program.pk],
        "name": "S. N.",
        "preferred_language": "fr",
        "community": agencies.program.communities.get().pk,
        "postal_code": "E1A",
        "arrival_date": "2026-01-15",
        "age_group": "youth",
        "language_1": "swahili",
        "level_1": "4",
        "language_2": "French",
        "level_2": "1",
        "availability": ["15", "18"],
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_newcomer_signs_up_and_sees_their_profile(client, agencies: Agencies, language) -> None:
    with translation.override(language):
        url = reverse("connections:sign-up")
        page = client.get(url).content.decode()
    assert page.index('name="consent"') < page.index('name="email"')  # consent comes first
    response = client.post(url, _form(agencies))
    assert response.status_code == 302, response.content.decode()[:3000]
    profile = NewcomerProfile.objects.get()
    user = User.objects.get(email="synthetic.newcomer@example.org")
    assert profile.user == user and profile.organization == agencies.own
    assert profile.consent.user == user and profile.consent.purpose == ConsentPurpose.MATCHING
    assert profile.consent.recorded_by == user
    assert Membership.objects.filter(user=user, role=Role.NEWCOMER, organization=agencies.own)
    mine = client.get(reverse("connections:my-profile"))
    assert mine.status_code == 200 and "S. N." in mine.content.decode()
    # The newcomer sees their own profile, not the staff's lists.
    assert client.get(reverse("connections:newcomer-list")).status_code == 403


def test_without_consent_nothing_is_kept(client, agencies: Agencies) -> None:
    data = _form(agencies)
    del data["consent"]
    response = client.post(reverse("connections:sign-up"), data)
    assert response.status_code == 200
    assert not User.objects.filter(email="synthetic.newcomer@example.org").exists()
    assert not NewcomerProfile.objects.exists()


def test_a_bad_postal_code_is_shown_on_its_field_and_nothing_is_kept(client, agencies) -> None:
    response = client.post(reverse("connections:sign-up"), _form(agencies, postal_code="E1Q"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "is not a Canadian postal code" in page
    assert 'id="id_postal_code_error"' in page
    assert not User.objects.filter(email="synthetic.newcomer@example.org").exists()


def test_a_weak_password_is_refused(client, agencies: Agencies) -> None:
    response = client.post(reverse("connections:sign-up"), _form(agencies, password="password"))
    assert response.status_code == 200
    assert not User.objects.filter(email="synthetic.newcomer@example.org").exists()


@override_settings(RATELIMIT_SIGNUP="2/h")
def test_sign_ups_are_limited_per_address(client, agencies: Agencies) -> None:
    from django.core.cache import cache

    cache.clear()
    url = reverse("connections:sign-up")
    for n in range(2):
        client.post(url, _form(agencies, email=f"synthetic{n}@example.org"))
        client.logout()
    response = client.post(url, _form(agencies, email="synthetic9@example.org"))
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert not User.objects.filter(email="synthetic9@example.org").exists()
