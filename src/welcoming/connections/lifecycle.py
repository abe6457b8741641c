"""A match's life, decided by people: the engine proposes, a coordinator accepts, rejects, holds
while it is discussed, or swaps hosts by hand; introductions go by mail to both sides, each in
their own language; both sides confirm; the match is then active until it is completed or ended
(with a reason).

    proposed ─accept─▶ proposed, accepted ─introduce─▶ introduced ─both confirm─▶ active
    proposed ─reject─▶ rejected        introduced or active ─end (reason)─▶ ended
                                       active ─complete─▶ completed

Every change names its actor, asks the permission with the match, and is saved only if the match
is still at the version the person saw (core.locking): a stale decision is refused, not applied.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from welcoming.accounts.models import User
from welcoming.core.history import acting_as
from welcoming.core.locking import versioned_update
from welcoming.engines.matching import Problem, solve
from welcoming.integrations.mail import send_templated_mail

from .explanations import unmatched_summary
from .languages import language_name
from .models import HostProfile, Match, MatchHost, MatchRun, NewcomerProfile
from .selectors import matching_host, matching_newcomer, matching_program, run_proposals

MAY_NOT_DECIDE = _("You may not decide on this match.")
NOT_PROPOSED = _("Only a proposal can be accepted, rejected, held or swapped.")
NOT_ACCEPTED = _("Accept the proposal before sending the introductions.")
NOT_INTRODUCED = _("Only an introduced match can be confirmed.")
CANNOT_END = _("Only an introduced or active match can end.")
CANNOT_COMPLETE = _("Only an active match can be completed.")
REASON_NEEDED = _("Say why the match ended.")
SWAP_SAME = _("Choose two different proposals of the same program, each with one host.")
NOT_A_PROPOSAL = _("No proposal of this run has the number %(id)s.")
SWAP_FIELDS = ("first", "second")
SWAP_REFUSED = _("This swap is refused: %(pair)s — %(reason)s")
UNKNOWN_SIDE = _("Say who confirmed: the newcomer or one of the match's hosts.")
LINK_NOT_VALID = _("This confirmation link is not valid, or the match has moved on.")

CONFIRM_SALT = "connections.match-confirm"
NEWCOMER = "newcomer"


class TransitionRefused(ValidationError):
    """The match is not in a state that allows this step; nothing was changed."""


@dataclass(frozen=True)
class PairEvaluation:
    """The engine's verdict on one newcomer with one host: a score and its terms, or, when a
    hard constraint forbids the pair, the reason in a sentence."""

    newcomer: NewcomerProfile
    host: HostProfile
    score: float | None
    terms: tuple[Mapping[str, Any], ...]
    refusal: str

    @property
    def allowed(self) -> bool:
        return self.score is not None


def pair_evaluate(*, newcomer: NewcomerProfile, host: HostProfile, program: Any) -> PairEvaluation:
    """Score one pair with the engine's own constraints and scoring: a problem of one newcomer and
    one host with a place free, so the verdict is the one a run would give this pair."""
    today = timezone.localdate()
    candidate = matching_host(host)
    problem = Problem(
        program=replace(matching_program(program), team_size=None),  # the pair alone
        newcomers=(matching_newcomer(newcomer, today=today),),
        hosts=(replace(candidate, capacity=1),),
        today=today,
    )
    result = solve(problem)
    if result.proposals:
        proposal = result.proposals[0]
        terms = tuple(asdict(t) for t in proposal.terms)
        return PairEvaluation(newcomer, host, proposal.score, terms, "")
    unmatched = result.unmatched[0]
    reason = unmatched_summary(
        [asdict(e) for e in unmatched.exclusions], radius_km=unmatched.radius_km
    )
    return PairEvaluation(newcomer, host, None, (), reason)


def _may_decide(actor: User, match: Match) -> None:
    if not actor.has_perm("connections.change_match", match):
        raise PermissionDenied(MAY_NOT_DECIDE)


def _refuse_unless(condition: bool, message: Any) -> None:
    if not condition:
        raise TransitionRefused(message, code="transition")


def _update(match: Match, *, expected: int, actor: User, **fields: Any) -> Match:
    """Write the step if the match is still at `expected` (core.locking), recorded as `actor`'s."""
    for name, value in fields.items():
        setattr(match, name, value)
    match.full_clean()
    with acting_as(actor):
        match = versioned_update(match, expected=expected, decided_by=actor, **fields)
        match.save(update_fields=["decided_by"])  # the UPDATE wrote no history; this does
    return match


