"""Reading programs and profiles: lists scoped to the organizations a person serves, and the
matching engine's problem for a program. Nothing here writes."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from welcoming.accounts.models import Membership, User
from welcoming.core.models import Organization
from welcoming.core.roles import SERVING_ROLES
from welcoming.engines import matching
from welcoming.engines.suppression import suppress_counts

from .explanations import UnmatchedLine, unmatched_lines
from .models import (
    Attendance,
    GroupActivity,
    HostProfile,
    Interaction,
    Match,
    MatchHost,
    MatchRun,
    NewcomerProfile,
    Program,
)


def organizations_served_by(*, user: User) -> list[int]:
    """The organizations in which the person serves newcomers (agency staff, administrator)."""
    if not user.is_authenticated:
        return []
    rows = Membership.objects.filter(user_id=user.pk, role__in=SERVING_ROLES)
    return sorted(set(rows.values_list("organization_id", flat=True)))


def program_list(*, user: User) -> QuerySet[Program]:
    return (
        Program.objects.filter(organization_id__in=organizations_served_by(user=user))
        .select_related("organization")
        .annotate(newcomers_count=Count("newcomerprofiles", distinct=True))
        .order_by("organization__name_en", "name_en", "pk")
    )


def newcomer_profile_list(*, user: User, status: str = "") -> QuerySet[NewcomerProfile]:
    profiles = NewcomerProfile.objects.filter(
        organization_id__in=organizations_served_by(user=user), erased_at__isnull=True
    ).select_related("organization", "community")
    if status:
        profiles = profiles.filter(status=status)
    return profiles.order_by("name", "pk")


def host_profile_list(*, user: User) -> QuerySet[HostProfile]:
    return (
        HostProfile.objects.filter(
            organization_id__in=organizations_served_by(user=user), erased_at__isnull=True
        )
        .select_related("organization", "community")
        .order_by("name", "pk")
    )


def newcomer_profile_of(*, user: User) -> NewcomerProfile | None:
    """The signed-in newcomer's own profile, if they signed themselves up."""
    if not user.is_authenticated:
        return None
    return (
        NewcomerProfile.objects.select_related("organization", "community", "consent")
        .prefetch_related("languages", "programs")
        .filter(user_id=user.pk)
        .first()
    )


def _shared(profile: NewcomerProfile | HostProfile) -> dict[str, Any]:
    """What the engine's Newcomer and Host both take from a profile."""
    return {
        "id": str(profile.pk),
        "community": profile.community.code,
        "latitude": profile.latitude,
        "longitude": profile.longitude,
        "languages": tuple(
            matching.LanguageSkill(code=row.code, level=row.level)
            for row in profile.languages.all()
        ),
        "availability": profile.availability,
        "online_ok": profile.online_ok,
        "noc_code": profile.noc_code or None,
        "interests": frozenset(profile.interests),
        "children_ages": tuple(profile.children_ages),
    }


def matching_program(program: Program) -> matching.Program:
    weights = matching.Weights(
        occupation=program.weight_occupation,
        interests=program.weight_interests,
        distance=program.weight_distance,
        household=program.weight_household,
        language=program.weight_language,
        waiting=program.weight_waiting,
        priority=program.weight_priority,
        distance_scale_km=program.distance_scale_km,
    )
    team = (
        (program.team_size_min, program.team_size_max or program.team_size_min)
        if program.team_size_min is not None
        else None
    )
    return matching.Program(
        id=str(program.pk),
        min_language_level=program.min_language_level,
        requires_tags=frozenset(program.eligibility),
        team_size=team,
        weights=weights,
    )


def matching_newcomer(profile: NewcomerProfile, *, today: date) -> matching.Newcomer:
    return matching.Newcomer(
        **_shared(profile),
        tags=profile.tags,
        requires=frozenset(profile.requires),
        priority=profile.priority,
        waiting_days=max(0, (today - profile.created_at.date()).days),
    )


def matching_host(profile: HostProfile) -> matching.Host:
    screened = profile.police_check_expires if profile.police_check_date else None
    return matching.Host(
        **_shared(profile),
        capacity=profile.capacity,
        max_distance_km=profile.max_distance_km,
        screened_until=screened,
        trained=profile.trained,
        offers=frozenset(profile.offers),
    )


