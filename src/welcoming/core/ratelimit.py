"""Rate limits on the API and on forms: a fixed window counted in the cache.

Two scopes, each with its own setting: `RATELIMIT_API` for every request to `/api/`, and
`RATELIMIT_FORMS` for every POST (or other writing method) to a page. A view may count a scope of
its own on top (`retry_after(request, "signup")` reads `RATELIMIT_SIGNUP`) and answer with
`too_many_requests`. A rate is written
"COUNT/PERIOD" with the period in seconds or as s, m, h or d ("120/m", "10/30"); an empty value
turns the scope off. Requests are counted per API token (the `Authorization` header), per
signed-in user, or per client address for anonymous requests. Past the limit the answer is 429
with `Retry-After` (seconds): JSON `{"detail": ...}` on the API, a page elsewhere.

The counts live in the cache named by `RATELIMIT_CACHE`: with several server processes it must be
a shared cache (Redis, or Django's database cache), or each process counts on its own.
"""

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core import checks
from django.core.cache import caches
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.utils.translation import ngettext

WRITING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


def rate_parse(text: str) -> Rate | None:
    """ "120/m" -> Rate(120, 60); "" -> None (no limit). Raises ValueError on anything else."""
    if not text:
        return None
    count, _slash, period = text.partition("/")
    seconds = _PERIODS.get(period) if not period.isdigit() else int(period)
    if not count.isdigit() or int(count) < 1 or not seconds:
        raise ValueError(f"A rate is written COUNT/PERIOD, such as 120/m; not {text!r}.")
    return Rate(int(count), seconds)


@checks.register(checks.Tags.security)
def ratelimit_settings_check(**kwargs: object) -> list[checks.CheckMessage]:
    """A malformed rate stops the server at start, not at the first request."""
    problems: list[checks.CheckMessage] = []
    for name in ("RATELIMIT_API", "RATELIMIT_FORMS", "RATELIMIT_SIGNUP"):
        try:
            rate_parse(getattr(settings, name, ""))
        except ValueError as error:
            problems.append(checks.Error(f"{name}: {error}", id="welcoming.E001"))
    return problems


def _client(request: HttpRequest) -> str:
    """Who is counted: the token, else the signed-in user, else the client's address."""
    authorization = request.headers.get("Authorization", "")
    if authorization:
        return "token:" + hashlib.sha256(authorization.encode()).hexdigest()[:32]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    header = getattr(settings, "RATELIMIT_CLIENT_IP_HEADER", "") or "REMOTE_ADDR"
    address = request.META.get(header, "") or request.META.get("REMOTE_ADDR", "")
    return "ip:" + address.split(",")[0].strip()


def _scope(request: HttpRequest) -> str | None:
    if request.path.startswith("/api/"):
        return "api"
    if request.method in WRITING_METHODS:
        return "forms"
    return None


def retry_after(request: HttpRequest, scope: str) -> int | None:
    """Counts the request; the seconds to wait when it is over its scope's limit, else None."""
    rate = rate_parse(getattr(settings, f"RATELIMIT_{scope.upper()}", ""))
    if rate is None:
        return None
    now = time.time()
    window = int(now // rate.seconds)
    cache = caches[getattr(settings, "RATELIMIT_CACHE", "default")]
    key = f"ratelimit:{scope}:{_client(request)}:{rate.seconds}:{window}"
    cache.add(key, 0, timeout=rate.seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this request opens the window
        cache.set(key, 1, timeout=rate.seconds + 1)
        count = 1
    if count <= rate.count:
        return None
    return max(1, int((window + 1) * rate.seconds - now + 0.999))


class RateLimitMiddleware:
    """Answers 429 to a client past its limit; after authentication, to count users apart."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        scope = _scope(request)
        wait = retry_after(request, scope) if scope else None
        if wait is None:
            return self.get_response(request)
        return too_many_requests(request, wait, api=scope == "api")


def too_many_requests(request: HttpRequest, wait: int, *, api: bool = False) -> HttpResponseBase:
    """429 with Retry-After: JSON on the API, a page elsewhere."""
    detail = ngettext(
        "Too many requests. Try again in %(seconds)d second.",
        "Too many requests. Try again in %(seconds)d seconds.",
        wait,
    ) % {"seconds": wait}
    response: HttpResponseBase
    if api:
        response = JsonResponse({"detail": detail}, status=429)
    else:
        response = render(request, "429.html", {"detail": detail}, status=429)
    response["Retry-After"] = str(wait)
    return response
