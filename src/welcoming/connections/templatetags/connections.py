"""How connections' values read on a page: language names, NOC titles, choice labels, the week."""

from typing import Any

from django import template
from django.utils.translation import gettext as _

from ..forms import DAYS, PARTS_OF_DAY
from ..languages import language_name as _language_name
from ..models import Eligibility, Goal, Interest, LanguageLevel, Preference
from ..occupations import unit_group_title

register = template.Library()

_CHOICES = {
    "eligibility": Eligibility,
    "goal": Goal,
    "interest": Interest,
    "preference": Preference,
}


@register.filter
def language_name(code: str) -> str:
    return _language_name(code)


@register.filter
def language_level(level: int) -> str:
    return str(LanguageLevel(level).label)


@register.filter
def noc_title(code: str) -> str:
    """The unit group's English title (there are no French titles yet: mark it lang="en")."""
    return unit_group_title(code)


@register.filter
def choice_labels(values: list[str], kind: str) -> str:
    """The labels of stored choice values, in the active language; "none" when empty."""
    choices = _CHOICES[kind]
    labels = [str(choices(v).label) for v in values if v in choices.values]
    return ", ".join(labels) if labels else _("none")


@register.simple_tag
def week(bits: int) -> list[dict[str, Any]]:
    """Rows of the week grid for reading: each part of day with whether each day is free."""
    return [
        {
            "part": PARTS_OF_DAY[part],
            "days": [bool(bits >> (day * 3 + part) & 1) for day in range(7)],
        }
        for part in range(3)
    ]


@register.simple_tag
def week_days() -> tuple[Any, ...]:
    return DAYS
