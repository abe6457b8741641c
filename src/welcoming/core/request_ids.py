"""A request id on every response and on every log line written while the request is served.

A proxy in front may send its own `X-Request-ID` (kept when it is a plain token of at most 64
characters, so that nothing odd reaches the logs); otherwise one is made. The id is answered in
the `X-Request-ID` header, so a person reporting a fault can quote it and the operator can find
the traceback in the log.
"""

import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponseBase

HEADER = "X-Request-ID"
NO_REQUEST = "-"
_ACCEPTED = re.compile(r"[A-Za-z0-9._-]{1,64}")
_current: ContextVar[str] = ContextVar("request_id", default=NO_REQUEST)


def request_id_current() -> str:
    """The id of the request being served, or "-" outside a request (commands, the worker)."""
    return _current.get()


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        offered = request.headers.get(HEADER, "")
        request_id = offered if _ACCEPTED.fullmatch(offered) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = _current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record, for formats that print `%(request_id)s`."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _current.get()
        return True
