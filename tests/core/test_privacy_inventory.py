"""docs/privacy.md lists every field of every model that holds personal data, and nothing else.

Which models hold personal data is decided by the rule in welcoming/core/privacy.py.
"""

import re
from pathlib import Path

from django.apps import apps
from django.db.models import Model

from welcoming.core.privacy import is_personal_data_model

DOC = Path(__file__).resolve().parents[2] / "docs" / "privacy.md"
HISTORY = "history"  # the doc's section for the fields every change-history model adds


def _documented() -> dict[str, set[str]]:
    sections: dict[str, set[str]] = {}
    current = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^### `([\w.]+)`", line)
        if heading:
            current = sections.setdefault(heading.group(1), set())
        elif line.startswith("### "):
            current = None
        elif current is not None and (row := re.match(r"^\| `(\w+)` \|", line)):
            current.add(row.group(1))
    return sections


def _is_history(model: type[Model]) -> bool:
    return hasattr(model, "instance_type") and model.__name__.startswith("Historical")


def _fields(model: type[Model]) -> set[str]:
    fields = {f.name for f in model._meta.get_fields() if f.concrete}
    if _is_history(model):
        return {f for f in fields if f.startswith("history_")}
    return fields


def _models_with_personal_data() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for model in apps.get_models():
        if _is_history(model):
            if is_personal_data_model(model):
                found.setdefault(HISTORY, set()).update(_fields(model))
        elif is_personal_data_model(model):
            found[model._meta.label] = _fields(model)
    return found


def test_every_field_that_can_hold_personal_data_is_in_the_inventory() -> None:
    documented = _documented()
    missing = {
        label: sorted(fields - documented.get(label, set()))
        for label, fields in _models_with_personal_data().items()
        if fields - documented.get(label, set())
    }
    assert missing == {}, f"add these fields to {DOC.name}"


def test_the_inventory_lists_no_field_that_no_longer_exists() -> None:
    actual = _models_with_personal_data()
    stale = {
        label: sorted(fields - actual.get(label, set()))
        for label, fields in _documented().items()
        if fields - actual.get(label, set())
    }
    assert stale == {}, f"remove these fields from {DOC.name}"


def test_the_inventory_rule_finds_accounts_and_consents() -> None:
    found = _models_with_personal_data()
    assert {"accounts.User", "accounts.Consent", "sessions.Session"} <= set(found)
    assert "indicators.Indicator" not in found
