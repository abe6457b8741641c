"""Templated mail: one message, written in the recipient's language, through Django's mail."""

from dataclasses import dataclass

import pytest
from django.core import mail
from django.test import override_settings

from welcoming.integrations.mail import (
    recipient_language,
    render_templated_mail,
    send_templated_mail,
    send_to_recipient,
)

CONTEXT = {
    "site_name": "Welcoming",
    "protocol": "https",
    "domain": "welcoming.example.org",
    "uid": "MQ",
    "token": "abc-123",
    "user": type("Person", (), {"get_username": lambda self: "ana"})(),
}


@dataclass
class Person:
    email: str
    preferred_language: str


@pytest.mark.parametrize(
    ("language", "greeting", "path"),
    [("en", "Hello ana,", "/en/accounts/"), ("fr", "Bonjour ana,", "/fr/accounts/")],
)
def test_a_message_is_written_and_linked_in_the_recipients_language(
    language: str, greeting: str, path: str
) -> None:
    subject, body, html = render_templated_mail(
        template="accounts/mail/password_reset", language=language, context=CONTEXT
    )
    assert "\n" not in subject and subject.endswith("Welcoming")
    assert body.startswith(greeting)
    assert f"https://welcoming.example.org{path}password/reset/MQ/abc-123/" in body
    assert html is None


def test_an_unknown_language_falls_back_to_the_default() -> None:
    assert recipient_language("de") == "en"
    assert recipient_language("fr") == "fr"


def test_sending_to_a_person_uses_their_address_and_language() -> None:
    assert send_to_recipient(
        recipient=Person("ana@example.org", "fr"),
        template="accounts/mail/password_reset",
        context=CONTEXT,
    )
    (message,) = mail.outbox
    assert message.to == ["ana@example.org"]
    assert message.body.startswith("Bonjour ana,")


@override_settings(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_PORT=9)
def test_a_mail_server_that_is_down_is_reported_not_raised(caplog) -> None:
    sent = send_templated_mail(
        template="accounts/mail/password_reset",
        to="ana@example.org",
        language="en",
        context=CONTEXT,
    )
    assert sent is False
    assert "could not be sent" in caplog.text and "ana@example.org" not in caplog.text
