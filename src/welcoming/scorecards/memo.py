"""Score a level once per state of the data, and keep the result in this process.

Scoring reads every value of every community of a level: seconds at national scale, where a page
has a few hundred milliseconds. Results are kept per process, keyed by the state of the data that
feeds them — the newest import batch and value, and the newest audit record of values, indicators,
characteristics and communities — so an import, an edit in the admin or the API, or a new profile
version gives a new key; old keys fall out least recently used first.
"""

from collections.abc import Callable
from functools import lru_cache, wraps
from typing import Any, ParamSpec, TypeVar

from django.db import connection
from django.db.models import Model

from welcoming.core.models import Community
from welcoming.framework.models import Characteristic
from welcoming.indicators.models import ImportBatch, Indicator, IndicatorValue

P = ParamSpec("P")
R = TypeVar("R")

KEPT_PER_FUNCTION = 16
_caches: list[Any] = []


def data_state() -> tuple[object, ...]:
    """The newest key of each table that feeds a score, in one query (each an index lookup)."""
    tables: list[tuple[type[Model], str]] = [(ImportBatch, "id"), (IndicatorValue, "id")]
    tables += [
        (model.history.model, "history_id")  # type: ignore[union-attr]
        for model in (IndicatorValue, Indicator, Characteristic, Community)
    ]
    quote = connection.ops.quote_name
    parts = ", ".join(
        f"(SELECT MAX({quote(column)}) FROM {quote(model._meta.db_table)})"
        for model, column in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {parts}")  # names come from our own models
        return tuple(cursor.fetchone() or ())


def per_data_state(func: Callable[P, R]) -> Callable[P, R]:
    """Memoise `func` (hashable keyword arguments) for as long as the data stays the same."""

    @lru_cache(maxsize=KEPT_PER_FUNCTION)
    def cached(state: tuple[object, ...], **kwargs: Any) -> R:
        return func(**kwargs)  # type: ignore[call-arg]

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if args:
            raise TypeError(f"{func.__name__} takes keyword arguments only")
        return cached(data_state(), **kwargs)  # type: ignore[arg-type]

    _caches.append(cached)
    return wrapper


def forget_all() -> None:
    """Drop every kept result (tests, whose rolled-back data can repeat a state)."""
    for cached in _caches:
        cached.cache_clear()
