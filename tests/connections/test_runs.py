"""Match runs: proposals with their score terms, reasons for the unmatched, incremental runs,
background runs followed by their progress, and refusals."""

import pytest
from django.core.exceptions import PermissionDenied

from welcoming.accounts.models import Role
from welcoming.connections.lifecycle import match_accept, match_hold
from welcoming.connections.models import Match, MatchRun
from welcoming.connections.runs import match_run_create

from .workflow_people import agency

pytestmark = pytest.mark.django_db


def test_a_run_proposes_each_newcomer_a_host_with_the_terms_of_its_score() -> None:
    sample = agency()
    newcomers = [sample.newcomer() for _ in range(2)]
    hosts = [sample.host() for _ in range(2)]
    run = match_run_create(program=sample.program, solver="optimal", actor=sample.coordinator)
    assert run.status == MatchRun.Status.FINISHED
    assert (run.newcomers_count, run.hosts_count, run.proposals_count) == (2, 2, 2)
    matches = Match.objects.filter(run=run).prefetch_related("match_hosts")
    assert {m.newcomer_id for m in matches} == {n.pk for n in newcomers}
    assert {row.host_id for m in matches for row in m.match_hosts.all()} == {h.pk for h in hosts}
    for match in matches:
        (row,) = match.match_hosts.all()
        assert {t["name"] for t in row.terms} >= {"language", "distance"}
        assert match.score == pytest.approx(row.score)
        assert match.status == Match.Status.PROPOSED


def test_an_unmatched_newcomer_keeps_the_reasons() -> None:
    sample = agency()
    sample.newcomer(languages=[("tir", 4)])
    sample.host(languages=[("eng", 4)])
    run = match_run_create(program=sample.program, solver="optimal", actor=sample.coordinator)
    assert run.unmatched_count == 1
    (unmatched,) = run.unmatched
    assert [e["constraint"] for e in unmatched["exclusions"]] == ["language"]
    assert unmatched["exclusions"][0]["detail"] == "tir"


def test_a_dry_run_keeps_totals_but_proposes_nothing() -> None:
    sample = agency()
    sample.newcomer()
    sample.host()
    run = match_run_create(
        program=sample.program, solver="stable", actor=sample.coordinator, dry_run=True
    )
    assert (run.status, run.proposals_count, run.dry_run) == ("finished", 1, True)
    assert not Match.objects.exists()


def test_a_new_run_replaces_untouched_proposals_and_keeps_decided_ones() -> None:
    sample = agency()
    first, second, third = (sample.newcomer() for _ in range(3))
    sample.host(capacity=1)
    sample.host(capacity=1)
    run = match_run_create(program=sample.program, solver="optimal", actor=sample.coordinator)
    assert run.proposals_count == 2
    proposals = list(Match.objects.filter(run=run))
    accepted = match_accept(
        match=proposals[0], expected=proposals[0].version, actor=sample.coordinator
    )
    held = match_hold(match=proposals[1], expected=proposals[1].version, actor=sample.coordinator)

    again = match_run_create(program=sample.program, solver="optimal", actor=sample.coordinator)
    # Both hosts' places are taken by the kept matches: nothing new is proposed.
    assert again.proposals_count == 0
    assert set(Match.objects.values_list("pk", flat=True)) == {accepted.pk, held.pk}
    waiting = {first.pk, second.pk, third.pk} - {accepted.newcomer_id, held.newcomer_id}
    assert {u["newcomer_id"] for u in again.unmatched} == {str(pk) for pk in waiting}


def test_an_incremental_run_fills_the_capacity_left() -> None:
    sample = agency()
    for _ in range(3):
        sample.newcomer()
    sample.host(kind="network", capacity=2)
    run = match_run_create(program=sample.program, solver="optimal", actor=sample.coordinator)
    assert run.proposals_count == 2
    for match in Match.objects.filter(run=run):
        match_accept(match=match, expected=match.version, actor=sample.coordinator)
    sample.host()  # one more place
    again = match_run_create(program=sample.program, solver="optimal", actor=sample.coordinator)
    assert (again.proposals_count, again.unmatched_count) == (1, 0)
    assert Match.objects.count() == 3


def test_a_large_run_goes_to_a_worker_and_reports_progress() -> None:
    sample = agency()
    sample.newcomer()
    sample.host()
    run = match_run_create(
        program=sample.program, solver="optimal", actor=sample.coordinator, background=True
    )
    # The test settings run tasks at once; a real worker takes it from the database.
    assert (run.status, run.progress, run.proposals_count) == ("finished", 100, 1)


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.FUNDER_OFFICER, Role.NEWCOMER])
def test_only_the_programs_staff_may_run_a_matching(role: Role) -> None:
    sample = agency()
    with pytest.raises(PermissionDenied):
        match_run_create(program=sample.program, solver="optimal", actor=sample.member(role))
    other = agency("Other agency")
    with pytest.raises(PermissionDenied):
        match_run_create(program=sample.program, solver="optimal", actor=other.coordinator)
    assert not MatchRun.objects.exists()


def test_an_unknown_solver_is_refused() -> None:
    sample = agency()
    with pytest.raises(ValueError, match="optimal or the stable"):
        match_run_create(program=sample.program, solver="greedy", actor=sample.coordinator)


def test_a_large_run_uses_the_worker_processes_and_proposes_what_one_process_would(
    monkeypatch: pytest.MonkeyPatch, settings
) -> None:
    from welcoming.connections import runs

    sample = agency()
    for _ in range(4):
        sample.newcomer()
    for _ in range(3):
        sample.host(capacity=1)
    used: list[int] = []
    solve = runs.solve

    def counting_solve(*args, **kwargs):  # type: ignore[no-untyped-def]
        used.append(kwargs.get("processes", 1))
        return solve(*args, **kwargs)

    monkeypatch.setattr(runs, "solve", counting_solve)
    small = match_run_create(
        program=sample.program, solver="optimal", actor=sample.coordinator, dry_run=True
    )
    monkeypatch.setattr(runs, "BACKGROUND_FROM", 2)
    settings.WELCOMING_MATCHING_PROCESSES = 2
    large = match_run_create(
        program=sample.program, solver="optimal", actor=sample.coordinator, dry_run=True
    )
    assert used == [1, 2]
    assert large.status == MatchRun.Status.FINISHED
    assert (large.proposals_count, large.unmatched) == (small.proposals_count, small.unmatched)
