"""Erasure on request: an erased profile holds no personal field, its live matches end with the
reason "erased on request", the free text about it goes, its change history keeps only the
audit row, and the funder's counts do not move. The export names everything first."""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from welcoming.accounts.models import Role
from welcoming.connections.activities import (
    attendance_record,
    feedback_give,
    group_activity_create,
    interaction_log,
)
from welcoming.connections.erasure import (
    ERASED_REASON,
    host_profile_erase,
    newcomer_profile_erase,
    profile_export,
)
from welcoming.connections.models import (
    HostLanguage,
    HostProfile,
    Interaction,
    Match,
    NewcomerLanguage,
    NewcomerProfile,
)
from welcoming.connections.selectors import connections_output_counts
from welcoming.connections.services import newcomer_profile_save

from .test_output_counts import introduced
from .workflow_people import agency

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
PERSONAL_TEXT = "Sample Personal-Detail"


def _with_history(sample, pairs: int = 6) -> list[Match]:
    """Introduced matches with interactions, feedback, an activity, and an active one."""
    matches = introduced(sample, pairs)
    for match in matches:
        interaction_log(
            match=match,
            actor=sample.coordinator,
            date=TODAY,
            kind="meeting",
            duration_minutes=30,
            note=f"Met {PERSONAL_TEXT} at the library",
        )
        feedback_give(
            match=match,
            actor=sample.coordinator,
            side="newcomer",
            rating=4,
            comment=f"{PERSONAL_TEXT} liked it",
        )
    activity = group_activity_create(
        program=sample.program, actor=sample.coordinator, date=TODAY, title="Circle"
    )
    attendance_record(
        activity=activity,
        actor=sample.coordinator,
        newcomers=[matches[0].newcomer],
        hosts=[matches[0].match_hosts.get().host],
        anonymous_count=5,
    )
    return matches


def _personal_values(profile) -> dict[str, object]:
    return {
        "email": profile.email,
        "postal_code": profile.postal_code,
        "availability": profile.availability,
        "noc_code": profile.noc_code,
        "occupation_text": profile.occupation_text,
        "interests": profile.interests,
        "children_ages": profile.children_ages,
        "user": profile.user_id,
        "programs": list(profile.programs.all()),
    }


EMPTY = {
    "email": "",
    "postal_code": "",
    "availability": 0,
    "noc_code": "",
    "occupation_text": "",
    "interests": [],
    "children_ages": [],
    "user": None,
    "programs": [],
}


def test_an_erased_newcomer_holds_no_personal_field_and_the_counts_stay() -> None:
    sample = agency()
    matches = _with_history(sample)
    newcomer = matches[0].newcomer
    newcomer_profile_save(  # a change: the history has a second copy of the name
        actor=sample.coordinator,
        profile=newcomer,
        fields={"occupation_text": "Sample nurse", "interests": ["cooking"], "postal_code": ""},
        languages=[("tir", 4)],
    )
    before = connections_output_counts(organization=sample.organization, suppress=False)
    today = (TODAY, TODAY)
    before_today = connections_output_counts(organization=sample.organization, period=today)
    assert newcomer.history.count() >= 2

    newcomer_profile_erase(profile=newcomer, actor=sample.coordinator, reason="Asked by phone")

    newcomer = NewcomerProfile.objects.get(pk=newcomer.pk)
    assert _personal_values(newcomer) == EMPTY
    assert newcomer.name == "—" and str(newcomer) == f"Erased profile {newcomer.pk}"
    assert (newcomer.arrival_date, newcomer.age_group, newcomer.goals) == (None, "", [])
    assert newcomer.status == NewcomerProfile.Status.CLOSED and newcomer.erased_at is not None
    assert (newcomer.latitude, newcomer.longitude) == (
        sample.community.latitude,
        sample.community.longitude,
    )
    assert not NewcomerLanguage.objects.filter(newcomer=newcomer).exists()
    match = Match.objects.get(pk=matches[0].pk)
    assert (match.status, match.end_reason) == ("ended", "erased")
    assert Interaction.objects.get(match=match).note == ""
    assert match.feedback.get().comment == "" and match.feedback.get().rating == 4
    # Only the audit row is left in the change history: who, which profile, when; no name.
    (audit,) = newcomer.history.all()
    assert audit.history_user == sample.coordinator
    assert audit.history_change_reason.startswith(ERASED_REASON)
    assert audit.id == newcomer.pk and audit.name == "—" and audit.email == ""
    assert not match.history.filter(end_note__contains=PERSONAL_TEXT).exists()
    # The other people's notes are untouched; the funder's figures do not move.
    assert Interaction.objects.filter(note__contains=PERSONAL_TEXT).count() == 5
    after = connections_output_counts(organization=sample.organization, suppress=False)
    assert after == before
    assert connections_output_counts(organization=sample.organization, period=today) == (
        before_today
    )


