"""A person's data on request: everything a newcomer's or host's profile holds, as JSON
(`*_profile_export`), and its erasure (`*_profile_erase`).

Erasure keeps the rows and empties them. The profile stays as a numbered shell ("Erased profile
12") so that its matches, interactions and attendance still count in the funder's figures
(`selectors.connections_output_counts` gives the same numbers before and after); what said who
the person is goes, in one transaction:

- the profile's personal fields, its languages, its programs and its link to an account;
- its live matches first: a proposal is rejected, an introduced or active match ended with the
  reason "erased on request" (lifecycle.py, so the same rules and history apply);
- the free text written about the person's matches: interaction notes, ending notes, and the
  feedback comments (the person's own, or any given on a match of theirs);
- every earlier copy in the change history (django-simple-history) of the profile, and the
  ending notes in the history of its matches.

What is left is the audit entry: one history row of the emptied profile, written as the actor's,
whose reason says "erased on request" — who erased which profile and when, and no personal data.
The person's account, if they signed up themselves, is unlinked and left to the administrators
who keep accounts (docs/privacy.md); their consent records stay, as consents always do.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from welcoming.accounts.models import Consent, User
from welcoming.core.history import acting_as

from . import lifecycle
from .models import (
    Feedback,
    HostLanguage,
    HostProfile,
    Interaction,
    Match,
    NewcomerLanguage,
    NewcomerProfile,
    Profile,
)

MAY_NOT_ERASE = _("You may not erase this profile.")
MAY_NOT_EXPORT = _("You may not export this profile.")
ALREADY_ERASED = _("This profile was already erased.")
REASON_NEEDED = _("Say why the profile is erased (who asked, and when), without personal details.")
ERASED_REASON = "erased on request"
"""The change-history reason of the erasure's audit row (no personal data, not translated)."""

REASON_MAX = 200

# What erasure empties, field by field; every other field of a profile is kept (docs/privacy.md).
SHARED_EMPTY: dict[str, Any] = {
    "name": Profile.ERASED_NAME,
    "email": "",
    "user": None,
    "preferred_language": "en",
    "postal_code": "",
    "availability": 0,
    "online_ok": False,
    "noc_code": "",
    "occupation_text": "",
    "interests": [],
    "children_ages": [],
}
NEWCOMER_EMPTY: dict[str, Any] = {
    "arrival_date": None,
    "age_group": "",
    "goals": [],
    "requires": [],
    "is_refugee": False,
    "is_isolated_senior": False,
    "is_single_parent": False,
    "status": NewcomerProfile.Status.CLOSED,
}
HOST_EMPTY: dict[str, Any] = {
    "max_distance_km": 0.0,
    "offers": [],
    "police_check_date": None,
    "police_check_expires": None,
    "training_completed_on": None,
    "status": HostProfile.Status.CLOSED,
}
ERASED_FIELDS = (*SHARED_EMPTY, "latitude", "longitude", "languages", "programs")
"""What the confirmation names as removed (with each kind's own fields)."""


def erased_fields(profile: Profile) -> list[str]:
    """The names of what erasure empties, as the confirmation lists them."""
    own = NEWCOMER_EMPTY if isinstance(profile, NewcomerProfile) else HOST_EMPTY
    meta = type(profile)._meta
    labels = [
        str(meta.get_field(name).verbose_name)  # type: ignore[union-attr]
        for name in (*ERASED_FIELDS, *own)
        if name not in ("status", "user", "languages")
    ]
    return [*labels, str(_("languages spoken"))]


def _reason(reason: str) -> str:
    reason = " ".join(str(reason).split())
    if not reason:
        raise ValidationError({"reason": REASON_NEEDED}, code="reason")
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"reason": _("Keep the reason under %(count)d characters.") % {"count": REASON_MAX}},
            code="reason",
        )
    return reason


def _end_live_matches(matches: QuerySet[Match], actor: User) -> None:
    """Reject the proposals and end the introduced or active matches, as a coordinator would."""
    for match in matches.filter(status__in=Match.LIVE).select_for_update():
        if match.status == Match.Status.PROPOSED:
            lifecycle.match_reject(match=match, expected=match.version, actor=actor)
        else:
            lifecycle.match_end(
                match=match,
                expected=match.version,
                actor=actor,
                reason=Match.EndReason.ERASED,
            )


def _empty_free_text(matches: QuerySet[Match], feedback: QuerySet[Feedback]) -> None:
    """The notes and comments written about the person's matches: they may name them."""
    Interaction.objects.filter(match__in=matches).exclude(note="").update(note="")
    Match.objects.filter(pk__in=matches).exclude(end_note="").update(end_note="")
    Match.history.filter(id__in=matches).exclude(end_note="").update(end_note="")
    feedback.exclude(comment="").update(comment="")


