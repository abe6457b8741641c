"""Reading programs and profiles: lists scoped to the organizations a person serves, and the
matching engine's problem for a program. Nothing here writes."""

from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from welcoming.accounts.models import Membership, User
from welcoming.core.roles import SERVING_ROLES
from welcoming.engines import matching
from welcoming.engines.suppression import suppress_counts

from .models import HostProfile, Match, NewcomerProfile, Program


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
        organization_id__in=organizations_served_by(user=user)
    ).select_related("organization", "community")
    if status:
        profiles = profiles.filter(status=status)
    return profiles.order_by("name", "pk")


def host_profile_list(*, user: User) -> QuerySet[HostProfile]:
    return (
        HostProfile.objects.filter(organization_id__in=organizations_served_by(user=user))
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


def matching_problem_for(
    *, program: Program, today: date | None = None, seed: int = 0
) -> matching.Problem:
    """The engine's problem for a program: its waiting newcomers and its active hosts.

    A newcomer waits when enrolled in the program, status "waiting", with an active consent to
    matching, and not already in a live (proposed, introduced or active) match of the program.
    Hosts are the program's active hosts, screened or not: the engine removes the unscreened and
    expired ones itself and counts them in its explanations. Active matches are passed on so an
    incremental run keeps them and fills the capacity left.
    """
    today = today or timezone.localdate()
    live = Match.objects.filter(program=program, status__in=Match.LIVE)
    newcomers = (
        NewcomerProfile.objects.filter(
            programs=program,
            status=NewcomerProfile.Status.WAITING,
            consent__isnull=False,
            consent__withdrawn_at__isnull=True,
        )
        .exclude(pk__in=live.values("newcomer_id"))
        .select_related("community")
        .prefetch_related("languages")
        .order_by("pk")
    )
    hosts = (
        HostProfile.objects.filter(programs=program, status=HostProfile.Status.ACTIVE)
        .select_related("community")
        .prefetch_related("languages")
        .order_by("pk")
    )
    active = (
        Match.objects.filter(program=program, status=Match.Status.ACTIVE)
        .prefetch_related("match_hosts")
        .order_by("pk")
    )
    return matching.Problem(
        program=matching_program(program),
        newcomers=tuple(matching_newcomer(p, today=today) for p in newcomers),
        hosts=tuple(matching_host(h) for h in hosts),
        today=today,
        active=tuple(
            (str(match.newcomer_id), str(row.host_id))
            for match in active
            for row in match.match_hosts.all()
        ),
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