def matches_kept(*, program: Program) -> QuerySet[Match]:
    """The matches a run keeps: introduced, active, and proposals accepted or held while they
    are discussed; their hosts' places are taken."""
    decided = Q(status=Match.Status.PROPOSED) & (Q(held=True) | Q(accepted_at__isnull=False))
    return Match.objects.filter(
        Q(status__in=(Match.Status.INTRODUCED, Match.Status.ACTIVE)) | decided, program=program
    )


def matching_problem_for(
    *, program: Program, today: date | None = None, seed: int = 0
) -> matching.Problem:
    """The engine's problem for a program: its waiting newcomers and its active hosts, with the
    pairs of its kept matches (`matches_kept`), whose people come along so the engine can count
    the places they take.

    A newcomer waits when enrolled in the program, status "waiting", with an active consent to
    matching, and not already in a kept match: a proposal nobody acted on yet is made again (the
    run replaces it). Hosts are the program's active hosts, screened or not: the engine removes
    the unscreened and expired ones itself and counts them in its explanations.
    """
    today = today or timezone.localdate()
    kept = matches_kept(program=program)
    kept_rows = MatchHost.objects.filter(match__in=kept)
    kept_newcomers = Q(pk__in=kept.values("newcomer_id"))
    waiting = Q(
        programs=program,
        status=NewcomerProfile.Status.WAITING,
        consent__isnull=False,
        consent__withdrawn_at__isnull=True,
    )
    newcomers = (
        NewcomerProfile.objects.filter((waiting & ~kept_newcomers) | kept_newcomers)
        .distinct()
        .select_related("community")
        .prefetch_related("languages")
        .order_by("pk")
    )
    hosts = (
        HostProfile.objects.filter(
            Q(programs=program, status=HostProfile.Status.ACTIVE)
            | Q(pk__in=kept_rows.values("host_id"))
        )
        .distinct()
        .select_related("community")
        .prefetch_related("languages")
        .order_by("pk")
    )
    pairs = kept_rows.values_list("match__newcomer_id", "host_id")
    return matching.Problem(
        program=matching_program(program),
        newcomers=tuple(matching_newcomer(p, today=today) for p in newcomers),
        hosts=tuple(matching_host(h) for h in hosts),
        today=today,
        active=tuple(sorted({(str(n), str(h)) for n, h in pairs})),
        seed=seed,
    )


def connection_counts(*, organization_ids: list[int] | None = None) -> dict[str, int | None]:
    """People in connections, for funder officers: newcomers waiting, newcomers in a live match,
    active hosts; each count under 5 is suppressed (None)."""
    newcomers = NewcomerProfile.objects.all()
    hosts = HostProfile.objects.filter(status=HostProfile.Status.ACTIVE)
    if organization_ids is not None:
        newcomers = newcomers.filter(organization_id__in=organization_ids)
        hosts = hosts.filter(organization_id__in=organization_ids)
    totals = newcomers.aggregate(
        waiting=Count("pk", filter=Q(status=NewcomerProfile.Status.WAITING)),
        connected=Count("pk", filter=Q(matches__status__in=Match.LIVE), distinct=True),
    )
    keys = ("newcomers_waiting", "newcomers_connected", "hosts_active")
    values = [totals["waiting"], totals["connected"], hosts.count()]
    # Three different populations, not parts of one total: each is suppressed on its own.
    return {key: suppress_counts([value]).cells[0] for key, value in zip(keys, values, strict=True)}


@dataclass(frozen=True)
class OutputCounts:
    """Output 4, "newcomers and host communities interact", for a period: interactions logged,
    newcomers connected (in a match under way or at a group activity, each counted once), hosts
    active, and people at activities who gave no details. None: fewer than 5, not published."""

    interactions: int | None
    newcomers_connected: int | None
    hosts_active: int | None
    anonymous_attendees: int | None


