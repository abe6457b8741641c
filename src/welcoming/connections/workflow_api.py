"""The coordinator's workflow in the API: start a match run and follow it, list a program's
matches and take each one through its life, log and list interactions.

The same services as the pages decide (runs.py, lifecycle.py, activities.py) under the same
rules; a program, run or match the person may not see answers 404. A decision names the match's
`version` it was made from: 409 when the match changed since (nothing is saved); a step the
match's state does not allow, or a swap that breaks a hard constraint, answers 422 with why.
"""

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from welcoming.accounts.auth import ScopeRefusedOut, authenticated, token_or_session
from welcoming.accounts.models import Scope
from welcoming.core.api import Page
from welcoming.core.locking import StaleEdit

from . import lifecycle
from .activities import interaction_log
from .api import DetailOut, FieldErrorsOut, _actor, _rejected, _visible
from .explanations import unmatched_lines
from .models import Interaction, Match, MatchRun, Program
from .runs import match_run_create
from .selectors import match_detail, matches_of_program

router = Router(tags=["connections"])
writing = token_or_session(Scope.WRITE_CONNECTIONS)


class RunIn(Schema):
    solver: Literal["optimal", "stable"] = "optimal"
    dry_run: bool = Field(False, description="Totals and reasons only; no proposal is made.")


class UnmatchedOut(Schema):
    newcomer_id: int
    summary: str = Field(description="Why no host was left, in the client's language.")
    reasons: list[str] = Field(description="How many hosts each constraint removed.")


class RunOut(Schema):
    id: int
    program_id: int
    solver: str
    status: MatchRun.Status = Field(
        description="queued, running, finished or failed; the last two are final."
    )
    progress: int = Field(description="Percent done.")
    dry_run: bool
    created_at: datetime
    finished_at: datetime | None
    newcomers_count: int
    hosts_count: int
    proposals_count: int
    unmatched_count: int
    blocking_pairs_count: int
    total_score: float
    error: str = Field(description="When failed: why; empty otherwise.")
    unmatched: list[UnmatchedOut] = Field(description="When finished: the newcomers left out.")

    @staticmethod
    def resolve_unmatched(run: MatchRun) -> list[dict[str, Any]]:
        return [
            {"newcomer_id": line.newcomer_id, "summary": line.summary, "reasons": line.reasons}
            for line in unmatched_lines(run.unmatched)
        ]


class TermOut(Schema):
    name: str
    value: float = Field(description="0 to 1, before weighting.")
    weight: float


class MatchHostOut(Schema):
    host_id: int
    score: float
    terms: list[TermOut]
    confirmed_at: datetime | None


class MatchOut(Schema):
    id: int
    version: int
    program_id: int
    run_id: int | None
    newcomer_id: int
    hosts: list[MatchHostOut]
    score: float
    status: Match.Status
    accepted_at: datetime | None
    held: bool
    newcomer_confirmed_at: datetime | None
    introduced_at: datetime | None
    started_at: datetime | None
    closed_at: datetime | None
    end_reason: str

    @staticmethod
    def resolve_hosts(match: Match) -> list[Any]:
        return list(match.match_hosts.all())


class DecisionIn(Schema):
    action: Literal[
        "accept", "reject", "hold", "release", "introduce", "confirm", "complete", "end"
    ]
    version: int = Field(ge=1, description="The match's version the decision was made from.")
    side: str = Field(
        "", description='For "confirm": "newcomer" or the id of the host who confirmed.'
    )
    reason: Match.EndReason | Literal[""] = Field("", description='For "end": why.')
    note: str = Field("", max_length=280)


class MatchSwapIn(Schema):
    first: int = Field(description="One proposal of the run (a match id).")
    second: int = Field(description="The other proposal of the run.")
    first_version: int = Field(ge=1, description="The first proposal's version, as read.")
    second_version: int = Field(ge=1, description="The second proposal's version, as read.")


class MatchSwapOut(Schema):
    first: MatchOut = Field(description="The first proposal, with the second's host.")
    second: MatchOut = Field(description="The second proposal, with the first's host.")


class InteractionIn(Schema):
    date: date
    kind: Interaction.Kind
    duration_minutes: int = Field(ge=1, le=1440)
    note: str = Field("", max_length=280)


class InteractionOut(Schema):
    id: int
    match_id: int
    date: date
    kind: Interaction.Kind
    duration_minutes: int
    note: str
    created_at: datetime


def _answer(decide: Callable[[], object], detail: str) -> Status[object]:
    """200 with what the decision gives; 409 when a match changed since the version sent; 422
    with why the step was refused (by field when the service names one)."""
    try:
        return Status(200, decide())
    except StaleEdit as stale:
        return Status(409, {"detail": str(stale.message)})
    except ValidationError as refused:
        return _rejected(refused, detail)


