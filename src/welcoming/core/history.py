"""Audit trail for translated models.

simple-history builds its historical model when it is registered; modeltranslation adds the
`_en`/`_fr` fields later, while apps load. Registering history here, after the translation
fields exist, makes the historical tables record both languages.
"""

from typing import Any

import simple_history


def track_history(model: type[Any], **options: Any) -> None:
    simple_history.register(model, app=model._meta.app_config.name, **options)
