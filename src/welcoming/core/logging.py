"""No personal data in logs or error reports.

`PersonalDataFilter` rewrites every log record before a handler sees it: e-mail addresses, and
the values of known personal fields written `field=value`, `field: value` or as a mapping key,
become "[removed]". `PersonalDataReporterFilter` does the same for the error reports Django
builds (the request's POST data and settings), on top of Django's own cleansing of secrets.
"""

import logging
import re
from typing import Any

from django.views.debug import SafeExceptionReporterFilter

REMOVED = "[removed]"
# Fields that hold personal data in Welcoming's models (docs/privacy.md) and in requests.
PERSONAL_FIELDS = (
    "email",
    "e-mail",
    "first_name",
    "last_name",
    "name",
    "username",
    "password",
    "phone",
    "telephone",
    "address",
    "postal_code",
    "date_of_birth",
    "birth_date",
    "token",
    "secret",
    "authorization",
    "cookie",
    "sessionid",
)
EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")
_NAMES = "|".join(re.escape(f) for f in sorted(PERSONAL_FIELDS, key=len, reverse=True))
FIELD_VALUE = re.compile(
    rf"""(?P<key>\b(?:{_NAMES})\b["']?\s*[=:]\s*)(?P<value>"[^"]*"|'[^']*'|(?:(?:Bearer|Basic|Token)\s+)?[^\s,;&}}]+)""",
    re.IGNORECASE,
)
_PERSONAL_KEY = re.compile(rf"^(?:{_NAMES})$", re.IGNORECASE)


def scrub(text: str) -> str:
    """`text` with e-mail addresses and the values of personal fields removed."""
    text = FIELD_VALUE.sub(lambda m: m.group("key") + REMOVED, text)
    return EMAIL.sub(REMOVED, text)


def _scrub_value(value: Any) -> Any:
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {
            k: REMOVED if isinstance(k, str) and _PERSONAL_KEY.match(k) else _scrub_value(v)
            for k, v in value.items()
        }
    if isinstance(value, tuple | list):
        return type(value)(_scrub_value(v) for v in value)
    if isinstance(value, int | float | bool) or value is None:
        return value
    return scrub(str(value))


class PersonalDataFilter(logging.Filter):
    """Scrubs the message, its arguments and a formatted traceback; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        record.msg = scrub(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:  # a formatter prints exc_text rather than format exc_info again
            record.exc_text = scrub(record.exc_text)
        return True


class PersonalDataReporterFilter(SafeExceptionReporterFilter):
    """Error reports (500 e-mails, the debug page) without personal fields or e-mails."""

    hidden_settings = re.compile(
        rf"API|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|{_NAMES}", flags=re.IGNORECASE
    )

    def get_post_parameters(self, request: Any) -> Any:
        parameters = super().get_post_parameters(request)
        if not parameters:
            return parameters
        cleansed = parameters.copy()
        for key in cleansed:
            if _PERSONAL_KEY.match(key) or EMAIL.search(str(cleansed.get(key, ""))):
                cleansed[key] = self.cleansed_substitute
        return cleansed

    def get_traceback_frame_variables(self, request: Any, tb_frame: Any) -> Any:
        return [
            (name, REMOVED if _PERSONAL_KEY.match(name) else value)
            for name, value in super().get_traceback_frame_variables(request, tb_frame)
        ]