def _run_of(request: HttpRequest, run_id: int) -> MatchRun:
    run: MatchRun = _visible(request, MatchRun, run_id, "connections.run_matching")
    return run


def _match_of(request: HttpRequest, match_id: int) -> Match:
    match = match_detail(pk=match_id)
    if match is None or not request.user.has_perm("connections.view_match", match):
        raise Http404(_("Nothing was found at this address."))
    return match


@router.post(
    "/programs/{program_id}/runs",
    response={201: RunOut, 202: RunOut, 403: ScopeRefusedOut},
    auth=writing,
    summary="Run a matching for a program",
)
def run_start(request: HttpRequest, program_id: int, body: RunIn) -> Status[object]:
    """Propose hosts for the program's waiting newcomers. 201 with the finished run when it ran
    at once; 202 when a worker runs it (large programs): follow `GET /connections/runs/{id}`."""
    program = _visible(request, Program, program_id, "connections.run_matching")
    run = match_run_create(
        program=program, solver=body.solver, dry_run=body.dry_run, actor=_actor(request)
    )
    return Status(201 if run.status == MatchRun.Status.FINISHED else 202, run)


@router.get("/runs/{run_id}", response=RunOut, auth=authenticated)
def run_status(request: HttpRequest, run_id: int) -> MatchRun:
    """Where a run is, and once finished its totals and why each unmatched newcomer was left."""
    return _run_of(request, run_id)


@router.get("/programs/{program_id}/matches", response=list[MatchOut], auth=authenticated)
@paginate(Page)
def match_list(
    request: HttpRequest, program_id: int, status: Query[Match.Status | None] = None
) -> Any:
    """The program's matches, best score first, with each host's score terms."""
    program = _visible(request, Program, program_id, "connections.change_match")
    return matches_of_program(program=program, status=status)


@router.get("/matches/{match_id}", response=MatchOut, auth=authenticated)
def match_read(request: HttpRequest, match_id: int) -> Match:
    return _match_of(request, match_id)


@router.post(
    "/matches/{match_id}/decide",
    response={200: MatchOut, 403: ScopeRefusedOut, 409: DetailOut, 422: FieldErrorsOut},
    auth=writing,
    summary="Take a match to its next step",
)
def match_decide(request: HttpRequest, match_id: int, body: DecisionIn) -> Status[object]:
    """accept, reject, hold or release a proposal; introduce an accepted one (both sides are
    mailed in their own language); confirm for one side; complete or end (with a reason)."""
    match = _match_of(request, match_id)

    def decide() -> Match | None:
        decided, _sent = lifecycle.match_decide(
            match=match,
            action=body.action,
            expected=body.version,
            actor=_actor(request),
            link=request.build_absolute_uri,
            side=body.side,
            reason=body.reason,
            note=body.note,
        )
        return match_detail(pk=decided.pk)

    return _answer(decide, _("The match was not changed."))


@router.post(
    "/runs/{run_id}/swap",
    response={200: MatchSwapOut, 403: ScopeRefusedOut, 409: DetailOut, 422: FieldErrorsOut},
    auth=writing,
    summary="Swap the hosts of two proposals",
)
def match_swap(request: HttpRequest, run_id: int, body: MatchSwapIn) -> Status[object]:
    """Exchange the hosts of two one-host proposals of the run, as the run's page does: each new
    pair is scored by the engine; a pair that breaks a hard constraint refuses the swap (422,
    naming `first` or `second` with the reason). 409 when either changed since it was read."""
    run = _run_of(request, run_id)

    def swap() -> dict[str, Match | None]:
        first, second = lifecycle.swap_proposals(run=run, first=body.first, second=body.second)
        first, second = lifecycle.match_swap(
            first=first,
            second=second,
            expected=(body.first_version, body.second_version),
            actor=_actor(request),
        )
        return {"first": match_detail(pk=first.pk), "second": match_detail(pk=second.pk)}

    return _answer(swap, _("The hosts were not swapped."))


@router.get("/matches/{match_id}/interactions", response=list[InteractionOut], auth=authenticated)
@paginate(Page)
def interaction_list(request: HttpRequest, match_id: int) -> Any:
    """A match's interactions, latest first: for its staff and the people in it."""
    return _match_of(request, match_id).interactions.order_by("-date", "-pk")


@router.post(
    "/matches/{match_id}/interactions",
    response={201: InteractionOut, 403: ScopeRefusedOut, 422: FieldErrorsOut},
    auth=writing,
    summary="Log an interaction",
)
def interaction_create(request: HttpRequest, match_id: int, body: InteractionIn) -> Status[object]:
    """A meeting, call or outing of an introduced or active match, by its staff or a host."""
    match = _match_of(request, match_id)
    try:
        interaction = interaction_log(match=match, actor=_actor(request), **body.model_dump())
    except ValidationError as refused:
        return _rejected(refused, _("The interaction was not logged."))
    return Status(201, interaction)