def test_an_erased_host_holds_no_personal_field_and_the_counts_stay() -> None:
    sample = agency()
    matches = _with_history(sample)
    host = matches[1].match_hosts.get().host
    before = connections_output_counts(organization=sample.organization, suppress=False)

    host_profile_erase(profile=host, actor=sample.coordinator, reason="E-mail of 2026-12-01")

    host = HostProfile.objects.get(pk=host.pk)
    assert _personal_values(host) == EMPTY
    assert (host.police_check_date, host.training_completed_on, host.offers) == (None, None, [])
    assert host.status == HostProfile.Status.CLOSED
    assert not HostLanguage.objects.filter(host=host).exists()
    assert Match.objects.get(pk=matches[1].pk).end_reason == "erased"
    assert host.history.count() == 1
    after = connections_output_counts(organization=sample.organization, suppress=False)
    assert after == before


def test_a_proposal_is_rejected_and_an_erased_profile_is_left_alone() -> None:
    sample = agency()
    newcomer = sample.newcomer()
    sample.host()
    from welcoming.connections.runs import match_run_create

    match_run_create(program=sample.program, solver="optimal", actor=sample.coordinator)
    newcomer_profile_erase(profile=newcomer, actor=sample.coordinator, reason="In person")
    assert Match.objects.get(newcomer=newcomer).status == Match.Status.REJECTED
    with pytest.raises(ValidationError, match="already erased"):
        newcomer_profile_erase(profile=newcomer, actor=sample.coordinator, reason="Again")
    with pytest.raises(ValidationError, match="cannot be changed"):
        newcomer_profile_save(
            actor=sample.coordinator, profile=newcomer, fields={}, languages=[("eng", 2)]
        )


def test_only_the_serving_staff_may_erase_and_a_reason_is_needed() -> None:
    sample = agency()
    newcomer = sample.newcomer(name=PERSONAL_TEXT)
    host = sample.host()
    for actor in (
        agency("Other agency").coordinator,
        sample.member(Role.VOLUNTEER),
        sample.member(Role.NEWCOMER),
        sample.member(Role.FUNDER_OFFICER),
    ):
        with pytest.raises(PermissionDenied):
            newcomer_profile_erase(profile=newcomer, actor=actor, reason="Asked")
        with pytest.raises(PermissionDenied):
            host_profile_erase(profile=host, actor=actor, reason="Asked")
    with pytest.raises(ValidationError) as refused:
        newcomer_profile_erase(profile=newcomer, actor=sample.coordinator, reason="  ")
    assert "reason" in refused.value.message_dict
    assert NewcomerProfile.objects.get(pk=newcomer.pk).name == PERSONAL_TEXT


def test_the_export_names_the_profile_its_consents_and_its_matches() -> None:
    sample = agency()
    matches = _with_history(sample, 1)
    newcomer = matches[0].newcomer
    data = profile_export(profile=newcomer, actor=sample.coordinator)
    text = json.dumps(data)
    assert data["profile"]["name"] == newcomer.name
    assert data["profile"]["languages"] and data["consents"][0]["purpose"] == "matching"
    assert data["matches"][0]["interactions"][0]["note"].startswith("Met")
    assert PERSONAL_TEXT in text
    with pytest.raises(PermissionDenied):
        profile_export(profile=newcomer, actor=agency("Other agency").coordinator)
    host = matches[0].match_hosts.get().host
    assert profile_export(profile=host, actor=sample.coordinator)["kind"] == "host"
