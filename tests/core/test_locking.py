"""Optimistic locking: a save from a version that is no longer the latest is refused."""

from collections.abc import Iterator

import pytest
from django.db import connection, models
from django.test.utils import isolate_apps

from welcoming.core.locking import (
    STALE_EDIT,
    StaleEdit,
    Versioned,
    VersionedForm,
    version_check,
    versioned_update,
)


@pytest.fixture
def note_model() -> Iterator[type[Versioned]]:
    """A record edited in place, in a table made for the test (no app of ours needs one yet)."""
    with isolate_apps("welcoming.core"):

        class Note(Versioned):
            text = models.CharField(max_length=40)

            class Meta:
                app_label = "core"

        with connection.schema_editor() as editor:
            editor.create_model(Note)
        try:
            yield Note
        finally:
            with connection.schema_editor() as editor:
                editor.delete_model(Note)


@pytest.mark.django_db(transaction=True)
def test_an_update_from_the_current_version_saves_and_counts_the_version_up(note_model) -> None:
    note = note_model.objects.create(text="first")
    saved = versioned_update(note, expected=1, text="second")
    assert (saved.text, saved.version) == ("second", 2)


@pytest.mark.django_db(transaction=True)
def test_an_update_from_an_older_version_is_refused_and_changes_nothing(note_model) -> None:
    note = note_model.objects.create(text="first")
    mine, theirs = note_model.objects.get(pk=note.pk), note_model.objects.get(pk=note.pk)
    versioned_update(theirs, expected=theirs.version, text="theirs")
    with pytest.raises(StaleEdit) as refused:
        versioned_update(mine, expected=mine.version, text="mine")
    assert (refused.value.expected, refused.value.current) == (1, 2)
    assert note_model.objects.get(pk=note.pk).text == "theirs"


def test_a_check_against_the_latest_version() -> None:
    version_check(current=3, expected=3)
    version_check(current=3, expected=None)  # a writer that read nothing first
    with pytest.raises(StaleEdit):
        version_check(current=4, expected=3)


def test_the_message_says_what_happened_and_what_to_do() -> None:
    assert "changed by someone else since you opened it" in str(STALE_EDIT)
    assert StaleEdit(expected=1, current=2).message == STALE_EDIT


def test_a_versioned_form_needs_the_version_it_was_opened_on() -> None:
    assert not VersionedForm(data={}).is_valid()
    form = VersionedForm(data={"version": "2"})
    assert form.is_valid() and form.cleaned_data["version"] == 2
    assert 'type="hidden"' in str(form["version"])
