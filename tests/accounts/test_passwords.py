"""Passwords: Argon2 hashing, changing one, and resetting it by mail in the person's language."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.test import Client, override_settings

from tests.factories import UserFactory
from welcoming.accounts.models import User

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "a brand-new passphrase 2026"


def test_deployments_hash_new_passwords_with_argon2() -> None:
    from welcoming.config.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in base.PASSWORD_HASHERS


def test_an_older_hash_still_signs_in_and_is_upgraded_to_argon2(client) -> None:
    from welcoming.config.settings import base

    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        person = UserFactory()
        person.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
        person.save()
        response = client.post(
            "/en/accounts/login/", {"username": person.username, "password": PASSWORD}
        )
        assert response.status_code == 302
        person.refresh_from_db()
        assert person.password.startswith("argon2$")


def test_a_person_changes_their_password_from_the_user_menu(client) -> None:
    person = UserFactory()
    client.force_login(person)
    assert 'href="/fr/accounts/password/"' in client.get("/fr/").content.decode()
    response = client.post(
        "/fr/accounts/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == "/fr/accounts/password/changed/"
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)


def test_a_wrong_old_password_changes_nothing_and_is_named(client) -> None:
    person = UserFactory()
    client.force_login(person)
    response = client.post(
        "/en/accounts/password/",
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert 'id="id_old_password_errors"' in response.content.decode()
    person.refresh_from_db()
    assert person.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("language", "subject", "sentence"),
    [
        ("en", "Choose a new password for", "open this link within a day"),
        ("fr", "Choisissez un nouveau mot de passe pour", "ouvrez ce lien dans la journée"),
    ],
)
def test_a_forgotten_password_is_reset_through_a_link_mailed_in_the_persons_language(
    language: str, subject: str, sentence: str
) -> None:
    person = UserFactory(preferred_language=language)
    browser = Client()
    # The login page leads to the reset form; the request is made in the other language, the
    # message is written in the person's.
    other = "fr" if language == "en" else "en"
    assert f'href="/{other}/accounts/password/reset/"' in (
        browser.get(f"/{other}/accounts/login/").content.decode()
    )
    response = browser.post(f"/{other}/accounts/password/reset/", {"email": person.email})
    assert response.status_code == 302
    assert response["Location"] == f"/{other}/accounts/password/reset/sent/"

    (message,) = mail.outbox
    assert message.to == [person.email]
    assert message.subject.startswith(subject)
    assert sentence in message.body
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    link = re.search(r"https?://[^/\s]+(/\S+)", message.body)
    assert link is not None and link[1].startswith(f"/{language}/accounts/password/reset/")

    form_page = browser.get(link[1], follow=True)
    assert form_page.status_code == 200
    response = browser.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/{language}/accounts/password/reset/done/"
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    # The link works once.
    again = browser.get(link[1], follow=True).content.decode()
    assert 'class="errorlist"' in again
    assert f'href="/{language}/accounts/password/reset/"' in again


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client) -> None:
    response = client.post("/en/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_a_reset_link_for_someone_else_changes_nothing(client) -> None:
    person = UserFactory()
    page = client.get("/en/accounts/password/reset/MQ/not-a-token/").content.decode()
    assert "does not work any more" in page
    assert User.objects.get(pk=person.pk).check_password(PASSWORD)
