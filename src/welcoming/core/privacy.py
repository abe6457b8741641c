"""Privacy helpers every app uses: which models hold personal data, and small counts as they
may be published (the computation is engines/suppression.py; this is its face in the web and
the API).

A model holds personal data when
1. it is the user model, or refers to it (a foreign key, one-to-one or many-to-many field);
2. it has a field whose name says it holds personal data (PERSONAL_FIELD_NAMES: an e-mail, a
   name, a telephone, an IP address...), whatever app it comes from; or
3. it is marked with `@holds_personal_data` (a newcomer's profile that has no account, say).
Every field of such a model is listed in docs/privacy.md, and tests/core/test_privacy_inventory.py
fails when the two disagree. A change-history model (django-simple-history) is covered by the
model it copies; its own history_* fields are listed once, for every such model.
"""

from collections.abc import Mapping, Sequence
from typing import TypeVar

from django.conf import settings
from django.db.models import Model
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from ninja import Field, Schema

from welcoming.engines.suppression import THRESHOLD, suppress_counts

M = TypeVar("M", bound=type[Model])
K = TypeVar("K")

# Django's sessions hold the signed-in person's id without a foreign key.
_MARKED: set[str] = {"sessions.Session"}
PERSONAL_FIELD_NAMES = frozenset(
    {
        "email",
        "username",
        "first_name",
        "last_name",
        "full_name",
        "phone",
        "telephone",
        "address",
        "postal_code",
        "date_of_birth",
        "birth_date",
        "ip_address",
        "user_agent",
    }
)


def holds_personal_data(model: M) -> M:
    """Mark a model that holds personal data without referring to an account."""
    _MARKED.add(model._meta.label)
    return model


def is_personal_data_model(model: type[Model]) -> bool:
    if model._meta.label in _MARKED or model._meta.label == settings.AUTH_USER_MODEL:
        return True
    if any(field.name in PERSONAL_FIELD_NAMES for field in model._meta.get_fields()):
        return True
    return any(
        field.is_relation
        and field.concrete
        and field.related_model is not None
        and field.related_model._meta.label == settings.AUTH_USER_MODEL
        for field in model._meta.get_fields()
    )


def small_count_label(count: int | None) -> str:
    """A count as a person reads it: "fewer than 5" when it is small; "suppressed" when it is
    not published (None), which may be a small count or one hidden to protect a small count:
    the two must look the same, or the label would tell which is which."""
    if count is None:
        return pgettext("a count of people", "suppressed")
    if count < THRESHOLD:
        return _("fewer than %(threshold)d") % {"threshold": THRESHOLD}
    return number_format(count, 0, use_l10n=True, force_grouping=True)


class CountOut(Schema):
    """A count of people in the API: `value` is null when it is not published."""

    value: int | None = Field(
        description="Null when not published: under 5, or hidden so that a count under 5 "
        "cannot be worked out from the total."
    )
    suppressed: bool
    label: str = Field(description="The count as people see it, e.g. “suppressed”.")


def counts_out(counts: Mapping[K, int]) -> tuple[dict[K, CountOut], CountOut]:
    """Counts of one group and their total, suppressed together so none can be subtracted."""
    keys: Sequence[K] = list(counts)
    result = suppress_counts([counts[k] for k in keys])
    cells = {key: _count_out(value) for key, value in zip(keys, result.cells, strict=True)}
    return cells, _count_out(result.total)


def _count_out(value: int | None) -> CountOut:
    return CountOut(value=value, suppressed=value is None, label=small_count_label(value))
