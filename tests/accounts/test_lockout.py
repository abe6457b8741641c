"""Sign-in lock-out: after repeated failures, even the right password is refused for a while."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"
LOGIN = "/en/accounts/login/"


def _sign_in(client: Client, username: str, password: str, *, path: str = LOGIN, **extra):
    return client.post(path, {"username": username, "password": password}, **extra)


def test_forty_wrong_passwords_then_the_right_one_is_refused(client) -> None:
    # The probe's fault: 40 wrong passwords in 21 s, then the right one signed in.
    person = UserFactory()
    for attempt in range(40):
        _sign_in(client, person.username, f"guess-{attempt}")
    response = _sign_in(client, person.username, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_starts_at_the_failure_limit(client) -> None:
    person = UserFactory()
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(client, person.username, f"guess-{attempt}").status_code == 200
    assert _sign_in(client, person.username, "last guess").status_code == 429
    assert _sign_in(client, person.username, PASSWORD).status_code == 429


@pytest.mark.parametrize(
    ("language", "heading", "minutes"),
    [("en", "Sign-in paused", "15 minutes"), ("fr", "Connexion suspendue", "15 minutes")],
)
def test_the_lockout_page_explains_itself_in_both_languages(
    client, language: str, heading: str, minutes: str
) -> None:
    person = UserFactory()
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, person.username, f"guess-{attempt}", path=f"/{language}/accounts/login/")
    response = _sign_in(client, person.username, PASSWORD, path=f"/{language}/accounts/login/")
    page = response.content.decode()
    assert response.status_code == 429
    assert f'<html lang="{language}">' in page and heading in page and minutes in page
    assert f'href="/{language}/accounts/password/reset/"' in page


def test_the_admin_sign_in_is_locked_too(client) -> None:
    person = UserFactory(is_staff=True, is_superuser=True)
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, person.username, f"guess-{attempt}", path="/en/admin/login/")
    response = _sign_in(client, person.username, PASSWORD, path="/en/admin/login/")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_holds_one_user_name_from_one_address(client) -> None:
    person, neighbour = UserFactory(), UserFactory()
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, person.username, f"guess-{attempt}")
    # Someone else at the same address, and the same person from another address, sign in.
    assert _sign_in(Client(), neighbour.username, PASSWORD).status_code == 302
    elsewhere = _sign_in(Client(), person.username, PASSWORD, REMOTE_ADDR="192.0.2.7")
    assert elsewhere.status_code == 302


def test_the_right_password_works_again_after_the_cool_off(client) -> None:
    person = UserFactory()
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, person.username, f"guess-{attempt}")
    long_ago = timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    AccessAttempt.objects.update(attempt_time=long_ago)
    assert _sign_in(client, person.username, PASSWORD).status_code == 302


def test_a_success_forgets_the_earlier_failures(client) -> None:
    person = UserFactory()
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, person.username, f"guess-{attempt}")
    assert _sign_in(client, person.username, PASSWORD).status_code == 302
    client.post("/en/accounts/logout/")
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, person.username, f"again-{attempt}")
    assert _sign_in(client, person.username, PASSWORD).status_code == 302


def test_a_password_reset_by_mail_lifts_the_lock(client) -> None:
    person = UserFactory()
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, person.username, f"guess-{attempt}")
    client.post("/en/accounts/password/reset/", {"email": person.email})
    link = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[0].body)
    assert link is not None
    form_page = client.get(link[1], follow=True)
    new = "a brand-new passphrase 2026"
    client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert _sign_in(client, person.username, new).status_code == 302
