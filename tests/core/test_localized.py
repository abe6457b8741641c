"""One accessor for bilingual text: the page's language, or the other one, marked as such."""

from types import SimpleNamespace

from django.utils import translation

from welcoming.core.text import localized


def test_a_french_page_falls_back_to_english_and_says_so() -> None:
    record = SimpleNamespace(name_en="Welcome Centre", name_fr="")
    with translation.override("fr"):
        text = localized(record, "name")
    assert (text.text, text.lang) == ("Welcome Centre", "en")


def test_each_language_when_both_exist() -> None:
    record = SimpleNamespace(name_en="Welcome Centre", name_fr="Centre d'accueil")
    assert localized(record, "name", "fr").lang == "fr"
    assert str(localized(record, "name", "en")) == "Welcome Centre"


def test_nothing_in_either_language_is_empty() -> None:
    assert not localized(SimpleNamespace(name_en="", name_fr=None), "name", "fr")
