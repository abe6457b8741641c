"""A match's lifecycle: each step only from the state that allows it, stale decisions refused,
swaps scored by the engine and refused when they break a hard constraint, introductions mailed
to both sides in each one's language, and confirmations that make the match active."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from welcoming.accounts.models import Role
from welcoming.connections.lifecycle import (
    NEWCOMER,
    TransitionRefused,
    confirmation_read,
    confirmation_token,
    match_accept,
    match_complete,
    match_confirm,
    match_end,
    match_hold,
    match_introduce,
    match_reject,
    match_swap,
    match_swap_preview,
)
from welcoming.connections.models import Match, NewcomerProfile
from welcoming.connections.runs import match_run_create
from welcoming.core.locking import StaleEdit

from .workflow_people import agency

pytestmark = pytest.mark.django_db


def link(path: str) -> str:
    return f"https://welcoming.example.org{path}"


def proposed(sample, count: int = 1) -> list[Match]:
    match_run_create(program=sample.program, solver="optimal", actor=sample.coordinator)
    return list(Match.objects.filter(program=sample.program).order_by("newcomer_id"))[:count]


def test_accept_introduce_confirm_and_complete() -> None:
    sample = agency()
    newcomer = sample.newcomer(preferred_language="fr")
    sample.host(preferred_language="en")
    (match,) = proposed(sample)
    coordinator = sample.coordinator

    match = match_accept(match=match, expected=match.version, actor=coordinator)
    assert NewcomerProfile.objects.get(pk=newcomer.pk).status == "matched"
    match, sent = match_introduce(match=match, expected=match.version, actor=coordinator, link=link)
    assert match.status == Match.Status.INTRODUCED and all(s.sent for s in sent)

    match = match_confirm(match=match, side=NEWCOMER, actor=None)
    assert match.status == Match.Status.INTRODUCED  # the host has not confirmed yet
    host_side = str(match.match_hosts.get().host_id)
    match = match_confirm(match=match, side=host_side, actor=coordinator)
    assert match.status == Match.Status.ACTIVE and match.started_at is not None

    match = match_complete(match=match, expected=match.version, actor=coordinator)
    assert match.status == Match.Status.COMPLETED
    assert match.history.count() >= 4  # every step is in the audit trail


def test_introductions_are_mailed_to_each_side_in_their_own_language() -> None:
    sample = agency()
    sample.newcomer("Sample Amanuel", preferred_language="fr", email="amanuel@example.org")
    sample.host("Sample Joan", preferred_language="en", email="joan@example.org")
    (match,) = proposed(sample)
    match = match_accept(match=match, expected=match.version, actor=sample.coordinator)
    match_introduce(match=match, expected=match.version, actor=sample.coordinator, link=link)

    by_address = {message.to[0]: message for message in mail.outbox}
    french, english = by_address["amanuel@example.org"], by_address["joan@example.org"]
    assert "Bonjour Sample Amanuel" in french.body
    assert "Sample Joan" in french.body
    assert "tigrigna" in french.body.lower()  # the shared language, named in French
    assert "/fr/" in french.body
    assert "Hello Sample Joan" in english.body
    assert "Tigrinya" in english.body
    assert "/en/" in english.body


def test_a_side_without_an_address_is_not_mailed() -> None:
    sample = agency()
    sample.newcomer(email="")
    sample.host()
    (match,) = proposed(sample)
    match = match_accept(match=match, expected=match.version, actor=sample.coordinator)
    _match, sent = match_introduce(
        match=match, expected=match.version, actor=sample.coordinator, link=link
    )
    assert [s.sent for s in sent] == [False, True]
    assert len(mail.outbox) == 1


def test_the_confirmation_link_names_its_match_and_side() -> None:
    sample = agency()
    sample.newcomer()
    sample.host()
    (match,) = proposed(sample)
    match = match_accept(match=match, expected=match.version, actor=sample.coordinator)
    match, _sent = match_introduce(
        match=match, expected=match.version, actor=sample.coordinator, link=link
    )
    assert confirmation_read(confirmation_token(match, NEWCOMER)) == (match, NEWCOMER)
    with pytest.raises(Exception, match="not valid"):
        confirmation_read(confirmation_token(match, NEWCOMER) + "x")
    with pytest.raises(Exception, match="not valid"):
        confirmation_read(confirmation_token(match, "999999"))


@pytest.mark.parametrize(
    "step",
    [
        lambda m, a: match_introduce(match=m, expected=m.version, actor=a, link=link),
        lambda m, a: match_complete(match=m, expected=m.version, actor=a),
        lambda m, a: match_end(match=m, expected=m.version, actor=a, reason="moved"),
        lambda m, a: match_confirm(match=m, side=NEWCOMER, actor=a),
    ],
    ids=["introduce-before-accept", "complete", "end", "confirm"],
)
def test_a_step_from_the_wrong_state_is_refused(step) -> None:
    sample = agency()
    sample.newcomer()
    sample.host()
    (match,) = proposed(sample)
    with pytest.raises(TransitionRefused):
        step(match, sample.coordinator)
    assert Match.objects.get(pk=match.pk).status == Match.Status.PROPOSED


def test_a_rejected_proposal_cannot_be_accepted_and_its_newcomer_waits_again() -> None:
    sample = agency()
    newcomer = sample.newcomer()
    sample.host()
    (match,) = proposed(sample)
    match = match_hold(match=match, expected=match.version, actor=sample.coordinator)
    assert NewcomerProfile.objects.get(pk=newcomer.pk).status == "held"
    match = match_reject(match=match, expected=match.version, actor=sample.coordinator)
    assert NewcomerProfile.objects.get(pk=newcomer.pk).status == "waiting"
    with pytest.raises(TransitionRefused):
        match_accept(match=match, expected=match.version, actor=sample.coordinator)


def test_ending_needs_a_reason() -> None:
    sample = agency()
    sample.newcomer()
    sample.host()
    (match,) = proposed(sample)
    match = match_accept(match=match, expected=match.version, actor=sample.coordinator)
    match, _ = match_introduce(
        match=match, expected=match.version, actor=sample.coordinator, link=link
    )
    with pytest.raises(Exception, match="Say why"):
        match_end(match=match, expected=match.version, actor=sample.coordinator, reason="")
    match = match_end(match=match, expected=match.version, actor=sample.coordinator, reason="moved")
    assert (match.status, match.end_reason) == ("ended", "moved")


def test_a_stale_decision_is_refused() -> None:
    sample = agency()
    sample.newcomer()
    sample.host()
    (match,) = proposed(sample)
    opened = match.version
    match_hold(match=match, expected=opened, actor=sample.coordinator)
    with pytest.raises(StaleEdit):
        match_reject(match=match, expected=opened, actor=sample.coordinator)
    assert Match.objects.get(pk=match.pk).status == Match.Status.PROPOSED


def test_the_other_organization_and_volunteers_may_not_decide() -> None:
    sample = agency()
    sample.newcomer()
    sample.host()
    (match,) = proposed(sample)
    for actor in (agency("Other agency").coordinator, sample.member(Role.VOLUNTEER)):
        with pytest.raises(PermissionDenied):
            match_accept(match=match, expected=match.version, actor=actor)


def test_a_swap_shows_the_engines_scores_and_exchanges_the_hosts() -> None:
    sample = agency()
    sample.newcomer(interests=["cooking"])
    sample.newcomer(interests=["music"])
    sample.host(interests=["cooking"])
    sample.host(interests=["music"])
    first, second = proposed(sample, 2)
    hosts_before = (first.match_hosts.get().host_id, second.match_hosts.get().host_id)
    one, two = match_swap_preview(first=first, second=second)
    assert one.allowed and two.allowed
    assert one.host.pk == hosts_before[1] and two.host.pk == hosts_before[0]
    assert one.score < first.score  # the engine paired shared interests; the swap scores less

    first, second = match_swap(
        first=first,
        second=second,
        expected=(first.version, second.version),
        actor=sample.coordinator,
    )
    assert first.match_hosts.get().host_id == hosts_before[1]
    assert first.score == pytest.approx(one.score)
    assert {t["name"] for t in first.match_hosts.get().terms} >= {"interests"}


def test_a_swap_that_breaks_a_hard_constraint_is_refused_with_the_reason() -> None:
    sample = agency()
    sample.newcomer("Sample Tigrinya speaker", languages=[("tir", 4)])
    sample.newcomer("Sample Somali speaker", languages=[("som", 4)])
    sample.host(languages=[("tir", 4)])
    sample.host(languages=[("som", 4)])
    first, second = proposed(sample, 2)
    before = {m.pk: m.match_hosts.get().host_id for m in (first, second)}
    with pytest.raises(TransitionRefused, match="Tigrinya") as refused:
        match_swap(
            first=first,
            second=second,
            expected=(first.version, second.version),
            actor=sample.coordinator,
        )
    assert "speaks" in str(refused.value)
    after = {m.pk: m.match_hosts.get().host_id for m in Match.objects.all()}
    assert after == before
