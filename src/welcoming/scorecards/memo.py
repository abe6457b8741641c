"""Score a level once per state of the data, and share the result between processes.

Scoring reads every value of every community of a level: seconds at national scale, where a page
has a few hundred milliseconds. Results are keyed by the state of the data that feeds them
(`welcoming.core.datastate`: the tables each app registers, such as import batches, values and
the audit records of indicators, characteristics and communities), so an import, an edit in the
admin or the API, or a new profile version gives a new key. Each process keeps its latest
results in memory (least recently used go first) and puts the costly ones in the `scores` cache,
so the other processes of a deployment (and the next one after a restart) read a result instead
of computing it again.
"""

import hashlib
from collections.abc import Callable
from functools import lru_cache, wraps
from typing import Any, ParamSpec, TypeVar, overload

from django.core.cache import caches
from django.db.models import Model

from welcoming.core.datastate import data_state

P = ParamSpec("P")
R = TypeVar("R")

KEPT_PER_FUNCTION = 16
SHARED_SECONDS = 24 * 3600  # a key outlives its data only until the next change anyway
CACHE_ALIAS = "scores"
# The shape of the shared results: raise it when a memoised result changes its fields, so that a
# deployment never reads what the previous release stored (Problem.used and .batches: 2).
FORMAT = 2
_caches: list[Any] = []
_MISSING = object()


@overload
def per_data_state(func: Callable[P, R]) -> Callable[P, R]: ...


@overload
def per_data_state(*, shared: bool) -> Callable[[Callable[P, R]], Callable[P, R]]: ...


def per_data_state(
    func: Callable[P, R] | None = None, *, shared: bool = True
) -> Callable[P, R] | Callable[[Callable[P, R]], Callable[P, R]]:
    """Memoise `func` (hashable keyword arguments) for as long as the data stays the same.

    `shared=False` keeps results in this process only: for results quick to derive from shared
    ones but large to store (a pickled scored level is tens of megabytes)."""

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        name = f"{func.__module__}.{func.__qualname__}"

        @lru_cache(maxsize=KEPT_PER_FUNCTION)
        def cached(state: tuple[object, ...], **kwargs: Any) -> R:
            if not shared:
                return func(**kwargs)  # type: ignore[call-arg]
            key = shared_key(name, state, kwargs)
            found = caches[CACHE_ALIAS].get(key, _MISSING)
            if found is not _MISSING:
                return found
            result = func(**kwargs)  # type: ignore[call-arg]
            caches[CACHE_ALIAS].set(key, result, SHARED_SECONDS)
            return result

        @wraps(func)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            if args:
                raise TypeError(f"{func.__name__} takes keyword arguments only")
            return cached(data_state(), **kwargs)  # type: ignore[arg-type]

        _caches.append(cached)
        return wrapper

    return decorate if func is None else decorate(func)


def shared_key(name: str, state: tuple[object, ...], kwargs: dict[str, Any]) -> str:
    """A cache key naming the function, the data state and the arguments (a model by its pk)."""
    arguments = sorted((k, _stable(v)) for k, v in kwargs.items())
    digest = hashlib.sha256(repr((state, arguments)).encode()).hexdigest()
    return f"{name}:{FORMAT}:{digest}"


def _stable(value: object) -> object:
    if isinstance(value, Model):
        return (value._meta.label, value.pk)
    if isinstance(value, tuple | list):
        return tuple(_stable(v) for v in value)
    return value


def forget_in_process() -> None:
    """Drop the results this process keeps in memory; the shared cache keeps its own."""
    for cached in _caches:
        cached.cache_clear()


def forget_all() -> None:
    """Drop every kept result (tests, whose rolled-back data can repeat a state)."""
    forget_in_process()
    caches[CACHE_ALIAS].clear()
