"""Formatting scores and weights in the active language."""

from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext

from welcoming.core.templatetags.welcoming import indicator_value
from welcoming.engines.scoring import PriorityRule
from welcoming.indicators.models import Indicator
from welcoming.scorecards.services import PRIORITY_RULE

register = template.Library()


@register.filter
def score(value: float | None) -> str:
    """One decimal, rounded (Django's number_format alone truncates: 57.36 would show 57.3)."""
    return "—" if value is None else number_format(round(value, 1), 1)


@register.filter
def score_weight(value: float) -> str:
    return number_format(value, 2)


@register.filter
def indicator_value_of(value: float, indicator: Indicator) -> str:
    return indicator_value(value, indicator.unit)


@register.filter
def points(value: float | None) -> str:
    """A gap as a distance, without its sign: the sentence says which side."""
    return "—" if value is None else number_format(round(abs(value), 1), 1)


@register.filter
def join_names(pairs: list[tuple[Any, Any]]) -> str:
    """The names of (item, choice) pairs, as a list in a sentence."""
    return ", ".join(str(item.name) for item, _choice in pairs)


@register.filter
def join_items(items: list[Any]) -> str:
    """The names of items, as a list in a sentence."""
    return ", ".join(str(item.name) for item in items)


@register.filter
def population(value: int | None) -> str:
    """A head count with the thousands grouped as the language groups them."""
    return "—" if value is None else number_format(value, 0, force_grouping=True)


@register.filter
def percent(share: float) -> str:
    """A share from 0 to 1 as a whole percentage, in the active language ("50 %")."""
    return gettext("%(value)s%%") % {"value": number_format(round(share * 100), 0)}


@register.simple_tag
def priority_rule() -> PriorityRule:
    """The rule the scorecards apply to priorities, for pages that state it."""
    return PRIORITY_RULE
