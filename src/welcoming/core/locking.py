"""Optimistic locking for records people edit together: a stale save is refused, never applied.

A form carries the version of the record it was opened on (`VersionedForm`, a hidden field); the
service saves only if the record is still at that version and raises `StaleEdit` otherwise, so the
person sees what changed and decides again instead of silently undoing a colleague's work.

- A record edited in place has a `version` column (`Versioned`); `versioned_update` writes it
  with `UPDATE ... WHERE pk = %s AND version = expected` and counts the version up, in one
  statement, so two saves racing cannot both pass.
- A record saved as a new row per change (a scoring profile) checks the latest row's version
  with `version_check` and relies on its unique (name, version) constraint for the race.
"""

from typing import Any, TypeVar

from django import forms
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _

STALE_EDIT = _(
    "This record was changed by someone else since you opened it: your changes were not saved. "
    "Open it again to see the current version, then make your changes again."
)


class StaleEdit(Exception):
    """The record changed since the editor read `expected`; nothing was saved."""

    message = STALE_EDIT

    def __init__(self, *, expected: int, current: int | None) -> None:
        super().__init__(f"expected version {expected}, found {current}")
        self.expected = expected
        self.current = current


class Versioned(models.Model):
    """A record edited in place; every save through `versioned_update` counts `version` up."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


V = TypeVar("V", bound=Versioned)


def version_check(*, current: int | None, expected: int | None) -> None:
    """Raise StaleEdit unless the latest version is the one the editor opened (`expected`);
    `expected` None is a writer that did not read first (a script replacing values)."""
    if expected is not None and current != expected:
        raise StaleEdit(expected=expected, current=current)


def versioned_update(instance: V, *, expected: int, **fields: Any) -> V:
    """Write `fields` to `instance` if it is still at version `expected`; return it refreshed.
    Call `full_clean` on the changed instance first: an UPDATE runs no model validation."""
    model = type(instance)
    changed = model._default_manager.filter(pk=instance.pk, version=expected).update(
        version=F("version") + 1, **fields
    )
    if not changed:
        current = model._default_manager.filter(pk=instance.pk).values_list("version", flat=True)
        raise StaleEdit(expected=expected, current=current.first())
    instance.refresh_from_db()
    return instance


class VersionedForm(forms.Form):
    """A form that carries the version its record had when the editor opened it."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