def _newcomer_status(match: Match, status: str) -> None:
    NewcomerProfile.objects.filter(pk=match.newcomer_id).update(status=status)


@transaction.atomic
def match_accept(*, match: Match, expected: int, actor: User) -> Match:
    """The coordinator agrees with the proposal; the newcomer is no longer proposed elsewhere."""
    _may_decide(actor, match)
    _refuse_unless(
        match.status == Match.Status.PROPOSED and match.accepted_at is None, NOT_PROPOSED
    )
    match = _update(match, expected=expected, actor=actor, accepted_at=timezone.now(), held=False)
    _newcomer_status(match, NewcomerProfile.Status.MATCHED)
    return match


@transaction.atomic
def match_reject(*, match: Match, expected: int, actor: User) -> Match:
    """The coordinator turns the proposal down; the newcomer waits for the next run."""
    _may_decide(actor, match)
    _refuse_unless(match.status == Match.Status.PROPOSED, NOT_PROPOSED)
    match = _update(
        match,
        expected=expected,
        actor=actor,
        status=Match.Status.REJECTED,
        held=False,
        accepted_at=None,
        closed_at=timezone.now(),
    )
    _newcomer_status(match, NewcomerProfile.Status.WAITING)
    return match


@transaction.atomic
def match_hold(*, match: Match, expected: int, actor: User, held: bool = True) -> Match:
    """Keep the newcomer and the hosts' places out of other runs while the match is discussed
    (`held` False releases them)."""
    _may_decide(actor, match)
    _refuse_unless(
        match.status == Match.Status.PROPOSED and match.accepted_at is None, NOT_PROPOSED
    )
    match = _update(match, expected=expected, actor=actor, held=held)
    status = NewcomerProfile.Status.HELD if held else NewcomerProfile.Status.WAITING
    _newcomer_status(match, status)
    return match


def swap_proposals(*, run: MatchRun, first: object, second: object) -> tuple[Match, Match]:
    """The run's two proposals named by their numbers (as a page or the API gives them), or
    ValidationError naming the field: `first` or `second`."""
    ids = [int(str(n)) if str(n).isdigit() else 0 for n in (first, second)]
    found = {m.pk: m for m in run_proposals(run=run).filter(pk__in=ids)}
    for field, pk in zip(SWAP_FIELDS, ids, strict=True):
        if pk == 0:  # none chosen
            raise ValidationError({field: SWAP_SAME}, code="choice")
        if pk not in found:
            raise ValidationError({field: NOT_A_PROPOSAL % {"id": pk}}, code="choice")
    if ids[0] == ids[1]:
        raise ValidationError({"second": SWAP_SAME}, code="choice")
    return found[ids[0]], found[ids[1]]


@transaction.atomic
def match_swap(
    *, first: Match, second: Match, expected: tuple[int, int], actor: User
) -> tuple[Match, Match]:
    """Exchange the hosts of two proposals by hand. Each new pair is scored by the engine; a pair
    that breaks a hard constraint refuses the whole swap, with the reason. A refusal names the
    proposal it is about (`first` or `second`)."""
    for match, field in zip((first, second), SWAP_FIELDS, strict=True):
        _may_decide(actor, match)
        if not (match.status == Match.Status.PROPOSED and match.accepted_at is None):
            raise TransitionRefused({field: NOT_PROPOSED}, code="transition")
    rows = [_single_host(first), _single_host(second)]
    if not (first.pk != second.pk and first.program_id == second.program_id and all(rows)):
        raise TransitionRefused({"second": SWAP_SAME}, code="transition")
    one, two = rows[0], rows[1]
    assert one is not None and two is not None  # checked just above
    evaluations = match_swap_preview(first=first, second=second)
    for evaluation, field in zip(evaluations, SWAP_FIELDS, strict=True):
        if not evaluation.allowed:
            pair = f"{evaluation.newcomer} · {evaluation.host}"
            message = SWAP_REFUSED % {"pair": pair, "reason": evaluation.refusal}
            raise TransitionRefused({field: message}, code="constraint")
    swapped = []
    for match, row, evaluation, expect in zip(
        (first, second), (one, two), evaluations, expected, strict=True
    ):
        assert evaluation.score is not None
        match = _update(match, expected=expect, actor=actor, score=evaluation.score)
        MatchHost.objects.filter(pk=row.pk).update(
            host=evaluation.host, score=evaluation.score, terms=list(evaluation.terms)
        )
        swapped.append(match)
    return swapped[0], swapped[1]


