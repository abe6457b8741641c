"""Text folding for accent- and case-insensitive search that works the same on every database."""

import unicodedata
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import translation


class _FoldTable(dict[int, str]):
    """What each character folds to, for `str.translate`: a combining mark to nothing, any other
    character but a letter or a digit to a space; filled in as characters are first met."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = "" if unicodedata.combining(char) else (char if char.isalnum() else " ")
        self[code] = folded
        return folded


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """Lower-case, strip accents, punctuation to spaces: "Montréal (V)" -> "montreal v"."""
    if text.isascii():  # nothing to decompose, and casefold() is lower() (the common case)
        return " ".join(text.lower().translate(_FOLD).split())
    return " ".join(unicodedata.normalize("NFKD", text.casefold()).translate(_FOLD).split())


@dataclass(frozen=True)
class Localized:
    """A text and the language it is really in, so a page can mark a fallback with `lang`."""

    text: str
    lang: str

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)


def localized(obj: Any, field: str, language: str | None = None) -> Localized:
    """The field in the page's language, or in the first other language that has it.

    An imported English-only record has no French name: the French page shows the English one,
    marked `lang="en"` so screen readers pronounce it right."""
    wanted = language or translation.get_language() or settings.LANGUAGE_CODE
    wanted = wanted.split("-")[0]
    codes = [wanted] + [code for code, _name in settings.LANGUAGES if code != wanted]
    for code in codes:
        value = getattr(obj, f"{field}_{code}", None)
        if value:
            return Localized(str(value), code)
    return Localized("", wanted)
