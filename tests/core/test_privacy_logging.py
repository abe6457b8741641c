"""No personal data in logs, error reports or URLs."""

import io
import logging
import sys

import pytest
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver
from django.views.debug import ExceptionReporter

from welcoming.core.logging import REMOVED, PersonalDataFilter, scrub


def _record(msg: str, *args: object) -> logging.LogRecord:
    return logging.LogRecord("welcoming", logging.ERROR, __file__, 1, msg, args, None)


def _filtered(record: logging.LogRecord) -> str:
    PersonalDataFilter().filter(record)
    return logging.Formatter().format(record)


def test_email_addresses_are_removed_from_messages_and_their_arguments() -> None:
    text = _filtered(_record("invite sent to %s and to Jo.Doe+x@exemple.qc.ca", "ana@example.org"))
    assert "@" not in text and text.count(REMOVED) == 2


@pytest.mark.parametrize(
    "message",
    [
        "login failed for username=ana.silva",
        "profile {'email': 'ana', 'last_name': 'Silva'}",
        'payload {"first_name": "Ana", "phone": "613-555-0100"}',
        "Authorization: Bearer abcd.efgh",
    ],
)
def test_values_of_personal_fields_are_removed(message: str) -> None:
    text = scrub(message)
    for secret in ("ana", "Silva", "Ana", "613-555-0100", "abcd.efgh"):
        assert secret not in text
    assert REMOVED in text


def test_a_traceback_that_mentions_a_person_is_scrubbed() -> None:
    try:
        raise ValueError("no account for ana@example.org")
    except ValueError:
        record = logging.LogRecord(
            "welcoming", logging.ERROR, __file__, 1, "failed", None, sys.exc_info()
        )
    text = _filtered(record)
    assert "ana@example.org" not in text and "ValueError" in text


def test_what_reaches_standard_error_is_scrubbed() -> None:
    root = logging.getLogger()
    handler = next(
        h for h in root.handlers if any(isinstance(f, PersonalDataFilter) for f in h.filters)
    )
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        logging.getLogger("django.request").error("Bad request from %s", "ana@example.org")
    finally:
        handler.setStream(previous)
    assert "Bad request from" in stream.getvalue() and "ana@example.org" not in stream.getvalue()


def test_error_reports_leave_out_personal_post_fields() -> None:
    request = RequestFactory().post(
        "/en/", {"email": "ana@example.org", "note": "write to ana@example.org", "page": "2"}
    )
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        report = ExceptionReporter(request, *sys.exc_info()).get_traceback_text()
    assert "ana@example.org" not in report and "boom" in report


def _routes(resolvers: list[URLPattern | URLResolver], prefix: str = "") -> list[str]:
    found = []
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            found += _routes(entry.url_patterns, prefix + str(entry.pattern))
        else:
            found.append(prefix + str(entry.pattern))
    return found


def test_no_url_carries_personal_data() -> None:
    """People are named in URLs by number, never by e-mail, name or username."""
    personal = ("email", "username", "phone", "first_name", "last_name")
    routes = _routes(get_resolver().url_patterns)
    assert routes
    assert [r for r in routes if any(f"<{p}>" in r or f":{p}>" in r for p in personal)] == []