def _single_host(match: Match) -> MatchHost | None:
    rows = list(match.match_hosts.select_related("host"))
    return rows[0] if len(rows) == 1 else None


def match_swap_preview(*, first: Match, second: Match) -> tuple[PairEvaluation, PairEvaluation]:
    """The two pairs a swap would make, each scored (or refused) by the engine."""
    one, two = _single_host(first), _single_host(second)
    if one is None or two is None:
        raise TransitionRefused(SWAP_SAME, code="transition")
    program = first.program
    return (
        pair_evaluate(newcomer=first.newcomer, host=two.host, program=program),
        pair_evaluate(newcomer=second.newcomer, host=one.host, program=program),
    )


# --- introductions and confirmations ----------------------------------------------------------


def confirmation_token(match: Match, side: str) -> str:
    """A signed link for one side to confirm: "newcomer" or a host's id."""
    return signing.dumps({"match": match.pk, "side": side}, salt=CONFIRM_SALT)


def confirmation_read(token: str) -> tuple[Match, str]:
    """The match and side a confirmation link names; ValidationError when it is not valid or
    the match is no longer waiting for confirmations."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=60 * 60 * 24 * 60)
        match = Match.objects.select_related("program", "newcomer").get(
            pk=data["match"], status=Match.Status.INTRODUCED
        )
    except (signing.BadSignature, Match.DoesNotExist, KeyError, TypeError) as error:
        raise ValidationError(LINK_NOT_VALID, code="link") from error
    side = str(data["side"])
    if side != NEWCOMER and _side_host(match, side) is None:
        raise ValidationError(LINK_NOT_VALID, code="link")
    return match, side


def _side_host(match: Match, side: str) -> int | None:
    """The id of the match's host named by `side`, or None."""
    if not side.isdigit():
        return None
    rows = match.match_hosts.filter(host_id=int(side))
    return int(side) if rows.exists() else None


@dataclass(frozen=True)
class Introduction:
    """Who was written to: each side's name and whether their mail went out (a side without an
    address is introduced by the coordinator, who records the confirmation)."""

    name: str
    language: str
    sent: bool


def _shared_languages(newcomer: NewcomerProfile, host: HostProfile, language: str) -> str:
    theirs = {row.code for row in host.languages.all()}
    codes = [row.code for row in newcomer.languages.all() if row.code in theirs]
    return ", ".join(language_name(code, language) for code in codes)


@transaction.atomic
def match_introduce(
    *, match: Match, expected: int, actor: User, link: Callable[[str], str]
) -> tuple[Match, list[Introduction]]:
    """Introduce both sides by mail, each in their own language, with their confirmation link
    (`link` turns a path into an absolute address)."""
    _may_decide(actor, match)
    _refuse_unless(
        match.status == Match.Status.PROPOSED and match.accepted_at is not None, NOT_ACCEPTED
    )
    match = _update(
        match,
        expected=expected,
        actor=actor,
        status=Match.Status.INTRODUCED,
        introduced_at=timezone.now(),
    )
    newcomer = match.newcomer
    hosts = [row.host for row in match.match_hosts.select_related("host")]
    sides: list[tuple[Any, str, Iterable[Any]]] = [(newcomer, NEWCOMER, hosts)]
    sides += [(host, str(host.pk), [newcomer]) for host in hosts]
    sent = []
    for person, side, others in sides:
        sent.append(_introduce(match, person, side, list(others), link))
    return match, sent


def _introduce(
    match: Match, person: Any, side: str, others: list[Any], link: Callable
) -> Introduction:
    language = person.preferred_language
    if not person.email:
        return Introduction(str(person), language, sent=False)
    with translation.override(language):
        path = reverse("connections:match-confirm", args=[confirmation_token(match, side)])
    newcomer = match.newcomer
    languages = ", ".join(
        filter(
            None,
            (
                _shared_languages(newcomer, host, language)
                for host in ([person] if side != NEWCOMER else others)
            ),
        )
    )
    context = {
        "recipient_name": person.name,
        "other_name": ", ".join(str(other.name) for other in others),
        "program_name": match.program.name,
        "organization_name": match.program.organization.name,
        "languages": languages,
        "confirm_url": link(path),
    }
    sent = send_templated_mail(
        template="connections/mail/introduction",
        to=person.email,
        language=language,
        context=context,
    )
    return Introduction(str(person), language, sent=sent)


