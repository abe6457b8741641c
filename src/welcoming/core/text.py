"""Text folding for accent- and case-insensitive search that works the same on every database."""

import unicodedata


def fold(text: str) -> str:
    """Lower-case, strip accents, punctuation to spaces: "Montréal (V)" -> "montreal v"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join("".join(ch if ch.isalnum() else " " for ch in bare).split())
