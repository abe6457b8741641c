"""Audit trail for translated models.

simple-history builds its historical model when it is registered; modeltranslation adds the
`_en`/`_fr` fields later, while apps load. Registering history here, after the translation
fields exist, makes the historical tables record both languages.
"""

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from types import SimpleNamespace
from typing import Any

import simple_history
from simple_history.models import HistoricalRecords


def track_history(model: type[Any], **options: Any) -> None:
    simple_history.register(model, app=model._meta.app_config.name, **options)


@contextmanager
def acting_as(actor: Any) -> Iterator[None]:
    """Record `actor` as the author of every history row written inside the block.

    On the web simple-history takes the person from the request (its middleware); services run
    from the command line too, so each write service names its actor here, and the audit trail
    says who changed what whichever interface was used.
    """
    context = HistoricalRecords.context
    previous = getattr(context, "request", None)
    context.request = SimpleNamespace(user=actor)
    try:
        yield
    finally:
        if previous is None:
            with suppress(AttributeError):
                del context.request
        else:
            context.request = previous
