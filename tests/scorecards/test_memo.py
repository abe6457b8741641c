"""Scores kept per state of the data, shared between processes through the `scores` cache."""

import io

import pytest
from django.core.management import call_command

from welcoming.indicators.models import ImportBatch
from welcoming.scorecards import memo, services
from welcoming.scorecards.models import ScoringProfile
from welcoming.scorecards.selectors import scorecard_periods, scoring_profile_current

pytestmark = pytest.mark.django_db

calls: list[str] = []


@memo.per_data_state
def counted(*, label: str) -> str:
    calls.append(label)
    return label.upper()


@memo.per_data_state(shared=False)
def in_process_only(*, label: str) -> str:
    calls.append(label)
    return label


def test_a_result_computed_once_serves_another_process() -> None:
    calls.clear()
    assert counted(label="a") == "A"
    memo.forget_in_process()  # as a second worker process: the shared cache only
    assert counted(label="a") == "A" and calls == ["a"]
    assert counted(label="b") == "B" and calls == ["a", "b"]


def test_a_result_kept_in_process_only_is_computed_again_elsewhere() -> None:
    calls.clear()
    in_process_only(label="a")
    in_process_only(label="a")
    memo.forget_in_process()
    in_process_only(label="a")
    assert calls == ["a", "a"]


def test_a_change_of_the_data_gives_a_new_key() -> None:
    calls.clear()
    counted(label="a")
    ImportBatch.objects.create(file_name="x.csv", sha256="0" * 64, format="tidy")
    counted(label="a")
    assert calls == ["a", "a"]


def test_the_key_names_the_function_the_state_and_the_arguments() -> None:
    profile = ScoringProfile(pk=7, name="default", version=3)
    key = memo.shared_key("f", (1, 2), {"level": "cma", "profile": profile})
    assert key.startswith("f:")
    assert key == memo.shared_key("f", (1, 2), {"profile": profile, "level": "cma"})
    assert key != memo.shared_key("f", (1, 3), {"level": "cma", "profile": profile})
    assert key != memo.shared_key("g", (1, 2), {"level": "cma", "profile": profile})
    other = ScoringProfile(pk=8, name="default", version=4)
    assert key != memo.shared_key("f", (1, 2), {"level": "cma", "profile": other})


@pytest.mark.usefixtures("cma_data")
def test_warm_scorecards_scores_every_level_before_the_first_visit(monkeypatch) -> None:
    out = io.StringIO()
    call_command("warm_scorecards", stdout=out)
    assert "Scorecards ready" in out.getvalue()
    profile = scoring_profile_current()
    latest = scorecard_periods(level="cma")[0]

    def no_scoring(*args: object, **kwargs: object) -> None:
        raise AssertionError("scored again")

    monkeypatch.setattr(services, "score", no_scoring)
    monkeypatch.setattr(services, "monte_carlo", no_scoring)
    assert services.level_scored(level="cma", period=latest, profile=profile) is not None
    assert services.level_uncertainty(level="cma", period=latest, profile=profile) is not None


def test_warm_scorecards_without_data_says_so() -> None:
    out = io.StringIO()
    call_command("warm_scorecards", stdout=out)
    assert "nothing to score" in out.getvalue()


@pytest.mark.usefixtures("cma_data")
def test_a_scorecard_page_asks_for_the_data_state_once(client) -> None:
    """Several results kept per data state are read by one page: the state is asked once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/en/communities/535/scorecard/", {"period": "2023"})
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/en/communities/535/scorecard/", {"period": "2023"}).status_code == 200
    state_queries = [q for q in queries if "MAX(" in q["sql"] and "history_id" in q["sql"]]
    assert len(state_queries) == 1