def _erase(
    *,
    profile: NewcomerProfile | HostProfile,
    actor: User,
    reason: str,
    perm: str,
    matches: QuerySet[Match],
    feedback: QuerySet[Feedback],
    languages: Callable[[], Any],
    empty: dict[str, Any],
) -> None:
    if not actor.has_perm(perm, profile):
        raise PermissionDenied(MAY_NOT_ERASE)
    model = type(profile)
    current = model.objects.select_for_update().get(pk=profile.pk)
    if current.erased_at is not None:
        raise ValidationError(ALREADY_ERASED, code="erased")
    why = _reason(reason)
    _end_live_matches(matches, actor)
    _empty_free_text(matches, feedback)
    languages().delete()
    current.programs.clear()
    for name, value in {**SHARED_EMPTY, **empty}.items():
        setattr(current, name, value)
    community = current.community
    current.latitude = community.latitude if community.latitude is not None else 0.0
    current.longitude = community.longitude if community.longitude is not None else 0.0
    current.erased_at = timezone.now()
    current.version += 1
    current.history.all().delete()  # every earlier copy
    # No full_clean(): an erased profile deliberately holds too little to be a valid one; the
    # database's constraints still hold (an empty week, a point in range, no occupation code).
    setattr(current, "_change_reason", f"{ERASED_REASON}: {why}"[:100])  # noqa: B010
    with acting_as(actor):
        current.save()
    profile.refresh_from_db()


@transaction.atomic
def newcomer_profile_erase(*, profile: NewcomerProfile, actor: User, reason: str) -> None:
    """Erase a newcomer's personal data on their request (see the module's docstring)."""
    matches = Match.objects.filter(newcomer=profile)
    _erase(
        profile=profile,
        actor=actor,
        reason=reason,
        perm="connections.erase_newcomerprofile",
        matches=matches,
        feedback=Feedback.objects.filter(match__in=matches),
        languages=lambda: NewcomerLanguage.objects.filter(newcomer=profile),
        empty=NEWCOMER_EMPTY,
    )


@transaction.atomic
def host_profile_erase(*, profile: HostProfile, actor: User, reason: str) -> None:
    """Erase a host's personal data on their request (see the module's docstring)."""
    matches = Match.objects.filter(match_hosts__host=profile)
    _erase(
        profile=profile,
        actor=actor,
        reason=reason,
        perm="connections.erase_hostprofile",
        matches=matches,
        feedback=Feedback.objects.filter(Q(host=profile) | Q(match__in=matches)),
        languages=lambda: HostLanguage.objects.filter(host=profile),
        empty=HOST_EMPTY,
    )


# --- export -----------------------------------------------------------------------------------


def _value(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _fields(record: Any, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    out = {}
    for field in record._meta.concrete_fields:
        if field.name in exclude:
            continue
        out[field.attname] = _value(getattr(record, field.attname))
    return out


def profile_export(*, profile: NewcomerProfile | HostProfile, actor: User) -> dict[str, Any]:
    """Everything the platform holds about the person of a profile, as JSON-ready data: the
    profile, its languages and programs, the person's consents, and their matches with the
    interactions and feedback recorded on them."""
    if isinstance(profile, NewcomerProfile):
        kind, matches = "newcomer", Match.objects.filter(newcomer=profile)
    else:
        kind, matches = "host", Match.objects.filter(match_hosts__host=profile)
    if not actor.has_perm(f"connections.export_{kind}profile", profile):
        raise PermissionDenied(MAY_NOT_EXPORT)
    consents = Consent.objects.filter(
        subject_type__app_label="connections",
        subject_type__model=type(profile)._meta.model_name,
        subject_id=profile.pk,
    )
    if profile.user_id is not None:
        consents = consents | Consent.objects.filter(user_id=profile.user_id)
    return {
        "kind": kind,
        "exported_at": timezone.now().isoformat(),
        "profile": {
            **_fields(profile),
            "community": profile.community.name,
            "languages": [{"code": s.code, "level": s.level} for s in profile.languages.all()],
            "programs": [str(p) for p in profile.programs.all()],
        },
        "consents": [
            _fields(c, exclude=("subject_type", "subject_id", "user"))
            for c in consents.order_by("given_at", "pk")
        ],
        "matches": [
            {
                **_fields(match, exclude=("decided_by",)),
                "program": str(match.program),
                "hosts": [row.host_id for row in match.match_hosts.all()],
                "interactions": [
                    _fields(i, exclude=("match", "logged_by")) for i in match.interactions.all()
                ],
                "feedback": [
                    _fields(f, exclude=("match", "given_by")) for f in match.feedback.all()
                ],
            }
            for match in matches.distinct().select_related("program").order_by("created_at", "pk")
        ],
    }
