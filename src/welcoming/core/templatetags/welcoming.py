"""Template helpers shared by every page: the language switch, value formatting, Markdown."""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import urlencode

from django import template
from django.urls import translate_url
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from welcoming.integrations.markdown import markdown_to_html

register = template.Library()

# Decimals shown per unit: as published (index values to two decimals, shares to one).
DECIMALS = {"percent": 1, "dollars": 0, "count": 0, "ratio": 3, "index": 2, "rate": 1, "density": 1}


@register.simple_tag(takes_context=True)
def page_in(context: dict[str, Any], language: str) -> str:
    """The current page in the other official language, with its query string less blank fields."""
    request = context["request"]
    url = translate_url(request.path, language)
    query = urlencode([(k, v) for k, values in request.GET.lists() for v in values if v])
    return f"{url}?{query}" if query else url


@register.filter
def indicator_value(value: float | None, unit: str) -> str:
    """A value formatted for its unit in the active language (thousands separators, decimals)."""
    if value is None:
        return _("suppressed")
    decimals = DECIMALS.get(unit, 0 if float(value).is_integer() else 1)
    # Round half up as Statistics Canada publishes (number_format alone would truncate a float).
    rounded = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    number = number_format(rounded, decimals, use_l10n=True, force_grouping=True)
    if unit == "percent":
        return _("%(value)s%%") % {"value": number}
    if unit == "dollars":
        return _("$%(value)s") % {"value": number}
    return number


@register.filter(is_safe=True)
def markdown(text: str | None) -> SafeString:
    """User-written Markdown as sanitised HTML: `{{ practice.description|markdown }}`."""
    return mark_safe(markdown_to_html(str(text or "")))  # sanitised by nh3


@register.filter
def small_count(count: int | None) -> str:
    """A count of people: "fewer than 5" when small or suppressed (see core/privacy.py); pass
    counts through `suppress_counts` first when a total is shown beside them."""
    from welcoming.core.privacy import small_count_label

    return small_count_label(count)
