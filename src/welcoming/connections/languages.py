"""Languages as ISO 639-3 codes, named in English and French from pycountry's own data.

pycountry ships ISO 639-3 with English names and the Debian iso-codes translations (gettext
domain "iso639-3"), so no list is typed by hand. Only individual living languages are offered:
the 7,000-odd codes include extinct, historical and constructed ones nobody will speak to a host.
"""

import functools
import gettext

import pycountry
from django.utils.translation import get_language

LIVING_INDIVIDUAL = ("I", "L")  # scope individual, type living


@functools.cache
def _french() -> gettext.NullTranslations:
    return gettext.translation("iso639-3", pycountry.LOCALES_DIR, languages=["fr"], fallback=True)


@functools.cache
def _names() -> dict[str, str]:
    return {
        language.alpha_3: language.name
        for language in pycountry.languages
        if (language.scope, language.type) == LIVING_INDIVIDUAL
    }


def is_language_code(code: str) -> bool:
    return code in _names()


def language_name(code: str, language: str | None = None) -> str:
    """The name of `code` in `language` (the active language by default); the code if unknown."""
    english = _names().get(code)
    if english is None:
        return code
    if (language or get_language() or "en").startswith("fr"):
        return _french().gettext(english)
    return english


@functools.cache
def _choices(language: str) -> tuple[tuple[str, str], ...]:
    named = [(code, language_name(code, language)) for code in _names()]
    return tuple(sorted(named, key=lambda pair: (pair[1].casefold(), pair[0])))


def language_choices() -> tuple[tuple[str, str], ...]:
    """(code, name) pairs in the active language, sorted by name, for a form's select."""
    return _choices("fr" if (get_language() or "en").startswith("fr") else "en")
