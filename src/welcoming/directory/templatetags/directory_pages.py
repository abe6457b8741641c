"""Template helpers of the public directory pages."""

from typing import Any

from django import template
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString

from welcoming.core.text import localized

from ..models import Schedule
from ..search_forms import language_name

register = template.Library()


@register.simple_tag
def text_of(record: Any, field: str, language: str = "") -> SafeString:
    """The field in the page's language (or `language`); text in another language is marked
    with its `lang`, so a French page reads an English-only record with English pronunciation."""
    page = (translation.get_language() or "en").split("-")[0]
    found = localized(record, field, language or None)
    wanted = language or page
    if found.lang == wanted and wanted == page:
        return format_html("{}", found.text)
    return format_html('<span lang="{}">{}</span>', found.lang, found.text)


@register.filter
def language_label(code: str) -> str:
    """An ISO 639-3 code as the language's name in the page's language."""
    return language_name(code)


@register.filter
def kilometres(distance: float | None) -> str:
    if distance is None:
        return ""
    return f"{distance:.1f}" if distance < 10 else f"{distance:.0f}"


@register.filter
def weekdays(byday: str) -> str:
    """iCalendar days ("MO,TU") as the days' names in the page's language."""
    labels = dict(Schedule.Weekday.choices)
    codes = [code.strip()[-2:] for code in byday.split(",") if code.strip()]
    return ", ".join(str(labels.get(code, code)) for code in codes)
