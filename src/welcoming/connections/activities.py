"""What happens once people are connected: interactions logged by the staff or the volunteer,
feedback from both sides, and group activities with their attendance — including people who
came but gave no personal information, counted and nothing else."""

import datetime
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from welcoming.accounts.models import User
from welcoming.core.history import acting_as
from welcoming.core.models import Community

from .models import (
    Attendance,
    Feedback,
    GroupActivity,
    HostProfile,
    Interaction,
    Match,
    NewcomerProfile,
    Program,
)

MAY_NOT_LOG = _("You may not log an interaction on this match.")
MAY_NOT_GIVE_FEEDBACK = _("You may not give feedback on this match.")
MAY_NOT_RECORD_ACTIVITY = _("You may not record activities of this program.")
NOT_UNDER_WAY = _("Interactions are logged on introduced or active matches only.")
IN_THE_FUTURE = _("An interaction cannot be logged for a date in the future.")
NOT_IN_PROGRAM = _("Choose a person of the program's organization.")
ATTENDEE_NEEDED = _("Record a newcomer, a host, or a number of people who gave no details.")

UNDER_WAY = (Match.Status.INTRODUCED, Match.Status.ACTIVE, Match.Status.COMPLETED)


def interaction_log(
    *,
    match: Match,
    actor: User,
    date: datetime.date,
    kind: str,
    duration_minutes: int,
    note: str = "",
) -> Interaction:
    """One meeting, call or outing of a match, logged by its staff or one of its hosts."""
    if not actor.has_perm("connections.log_interaction", match):
        raise PermissionDenied(MAY_NOT_LOG)
    if match.status not in UNDER_WAY:
        raise ValidationError(NOT_UNDER_WAY, code="status")
    if date > timezone.localdate():
        raise ValidationError({"date": IN_THE_FUTURE}, code="future")
    interaction = Interaction(
        match=match,
        date=date,
        kind=kind,
        duration_minutes=duration_minutes,
        note=note.strip(),
        logged_by=actor,
    )
    interaction.full_clean()
    interaction.save()
    return interaction


def feedback_give(
    *,
    match: Match,
    actor: User,
    side: str,
    rating: int,
    comment: str = "",
    host: HostProfile | None = None,
) -> Feedback:
    """Feedback from the newcomer's side or a host's, given by them or recorded by the staff."""
    if not actor.has_perm("connections.give_feedback", match):
        raise PermissionDenied(MAY_NOT_GIVE_FEEDBACK)
    if side == Feedback.Side.HOST and host is None:
        host = match.hosts.filter(user_id=actor.pk).first()
    if host is not None and not match.match_hosts.filter(host=host).exists():
        raise ValidationError({"host": NOT_IN_PROGRAM}, code="host")
    feedback = Feedback(
        match=match,
        side=side,
        host=host if side == Feedback.Side.HOST else None,
        rating=rating,
        comment=comment.strip(),
        given_by=actor,
    )
    feedback.full_clean()
    feedback.save()
    return feedback


def group_activity_create(
    *,
    program: Program,
    actor: User,
    date: datetime.date,
    title: str,
    community: Community | None = None,
) -> GroupActivity:
    """A conversation circle, network event or outing of the program."""
    if not actor.has_perm("connections.record_activity", program):
        raise PermissionDenied(MAY_NOT_RECORD_ACTIVITY)
    activity = GroupActivity(
        program=program, date=date, title=title.strip(), community=community, created_by=actor
    )
    activity.full_clean()
    activity.save()
    return activity


@transaction.atomic
def attendance_record(
    *,
    activity: GroupActivity,
    actor: User,
    newcomers: Sequence[NewcomerProfile] = (),
    hosts: Sequence[HostProfile] = (),
    anonymous_count: int = 0,
) -> list[Attendance]:
    """Who came: profiles of the program's organization, and a count of people who preferred
    to give no personal information (a row holding only that number)."""
    if not actor.has_perm("connections.record_activity", activity.program):
        raise PermissionDenied(MAY_NOT_RECORD_ACTIVITY)
    organization_id = activity.program.organization_id
    people = [*newcomers, *hosts]
    if any(getattr(p, "organization_id", None) != organization_id for p in people):
        raise ValidationError(NOT_IN_PROGRAM, code="organization")
    if not people and anonymous_count <= 0:
        raise ValidationError(ATTENDEE_NEEDED, code="empty")
    rows = [Attendance(activity=activity, newcomer=n) for n in newcomers]
    rows += [Attendance(activity=activity, host=h) for h in hosts]
    if anonymous_count > 0:
        rows.append(Attendance(activity=activity, anonymous_count=anonymous_count))
    recorded = []
    with acting_as(actor):
        for row in rows:
            existing = _already(row)
            if existing is not None:
                recorded.append(existing)
                continue
            row.full_clean()
            row.save()
            recorded.append(row)
    return recorded


def _already(row: Attendance) -> Attendance | None:
    """A person is counted once per activity: recording them again changes nothing."""
    if row.newcomer_id is not None:
        return Attendance.objects.filter(activity=row.activity, newcomer=row.newcomer).first()
    if row.host_id is not None:
        return Attendance.objects.filter(activity=row.activity, host=row.host).first()
    return None