def connections_output_counts(
    *,
    organization: Organization | None = None,
    period: tuple[date, date] | None = None,
    suppress: bool = True,
) -> OutputCounts:
    """The counts the outcomes' logic model reads, for one organization or all, over `period`
    (first and last day, inclusive; None: all time). Suppressed under 5 unless `suppress` is
    False, which only the organization's own staff pages ask for."""
    interactions = Interaction.objects.all()
    matches = Match.objects.filter(introduced_at__isnull=False)
    attendance = Attendance.objects.all()
    if organization is not None:
        interactions = interactions.filter(match__program__organization=organization)
        matches = matches.filter(program__organization=organization)
        attendance = attendance.filter(activity__program__organization=organization)
    if period is not None:
        first, last = period
        interactions = interactions.filter(date__range=(first, last))
        matches = matches.filter(introduced_at__date__lte=last).filter(
            Q(closed_at__isnull=True) | Q(closed_at__date__gte=first)
        )
        attendance = attendance.filter(activity__date__range=(first, last))
    newcomers = set(matches.values_list("newcomer_id", flat=True))
    newcomers |= set(attendance.exclude(newcomer=None).values_list("newcomer_id", flat=True))
    hosts = set(matches.values_list("match_hosts__host_id", flat=True)) - {None}
    hosts |= set(attendance.exclude(host=None).values_list("host_id", flat=True))
    anonymous = attendance.aggregate(total=Sum("anonymous_count"))["total"] or 0
    counts = [interactions.count(), len(newcomers), len(hosts), anonymous]
    # Four different measures, not parts of one total: each is suppressed on its own.
    shown = [suppress_counts([c]).cells[0] for c in counts] if suppress else list(counts)
    return OutputCounts(*shown)


# --- the coordinator's workflow ----------------------------------------------------------------

RUNS_LISTED = 20


def match_runs_of(*, program: Program) -> QuerySet[MatchRun]:
    """The program's latest runs, newest first."""
    return MatchRun.objects.filter(program=program).select_related("actor")[:RUNS_LISTED]


def _with_hosts(matches: QuerySet[Match]) -> QuerySet[Match]:
    rows = MatchHost.objects.select_related("host").order_by("pk")
    return matches.select_related("newcomer", "program").prefetch_related(
        Prefetch("match_hosts", queryset=rows)
    )


def run_proposals(*, run: MatchRun) -> QuerySet[Match]:
    """A run's proposals still standing, best score first, with their hosts and terms."""
    return _with_hosts(Match.objects.filter(run=run)).order_by("-score", "pk")


def matches_of_program(*, program: Program, status: str | None = None) -> QuerySet[Match]:
    """A program's matches (of one status, if given), best score first, with their hosts."""
    matches = Match.objects.filter(program=program)
    if status:
        matches = matches.filter(status=status)
    return _with_hosts(matches).order_by("-score", "pk")


def run_unmatched(*, run: MatchRun) -> list[tuple[NewcomerProfile | None, UnmatchedLine]]:
    """A run's unmatched newcomers with their reasons in sentences (one query for the people)."""
    lines = unmatched_lines(run.unmatched)
    people = NewcomerProfile.objects.in_bulk([line.newcomer_id for line in lines])
    return [(people.get(line.newcomer_id), line) for line in lines]


def match_detail(*, pk: int) -> Match | None:
    """A match with its hosts, interactions and feedback, for its page."""
    return (
        _with_hosts(Match.objects.filter(pk=pk))
        .select_related("program__organization", "run")
        .prefetch_related("interactions__logged_by", "feedback__host")
        .first()
    )


def matches_of_person(*, user: User) -> QuerySet[Match]:
    """The matches a volunteer hosts, or a newcomer is in, through their own profile."""
    if not user.is_authenticated:
        return Match.objects.none()
    mine = Q(match_hosts__host__user_id=user.pk) | Q(newcomer__user_id=user.pk)
    return (
        _with_hosts(Match.objects.filter(mine).exclude(status=Match.Status.REJECTED))
        .distinct()
        .order_by("-created_at", "-pk")
    )


def group_activities_of(*, program: Program) -> QuerySet[GroupActivity]:
    """The program's activities with their attendance counted: people named and people who gave
    no details."""
    return (
        GroupActivity.objects.filter(program=program)
        .annotate(
            named=Count("attendance", filter=Q(attendance__anonymous_count=0)),
            anonymous=Sum("attendance__anonymous_count"),
        )
        .order_by("-date", "-pk")
    )
