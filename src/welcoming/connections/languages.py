"""Languages as ISO 639-3 codes, named in English and French from pycountry's own data.

pycountry ships ISO 639-3 with English names and the Debian iso-codes translations (gettext
domain "iso639-3"), so no list is typed by hand. Only living languages are offered, individual
ones and macrolanguages (Arabic, Chinese, Persian, Swahili are macrolanguages in ISO 639-3):
the full list includes extinct, historical and constructed ones nobody will speak to a host.
"""

import functools
import gettext

import pycountry
from django.utils.translation import get_language

SCOPES = frozenset({"I", "M"})  # individual languages and macrolanguages
LIVING = "L"


@functools.cache
def _french() -> gettext.NullTranslations:
    return gettext.translation("iso639-3", pycountry.LOCALES_DIR, languages=["fr"], fallback=True)


@functools.cache
def _names() -> dict[str, str]:
    return {
        language.alpha_3: language.name
        for language in pycountry.languages
        if language.scope in SCOPES and language.type == LIVING
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


@functools.cache
def _by_name() -> dict[str, str]:
    """Folded English and French names, and codes, to codes."""
    from welcoming.core.text import fold

    found: dict[str, str] = {}
    names = [
        (code, name)
        for code in _names()
        for name in (language_name(code, "fr"), language_name(code, "en"), code)
    ]
    for code, name in names:
        found.setdefault(fold(name), code)
    for code, name in names:  # "Swahili (macrolanguage)" answers to "Swahili" too
        found.setdefault(fold(name.split(" (")[0]), code)
    return found


def language_lookup(text: str) -> str | None:
    """The ISO 639-3 code of a language given by its code or its English or French name
    ("tir", "Tigrinya", "tigrigna"), accents and case ignored; None if unknown."""
    from welcoming.core.text import fold

    return _by_name().get(fold(text.strip())) if text.strip() else None
