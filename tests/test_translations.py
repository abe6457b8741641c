"""French everywhere: the catalogue is complete and up to date, content models are bilingual."""

import os
import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from modeltranslation.translator import translator

import welcoming

PACKAGE = Path(welcoming.__file__).parent
CATALOGUE = PACKAGE / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def _messages(path: Path) -> set[tuple[str | None, str]]:
    return {(entry.msgctxt, entry.msgid) for entry in polib.pofile(str(path)) if not entry.obsolete}


def test_every_french_message_is_translated_and_not_fuzzy() -> None:
    catalogue = polib.pofile(str(CATALOGUE))
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy: {fuzzy}"


def test_catalogue_matches_the_source(tmp_path: Path, settings) -> None:
    """`make messages` would not change the catalogue: no message is missing or left over."""
    source = tmp_path / "source"
    shutil.copytree(PACKAGE, source, ignore=shutil.ignore_patterns("data", "locale", "__pycache__"))
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    cwd = Path.cwd()
    os.chdir(source)
    try:
        call_command("makemessages", locale=["fr"], no_location=True, verbosity=0)
    finally:
        os.chdir(cwd)
    fresh = _messages(tmp_path / "locale" / "fr" / "LC_MESSAGES" / "django.po")
    committed = _messages(CATALOGUE)
    assert not fresh - committed, f"missing from the catalogue: {sorted(fresh - committed)}"
    assert not committed - fresh, f"no longer in the source: {sorted(committed - fresh)}"


@pytest.mark.parametrize("model", translator.get_registered_models(), ids=lambda m: m.__name__)
def test_content_models_have_english_and_french_fields(model) -> None:
    options = translator.get_options_for_model(model)
    for field in options.fields:
        names = {f.name for f in model._meta.get_fields()}
        assert {f"{field}_en", f"{field}_fr"} <= names
