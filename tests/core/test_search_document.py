"""An index row's text: every field folded, each word once, in the order first met."""

from hypothesis import given
from hypothesis import strategies as st

from welcoming.core.search import document
from welcoming.core.text import fold


def _field_by_field(*texts: str | None) -> str:
    seen: dict[str, None] = {}
    for text in texts:
        for word in fold(text or "").split():
            seen.setdefault(word, None)
    return " ".join(seen)


def test_a_document_folds_and_keeps_each_word_once() -> None:
    assert document("Aide à l'établissement", None, "AIDE (Montréal)", "") == (
        "aide a l etablissement montreal"
    )


@given(st.lists(st.none() | st.text(), max_size=6))
def test_folding_the_fields_together_is_folding_each(texts: list[str | None]) -> None:
    assert document(*texts) == _field_by_field(*texts)
