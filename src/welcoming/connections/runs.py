"""Match runs: the engine proposes matches for a program's waiting newcomers; people decide.

A run reads the program's people into the engine's problem (`selectors.matching_problem_for`),
solves it (`engines.matching.solve`, pure) and keeps the proposals as `Match` rows in status
proposed, with each pair's score terms, and the reasons each unmatched newcomer was left out.
Runs are incremental: live matches (introduced, active, accepted or held proposals) are kept and
the engine fills the hosts' remaining capacity; the proposals nobody acted on are replaced.

A large run goes to a worker (`welcoming worker`, like imports) and the page follows its
progress; a small one runs in the request. The CLI always runs in its own process and waits.
"""

import logging
from collections import defaultdict
from dataclasses import asdict
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from welcoming.accounts.models import User
from welcoming.core.history import acting_as
from welcoming.engines.matching import Result, Solver, solve

from .models import Match, MatchHost, MatchRun, NewcomerProfile, Program
from .selectors import matching_problem_for

logger = logging.getLogger(__name__)

BACKGROUND_FROM = 500
"""Waiting newcomers from which a run started on a page goes to a worker."""

MAY_NOT_RUN = _("You may not run a matching for this program.")
UNKNOWN_SOLVER = _("Choose the optimal or the stable solver.")
RUN_FAILED = _(
    "An unexpected error stopped the run: no proposal was made. The operators' log has the "
    "details (run %(run)d)."
)


def match_run_create(
    *,
    program: Program,
    solver: str,
    actor: User,
    dry_run: bool = False,
    background: bool | None = None,
    seed: int = 0,
) -> MatchRun:
    """Start a run for `program`; in the background when `background` is True (None: when the
    program has many waiting newcomers). A dry run keeps the totals and reasons, no proposal."""
    if not actor.has_perm("connections.run_matching", program):
        raise PermissionDenied(MAY_NOT_RUN)
    if solver not in MatchRun.Solver.values:
        raise ValueError(str(UNKNOWN_SOLVER))
    run = MatchRun(program=program, solver=solver, dry_run=dry_run, seed=seed, actor=actor)
    run.full_clean()
    run.save()
    if background is None:
        waiting = NewcomerProfile.objects.filter(
            programs=program, status=NewcomerProfile.Status.WAITING
        ).count()
        background = waiting >= BACKGROUND_FROM
    if background:
        from .tasks import match_run_execute_task  # the task module imports this one

        match_run_execute_task.enqueue(run_id=run.pk)
        run.refresh_from_db()  # an immediate backend (tests) has run it already
        return run
    return match_run_execute(run_id=run.pk)


def _progress(run: MatchRun, percent: int) -> None:
    MatchRun.objects.filter(pk=run.pk).update(progress=percent)


def match_run_execute(*, run_id: int) -> MatchRun:
    """Run a queued run and record how it ended; a run already taken is left as it is."""
    taken = MatchRun.objects.filter(pk=run_id, status=MatchRun.Status.QUEUED).update(
        status=MatchRun.Status.RUNNING, started_at=timezone.now(), progress=5
    )
    run = MatchRun.objects.select_related("program", "actor").get(pk=run_id)
    if not taken:
        return run
    try:
        if not run.actor.has_perm("connections.run_matching", run.program):
            raise PermissionDenied(MAY_NOT_RUN)
        problem = matching_problem_for(program=run.program, seed=run.seed)
        _progress(run, 30)
        large = len(problem.newcomers) >= BACKGROUND_FROM
        processes = settings.WELCOMING_MATCHING_PROCESSES if large else 1
        result = solve(problem, solver=cast(Solver, run.solver), processes=processes)
        _progress(run, 80)
        run.newcomers_count = len(problem.newcomers)
        run.hosts_count = len(problem.hosts)
        _run_save(run, result)
    except PermissionDenied as refused:
        _run_failed(run, str(refused))
    except Exception:
        logger.exception("Match run %d failed", run.pk)
        _run_failed(run, str(RUN_FAILED % {"run": run.pk}))
    run.refresh_from_db()
    return run


def _run_failed(run: MatchRun, error: str) -> None:
    MatchRun.objects.filter(pk=run.pk).update(
        status=MatchRun.Status.FAILED, error=error, finished_at=timezone.now(), progress=100
    )


def replaceable_proposals(program: Program) -> Any:
    """Proposals nobody acted on yet: not accepted, not held. A new run replaces them."""
    return Match.objects.filter(
        program=program, status=Match.Status.PROPOSED, held=False, accepted_at__isnull=True
    )


@transaction.atomic
def _run_save(run: MatchRun, result: Result) -> None:
    """The result as proposals, in one transaction: all of them or none."""
    pairs: dict[str, list[Any]] = defaultdict(list)
    for proposal in result.proposals:
        pairs[proposal.newcomer_id].append(proposal)
    if not run.dry_run:
        with acting_as(run.actor):
            replaceable_proposals(run.program).delete()
            _proposals_save(run, pairs)
    run.proposals_count = len(pairs)
    run.unmatched = [asdict(u) for u in result.unmatched]
    run.unmatched_count = len(result.unmatched)
    run.blocking_pairs_count = len(result.blocking_pairs)
    run.total_score = result.total_score
    run.status = MatchRun.Status.FINISHED
    run.progress = 100
    run.finished_at = timezone.now()
    run.full_clean()
    run.save()


def _proposals_save(run: MatchRun, pairs: dict[str, list[Any]]) -> None:
    matches = Match.objects.bulk_create(
        [
            Match(
                run=run,
                program=run.program,
                newcomer_id=int(newcomer_id),
                score=sum(p.score for p in proposals),
            )
            for newcomer_id, proposals in pairs.items()
        ]
    )
    MatchHost.objects.bulk_create(
        [
            MatchHost(
                match=match,
                host_id=int(proposal.host_id),
                score=proposal.score,
                terms=[asdict(term) for term in proposal.terms],
            )
            for match, proposals in zip(matches, pairs.values(), strict=True)
            for proposal in proposals
        ]
    )
