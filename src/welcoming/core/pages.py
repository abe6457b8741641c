"""Public pages kept per state of the data, for anonymous visitors.

A scorecard, a profile or a comparison is the same for every anonymous visitor until the data
behind it change, yet drawing it costs several times what serving it does. So a view wrapped in
`cache_per_data_state` answers an anonymous GET from the `pages` cache, keyed by the data state
(`datastate`: the newest import, value, audit record and profile version), the address with its
query, the language and the htmx header; a change of the data gives every page a new key, so a
page is never older than its data. Signed-in people (whose pages show their name and rights) and
answers that set a cookie or are not 200 are never kept.

The cache is each process's memory by default; `PAGES_CACHE_URL` may name Redis to share it.
The installed version is in the key, so an upgrade never serves the previous templates.
"""

import hashlib
from collections.abc import Callable
from functools import wraps
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from django.core.cache import caches
from django.http import HttpRequest, HttpResponseBase
from django.template.response import SimpleTemplateResponse
from django.utils.translation import get_language

from .datastate import data_state

CACHE_ALIAS = "pages"
KEPT_SECONDS = 24 * 3600  # a key outlives its data only until the next change anyway

try:
    RELEASE = version("welcoming")
except PackageNotFoundError:  # pragma: no cover (a source tree without its metadata)
    RELEASE = "source"

View = Callable[..., HttpResponseBase]


def cache_per_data_state(view: View) -> View:
    """Serve anonymous GET and HEAD requests of `view` from the pages cache."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method not in {"GET", "HEAD"} or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        key = page_key(request)
        cache = caches[CACHE_ALIAS]
        kept = cache.get(key)
        if kept is not None:
            return kept
        response = view(request, *args, **kwargs)
        if isinstance(response, SimpleTemplateResponse):
            response.render()
        if response.status_code == 200 and not response.cookies and not response.streaming:
            cache.set(key, response, KEPT_SECONDS)
        return response

    return wrapper


def page_key(request: HttpRequest) -> str:
    parts = (
        RELEASE,
        data_state(),
        get_language(),
        request.get_full_path(),
        request.headers.get("HX-Request", ""),
    )
    return "page:" + hashlib.sha256(repr(parts).encode()).hexdigest()