@transaction.atomic
def match_confirm(*, match: Match, side: str, actor: User | None) -> Match:
    """One side agrees to meet (through its link, or as recorded by the staff); once every side
    has, the match is active. `actor` None: the person followed their own signed link."""
    if actor is not None:
        _may_decide(actor, match)
    match = Match.objects.select_for_update().get(pk=match.pk)
    _refuse_unless(match.status == Match.Status.INTRODUCED, NOT_INTRODUCED)
    now = timezone.now()
    if side == NEWCOMER:
        if match.newcomer_confirmed_at is None:
            match.newcomer_confirmed_at = now
    else:
        host_id = _side_host(match, side)
        if host_id is None:
            raise ValidationError({"side": UNKNOWN_SIDE}, code="side")
        match.match_hosts.filter(host_id=host_id, confirmed_at__isnull=True).update(
            confirmed_at=now
        )
    everyone = (
        match.newcomer_confirmed_at is not None
        and not match.match_hosts.filter(confirmed_at__isnull=True).exists()
    )
    fields = ["newcomer_confirmed_at", "version"]
    if everyone:
        match.status, match.started_at = Match.Status.ACTIVE, now
        fields += ["status", "started_at"]
        _newcomer_status(match, NewcomerProfile.Status.MATCHED)
    match.version += 1  # someone editing meanwhile sees that it changed
    if actor is None:
        match.save(update_fields=fields)
    else:
        with acting_as(actor):
            match.save(update_fields=fields)
    return match


@transaction.atomic
def match_end(*, match: Match, expected: int, actor: User, reason: str, note: str = "") -> Match:
    """An introduced or active match ends early, with a reason."""
    _may_decide(actor, match)
    _refuse_unless(match.status in (Match.Status.INTRODUCED, Match.Status.ACTIVE), CANNOT_END)
    if reason not in Match.EndReason.values:
        raise ValidationError({"end_reason": REASON_NEEDED}, code="reason")
    return _update(
        match,
        expected=expected,
        actor=actor,
        status=Match.Status.ENDED,
        end_reason=reason,
        end_note=note[:280],
        closed_at=timezone.now(),
    )


@transaction.atomic
def match_complete(*, match: Match, expected: int, actor: User) -> Match:
    """An active match reached its end as planned."""
    _may_decide(actor, match)
    _refuse_unless(match.status == Match.Status.ACTIVE, CANNOT_COMPLETE)
    return _update(
        match,
        expected=expected,
        actor=actor,
        status=Match.Status.COMPLETED,
        closed_at=timezone.now(),
    )


ACTIONS = ("accept", "reject", "hold", "release", "introduce", "confirm", "complete", "end")
UNKNOWN_ACTION = _("Choose what to do with the match.")


def match_decide(
    *,
    match: Match,
    action: str,
    expected: int,
    actor: User,
    link: Callable[[str], str],
    side: str = "",
    reason: str = "",
    note: str = "",
) -> tuple[Match, list[Introduction]]:
    """One step of a match's life by name, as the pages and the API both ask for it; the
    introductions mailed, when the step was to introduce."""
    if action == "accept":
        return match_accept(match=match, expected=expected, actor=actor), []
    if action == "reject":
        return match_reject(match=match, expected=expected, actor=actor), []
    if action in ("hold", "release"):
        held = action == "hold"
        return match_hold(match=match, expected=expected, actor=actor, held=held), []
    if action == "introduce":
        return match_introduce(match=match, expected=expected, actor=actor, link=link)
    if action == "confirm":
        return match_confirm(match=match, side=side, actor=actor), []
    if action == "complete":
        return match_complete(match=match, expected=expected, actor=actor), []
    if action == "end":
        ended = match_end(match=match, expected=expected, actor=actor, reason=reason, note=note)
        return ended, []
    raise ValidationError({"action": UNKNOWN_ACTION}, code="action")
