"""The state of the data that results are computed from, for caches keyed by it.

Each app whose data changes a computed result (a score, a report) registers its tables in its
`AppConfig.ready`: `datastate.register(ImportBatch, time="imported_at")`, or
`datastate.register_history(Indicator)` for a model whose every edit leaves an audit row. Core knows
no capability: it only asks the database for the newest key (and time) of each registered table,
in one query of index lookups. An import, an edit in the admin or the API gives a new state.

A request asks for the state at most once, however many cached results it reads: the state is
kept from the first question to the end of the request, and forgotten as soon as a registered
model is saved or deleted in it. Outside a request (the CLI, the worker) every question goes to the
database.
"""

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.core.signals import request_finished, request_started
from django.db import connection
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

State = tuple[object, ...]


@dataclass(frozen=True)
class Source:
    """A table whose newest row marks a change: its key column, and its time column if any.
    The time tells a database created anew, whose ids start again, from the one a shared cache
    remembers."""

    model: type[Model]
    key: str
    time: str | None


_sources: dict[str, Source] = {}
_kept: ContextVar[list[State] | None] = ContextVar("welcoming_data_state", default=None)


def register(model: type[Model], *, key: str = "id", time: str | None = None) -> None:
    """Count `model` in the state (idempotent: registering again replaces the entry)."""
    label = model._meta.label
    _sources[label] = Source(model, key, time)
    post_save.connect(_forget, sender=model, dispatch_uid=f"datastate:save:{label}")
    post_delete.connect(_forget, sender=model, dispatch_uid=f"datastate:delete:{label}")


def register_history(model: type[Model]) -> None:
    """Count every audited change of `model` (django-simple-history's rows) in the state."""
    register(model.history.model, key="history_id", time="history_date")  # type: ignore[attr-defined]


def sources() -> tuple[Source, ...]:
    """The registered tables, in a fixed order (by model label), so the state compares."""
    return tuple(_sources[label] for label in sorted(_sources))


def data_state() -> State:
    """The newest key of each registered table and the time of that row where it keeps one."""
    kept = _kept.get()
    if kept:
        return kept[0]
    state = _query()
    if kept is not None:
        kept.append(state)
    return state


def _query() -> State:
    quote = connection.ops.quote_name
    parts: list[str] = []
    for source in sources():
        table, key = quote(source.model._meta.db_table), quote(source.key)
        parts.append(f"(SELECT MAX({key}) FROM {table})")
        if source.time is not None:
            time = quote(source.time)
            parts.append(f"(SELECT {time} FROM {table} ORDER BY {key} DESC LIMIT 1)")
    if not parts:
        return ()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}")  # names come from registered models only
        return tuple(cursor.fetchone() or ())


def _forget(**kwargs: Any) -> None:
    kept = _kept.get()
    if kept:
        kept.clear()


def _request_started(**kwargs: Any) -> None:
    _kept.set([])


def _request_finished(**kwargs: Any) -> None:
    _kept.set(None)


def connect_requests() -> None:
    """Keep the state for the length of each request (called once, by core's AppConfig)."""
    request_started.connect(_request_started, dispatch_uid="datastate:request_started")
    request_finished.connect(_request_finished, dispatch_uid="datastate:request_finished")
