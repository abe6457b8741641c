"""Cleaning what real directory exports hold: broken encodings, HTML escaped twice, padded
codes, free-text languages. Pure functions, no database: every reader calls them, so the same
mess is cleaned the same way whatever the format."""

import html
import re
import unicodedata
from functools import cache

import nh3
import pycountry

# Common mojibake: UTF-8 bytes read as Windows-1252 ("MontrÃ©al", "Ã‰cole", "â€™").
_MOJIBAKE = re.compile(
    "[ÃÂâ][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u2013-\u203a\u20ac\u2122]"
)
_BLOCK_END = re.compile(r"(?i)<\s*(br\s*/?|/p|/li|/div|/h[1-6])\s*>")
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_NEEDS_WORK = re.compile(r"[&<\r\t]|\s\s|\n\s|\s\n")


def repair_encoding(text: str) -> str:
    """Undo UTF-8 read as Windows-1252 or Latin-1, sequence by sequence (a text may mix
    well-read and misread characters)."""
    if not _MOJIBAKE.search(text):
        return text
    return _MISREAD.sub(_reread, text)


_MISREAD = re.compile("[\u00c2-\u00f4][\u0080-\u00bf\u0152-\u0178\u017d\u017e\u2013-\u2122]{1,3}")


def _reread(match: re.Match[str]) -> str:
    for codec in ("cp1252", "latin-1"):
        try:
            return match[0].encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
    return match[0]


def plain_text(value: str) -> str:
    """Text as a person reads it: encoding repaired, HTML (escaped once or twice) unescaped,
    tags removed by nh3 (line breaks kept), spaces tidied. Templates escape it again on output."""
    if not _NEEDS_WORK.search(value) and (
        value.isascii()
        or (
            "\u00a0" not in value
            and unicodedata.is_normalized("NFC", value)
            and not _MOJIBAKE.search(value)
        )
    ):
        return value.strip()  # the common case (French text too), quickly: nothing to clean
    text = repair_encoding(unicodedata.normalize("NFC", value))
    if "&" in text or "<" in text:
        text = html.unescape(html.unescape(text))
        if "<" in text:
            text = _BLOCK_END.sub("\n", text)
            text = html.unescape(nh3.clean(text, tags=set()))
    text = _SPACES.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _BLANK_LINES.sub("\n\n", "\n".join(line.strip() for line in text.split("\n")))
    return text.strip()


def code(value: str) -> str:
    """An identifier or code as given, without the padding fixed-width exports add."""
    return value.strip().lstrip("\ufeff").strip()


# Names pycountry does not know under the spelling directories use, and French names.
_LANGUAGE_ALIASES = {
    "punjabi": "pan",
    "pendjabi": "pan",
    "farsi": "fas",
    "persian": "fas",
    "persan": "fas",
    "dari": "prs",
    "mandarin": "cmn",
    "cantonese": "yue",
    "cantonais": "yue",
    "chinese": "zho",
    "chinois": "zho",
    "filipino": "fil",
    "tagalog": "tgl",
    "haitian creole": "hat",
    "creole": "hat",
    "créole": "hat",
    "créole haïtien": "hat",
    "asl": "ase",
    "american sign language": "ase",
    "lsq": "fcs",
    "langue des signes québécoise": "fcs",
    "quebec sign language": "fcs",
    "sign language": "sgn",
    "ojibwe": "oji",
    "ojibway": "oji",
    "cree": "cre",
    "cri": "cre",
    "inuktitut": "iku",
    "kurdish": "kur",
    "pashto": "pus",
    "nepali": "nep",
    "swahili": "swa",
    "malay": "msa",
    "greek": "ell",
    "anglais": "eng",
    "français": "fra",
    "francais": "fra",
    "espagnol": "spa",
    "arabe": "ara",
    "ukrainien": "ukr",
    "russe": "rus",
    "portugais": "por",
    "allemand": "deu",
    "italien": "ita",
    "polonais": "pol",
    "vietnamien": "vie",
    "coréen": "kor",
    "tigrigna": "tir",
    "tigrinya": "tir",
    "somalien": "som",
    "ourdou": "urd",
    "turc": "tur",
    "roumain": "ron",
    "hongrois": "hun",
    "amharique": "amh",
    "hindi": "hin",
    "bengali": "ben",
}
_QUALIFIER = re.compile(
    r"\(.*?\)|\[.*?\]|\b(limited|some|basic|fluent|on request|by request)\b", re.I
)
_SEPARATORS = re.compile(r"\s*(?:/|,|;|&|\+|\band\b|\bet\b|\bor\b|\bou\b)\s*", re.I)


@cache
def language_code(name: str) -> str | None:
    """One language name or code ("Spanish", "es", "spa", "Punjabi") to ISO 639-3, or None."""
    key = name.strip().casefold()
    if not key:
        return None
    if key in _LANGUAGE_ALIASES:
        return _LANGUAGE_ALIASES[key]
    try:
        language = pycountry.languages.lookup(key)
    except LookupError:
        return None
    return str(language.alpha_3)


def languages(text: str) -> tuple[list[tuple[str, str]], list[str]]:
    """Free text to ISO 639-3 codes: "Spanish (limited)", "Punjabi/Hindi" -> [(code, note)].

    Returns the languages found (with what was said about each, e.g. "limited") and the parts
    that name no language, for the import report."""
    found: list[tuple[str, str]] = []
    unknown: list[str] = []
    for part in _SEPARATORS.split(plain_text(text)):
        if not part.strip():
            continue
        note = " ".join(m.group(0).strip("()[] ") for m in _QUALIFIER.finditer(part)).strip()
        bare = _QUALIFIER.sub(" ", part).strip(" .-")
        found_code = language_code(bare)
        if found_code is None:
            unknown.append(part.strip())
        elif found_code not in {c for c, _n in found}:
            found.append((found_code, note))
    return found, unknown


def language_name(iso639_3: str) -> str:
    """The English name of an ISO 639-3 code, for HSDS's `name` field."""
    language = pycountry.languages.get(alpha_3=iso639_3)
    return str(language.name) if language is not None else iso639_3
