"""Templated mail in the recipient's language, through Django's mail.

A message is two templates (and an optional third): `<name>_subject.txt`, `<name>_body.txt` and
`<name>_body.html`, rendered with the recipient's language active, so that gettext, dates and
the links built with `{% url %}` (under /en/ or /fr/) all speak it. Which backend delivers is a
setting: the console in development, memory in tests, SMTP in production (see README).

Off-mode: with no mail server configured, production sends nothing and says so in the log;
callers never see a traceback from a mail server that is down (`send_templated_mail` returns
False and logs the failure).
"""

import logging
from collections.abc import Mapping
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)


class Recipient(Protocol):
    """Anyone with an address and a language: a person's account is one."""

    email: str
    preferred_language: str


def recipient_language(language: str | None) -> str:
    """The language to write in: the recipient's when the platform speaks it, else the default."""
    available = {code for code, _name in settings.LANGUAGES}
    return language if language in available else settings.LANGUAGE_CODE


def render_templated_mail(
    *, template: str, language: str, context: Mapping[str, Any]
) -> tuple[str, str, str | None]:
    """Subject (one line), plain-text body and HTML body (None without an HTML template)."""
    with translation.override(recipient_language(language)):
        subject = render_to_string(f"{template}_subject.txt", dict(context))
        body = render_to_string(f"{template}_body.txt", dict(context))
        try:
            html: str | None = render_to_string(f"{template}_body.html", dict(context))
        except TemplateDoesNotExist:
            html = None
    # A header cannot hold a line break: the subject template's own newlines are dropped.
    return " ".join(subject.split()), body, html


def send_templated_mail(
    *,
    template: str,
    to: str,
    language: str,
    context: Mapping[str, Any],
    from_email: str | None = None,
) -> bool:
    """Send one message to one address in `language`; True when the backend accepted it."""
    subject, body, html = render_templated_mail(
        template=template, language=language, context=context
    )
    message = EmailMultiAlternatives(subject, body, from_email or settings.DEFAULT_FROM_EMAIL, [to])
    if html is not None:
        message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception:  # a mail server that is down must not take the page with it
        logger.exception("Mail %s could not be sent.", template)  # no address: no personal data
        return False
    return True


def send_to_recipient(*, recipient: Recipient, template: str, context: Mapping[str, Any]) -> bool:
    """Send to a person at their address, in their preferred language."""
    return send_templated_mail(
        template=template,
        to=recipient.email,
        language=recipient.preferred_language,
        context=context,
    )
