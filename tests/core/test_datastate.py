"""The data state: the tables each app registers, read in one query, at most once a request."""

import pytest

from welcoming.core import datastate
from welcoming.core.models import Organization
from welcoming.indicators.models import ImportBatch

pytestmark = pytest.mark.django_db


def _position(label: str) -> int:
    return [s.model._meta.label for s in datastate.sources()].index(label)


def test_every_table_that_feeds_a_score_is_registered_by_its_own_app() -> None:
    labels = {s.model._meta.label for s in datastate.sources()}
    assert {
        "indicators.ImportBatch",
        "indicators.IndicatorValue",
        "indicators.HistoricalIndicatorValue",
        "indicators.HistoricalIndicator",
        "framework.HistoricalCharacteristic",
        "framework.HistoricalCharacteristicGroup",
        "framework.HistoricalQolrsCategory",
        "core.HistoricalCommunity",
        "scorecards.ScoringProfile",  # a new version of a profile is a new row
    } <= labels


def test_the_state_holds_the_key_and_time_of_the_newest_import() -> None:
    """A database created anew repeats row ids, not times: its scores are never the old ones."""
    batch = ImportBatch.objects.create(file_name="x.csv", sha256="0" * 64, format="tidy")
    state = datastate.data_state()
    earlier = datastate.sources()[: _position("indicators.ImportBatch")]
    at = sum(1 + (s.time is not None) for s in earlier)
    newest_id, newest_time = state[at : at + 2]
    assert newest_id == batch.pk
    assert newest_time.replace(tzinfo=None) == batch.imported_at.replace(tzinfo=None)  # UTC


def test_a_registered_change_gives_a_new_state_an_unregistered_one_does_not() -> None:
    before = datastate.data_state()
    Organization.objects.create(name="Unrelated", sector=Organization.Sector.LIBRARY)
    assert datastate.data_state() == before
    ImportBatch.objects.create(file_name="x.csv", sha256="0" * 64, format="tidy")
    assert datastate.data_state() != before


def test_the_state_is_one_query(django_assert_num_queries) -> None:
    with django_assert_num_queries(1):
        datastate.data_state()


def test_a_request_asks_the_database_once_until_a_registered_model_changes(
    django_assert_num_queries,
) -> None:
    datastate._request_started()  # as Django's handler signals it
    try:
        with django_assert_num_queries(1):
            first = datastate.data_state()
            assert datastate.data_state() == first
        ImportBatch.objects.create(file_name="x.csv", sha256="0" * 64, format="tidy")
        with django_assert_num_queries(1):
            assert datastate.data_state() != first
            datastate.data_state()
    finally:
        datastate._request_finished()
    with django_assert_num_queries(2):  # outside a request (CLI, worker): always fresh
        datastate.data_state()
        datastate.data_state()


def test_registering_again_replaces_the_entry() -> None:
    count = len(datastate.sources())
    datastate.register(ImportBatch, time="imported_at")
    assert len(datastate.sources()) == count
