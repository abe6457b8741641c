"""What the readers of older formats share: languages and week days as HSDS 3.0 has them."""

import re
from typing import Any

from django.utils.translation import gettext as _

from ..clean import language_name, languages
from ..feed import Feed, Issue

WEEKDAYS = {
    "mo": "MO",
    "mon": "MO",
    "monday": "MO",
    "lundi": "MO",
    "1": "MO",
    "tu": "TU",
    "tue": "TU",
    "tues": "TU",
    "tuesday": "TU",
    "mardi": "TU",
    "2": "TU",
    "we": "WE",
    "wed": "WE",
    "wednesday": "WE",
    "mercredi": "WE",
    "3": "WE",
    "th": "TH",
    "thu": "TH",
    "thurs": "TH",
    "thursday": "TH",
    "jeudi": "TH",
    "4": "TH",
    "fr": "FR",
    "fri": "FR",
    "friday": "FR",
    "vendredi": "FR",
    "5": "FR",
    "sa": "SA",
    "sat": "SA",
    "saturday": "SA",
    "samedi": "SA",
    "6": "SA",
    "su": "SU",
    "sun": "SU",
    "sunday": "SU",
    "dimanche": "SU",
    "7": "SU",
}
_CLOCK = re.compile(r"(\d{1,2})(?:[:h.](\d{2}))?\s*([ap]\.?m\.?)?", re.I)


def weekday(value: str) -> str | None:
    return WEEKDAYS.get(value.strip().strip(".").casefold())


def clock(value: str) -> str | None:
    """ "9", "9:30 am", "17h00", "5 PM" -> "HH:MM" (24-hour), or None."""
    match = _CLOCK.fullmatch(value.strip())
    if match is None:
        return None
    hour, minute = int(match[1]), int(match[2] or 0)
    suffix = (match[3] or "").replace(".", "").lower()
    if suffix == "pm" and hour < 12:
        hour += 12
    if suffix == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


def language_objects(
    feed: Feed, text: str, *, entity: str, record_id: str, field: str
) -> list[dict[str, Any]]:
    """Free-text languages as HSDS language objects (ISO 639-3); unknown ones are reported."""
    found, unknown = languages(text)
    for part in unknown:
        feed.dropped.append(
            Issue(
                entity,
                record_id,
                field,
                _("“%(language)s” is not a language we know: left out") % {"language": part},
            )
        )
    return [
        {"code": code, "name": language_name(code), **({"note": note} if note else {})}
        for code, note in found
    ]


def compact(data: dict[str, Any]) -> dict[str, Any]:
    """An HSDS object without its empty fields."""
    return {k: v for k, v in data.items() if v not in (None, "", [])}
