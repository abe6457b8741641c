"""Connections' part of the all-routes matrix (tests/test_access_matrix.py): one set of records
per organization, and the requests that ask for them."""

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.urls import reverse

from welcoming.accounts.models import Role, User
from welcoming.connections.lifecycle import NEWCOMER, confirmation_token
from welcoming.connections.models import (
    Attendance,
    Feedback,
    GroupActivity,
    HostProfile,
    Interaction,
    Match,
    MatchHost,
    MatchRun,
    NewcomerProfile,
    Program,
)
from welcoming.core.models import Community, Organization

TORONTO = "3520005"
POINT = {"latitude": 43.6532, "longitude": -79.3832}


def _profile_fields(organization: Organization, name: str) -> dict[str, Any]:
    community = Community.objects.get(code=TORONTO)
    return {"organization": organization, "community": community, "name": name, **POINT}


def connections_records(
    organizations: dict[str, Organization], people: dict[Any, User], someone: User
) -> dict[Any, Any]:
    records: dict[Any, Any] = {}
    for organization in organizations.values():
        program = Program.objects.create(
            organization=organization, name_en="Synthetic", name_fr="Fictif", kind="mentoring"
        )
        program.communities.set(Community.objects.filter(code=TORONTO))
        newcomer = NewcomerProfile.objects.create(
            **_profile_fields(organization, "Synthetic newcomer"),
            arrival_date=date(2025, 5, 1),
            age_group="adult",
        )
        newcomer.languages.create(code="eng", level=3)
        host = HostProfile.objects.create(
            **_profile_fields(organization, "Synthetic host"), kind="volunteer"
        )
        host.languages.create(code="eng", level=4)
        run = MatchRun.objects.create(program=program, actor=someone)
        match = Match.objects.create(program=program, newcomer=newcomer, run=run)
        activity = GroupActivity.objects.create(
            program=program, date=date(2026, 1, 5), title="Synthetic circle", created_by=someone
        )
        found = {
            "connections.program": program,
            "connections.newcomerprofile": newcomer,
            "connections.hostprofile": host,
            "connections.matchrun": run,
            "connections.match": match,
            "connections.interaction": Interaction.objects.create(
                match=match,
                date=date(2026, 1, 5),
                kind="call",
                duration_minutes=30,
                logged_by=someone,
            ),
            "connections.feedback": Feedback.objects.create(
                match=match, side="newcomer", rating=4, given_by=someone
            ),
            "connections.groupactivity": activity,
            "connections.newcomerlanguage": newcomer.languages.get(),
            "connections.hostlanguage": host.languages.get(),
            "connections.matchhost": MatchHost.objects.create(match=match, host=host),
            "connections.attendance": Attendance.objects.create(
                activity=activity, newcomer=newcomer
            ),
        }
        records.update({(label, organization.pk): obj for label, obj in found.items()})
    for subject, user in people.items():  # each newcomer has signed up with their organization
        if subject.role == Role.NEWCOMER:
            NewcomerProfile.objects.create(
                **_profile_fields(organizations[subject.home], "Synthetic self sign-up"),
                user=user,
                arrival_date=date(2025, 5, 1),
                age_group="adult",
            )
    return records


def connections_pages(objects: dict[Any, Any], organization: Organization) -> Iterator[tuple]:
    for name in (
        "connections:program-list",
        "connections:program-create",
        "connections:newcomer-list",
        "connections:newcomer-create",
        "connections:host-list",
        "connections:host-create",
        "connections:sign-up",
        "connections:my-profile",
        "connections:counts",
    ):
        yield name, "get", reverse(name), None, None
    for entity, label in (
        ("program", "connections.program"),
        ("newcomer", "connections.newcomerprofile"),
        ("host", "connections.hostprofile"),
    ):
        pk = objects[(label, organization.pk)].pk
        person = ("export", "erase") if entity != "program" else ()
        for action in ("detail", "edit", *person):
            name = f"connections:{entity}-{action}"
            yield name, "get", reverse(name, args=[pk]), None, None
        if entity != "program":  # an empty confirmation erases nothing: the form again
            name = f"connections:{entity}-erase"
            yield name, "post", reverse(name, args=[pk]), {}, None


def _profile_body(organization: Organization) -> dict[str, Any]:
    return {
        "organization_id": organization.pk,
        "name": "Synthetic person",
        "community": TORONTO,
        "postal_code": "M5V",
        "languages": [{"code": "eng", "level": 3}],
    }


def connections_api_request(objects: dict[Any, Any], home: Organization, operation: str) -> tuple:
    method, path = operation.split(" ", 1)
    kind = path.split("/")[4]  # programs, newcomers, hosts, counts
    label = {
        "programs": "connections.program",
        "newcomers": "connections.newcomerprofile",
        "hosts": "connections.hostprofile",
    }.get(kind)
    record = objects[(label, home.pk)] if label else None
    bodies = {
        "programs": {
            "organization_id": home.pk,
            "name_en": "Synthetic program",
            "name_fr": "Programme fictif",
            "kind": "youth",
            "communities": [TORONTO],
        },
        "newcomers": {
            **_profile_body(home),
            "arrival_date": "2025-05-01",
            "age_group": "youth",
            "consent_given": True,
        },
        "hosts": {**_profile_body(home), "kind": "mentor"},
    }
    url = path.format(program_id=getattr(record, "pk", 0), profile_id=getattr(record, "pk", 0))
    if method == "GET":
        return operation, "get", url, None, None
    if path.endswith("/erase"):  # no reason given: refused (422) once allowed, nothing erased
        return operation, "post_json", url, {"reason": ""}, None
    body = dict(bodies[kind])
    if method == "PUT":
        assert record is not None
        record.refresh_from_db()
        body["version"] = record.version
        return operation, "put_json", url, body, None
    return operation, "post_json", url, body, None


# --- the coordinator's workflow -----------------------------------------------------------------

WORKFLOW_API = frozenset(
    {
        "POST /api/v1/connections/programs/{program_id}/runs",
        "GET /api/v1/connections/runs/{run_id}",
        "GET /api/v1/connections/programs/{program_id}/matches",
        "GET /api/v1/connections/matches/{match_id}",
        "POST /api/v1/connections/matches/{match_id}/decide",
        "GET /api/v1/connections/matches/{match_id}/interactions",
        "POST /api/v1/connections/matches/{match_id}/interactions",
        "POST /api/v1/connections/runs/{run_id}/swap",
    }
)


def _introduced_match(objects: dict[Any, Any], organization: Organization) -> Match:
    """A second match of the organization's program, introduced: its confirmation link works."""
    key = ("connections.match:introduced", organization.pk)
    if key not in objects:
        match = objects[("connections.match", organization.pk)]
        introduced = Match.objects.create(
            program=match.program, newcomer=match.newcomer, status=Match.Status.INTRODUCED
        )
        MatchHost.objects.create(match=introduced, host=match.match_hosts.get().host)
        objects[key] = introduced
    found: Match = objects[key]
    return found


def workflow_pages(objects: dict[Any, Any], organization: Organization) -> Iterator[tuple]:
    def pk(label: str) -> int:
        return int(objects[(label, organization.pk)].pk)

    for name, label in (
        ("connections:run-list", "connections.program"),
        ("connections:run-detail", "connections.matchrun"),
        ("connections:match-swap", "connections.matchrun"),  # no pair chosen: back to review
        ("connections:match-detail", "connections.match"),
        ("connections:activity-list", "connections.program"),
        ("connections:activity-detail", "connections.groupactivity"),
    ):
        yield name, "get", reverse(name, args=[pk(label)]), None, None
    # Empty forms change nothing: back to the match with a message, or the form again.
    for name in (
        "connections:match-decide",
        "connections:interaction-log",
        "connections:feedback-give",
    ):
        yield name, "post", reverse(name, args=[pk("connections.match")]), {}, None
    token = confirmation_token(_introduced_match(objects, organization), NEWCOMER)
    confirm = reverse("connections:match-confirm", args=[token])
    yield "connections:match-confirm", "get", confirm, None, None
    yield "connections:my-matches", "get", reverse("connections:my-matches"), None, None


def workflow_api_request(objects: dict[Any, Any], home: Organization, operation: str) -> tuple:
    """Bodies that change nothing once allowed: a dry run, a confirmation for nobody, an
    interaction in the future, a swap of a proposal with itself."""
    method, path = operation.split(" ", 1)
    url = path.format(
        program_id=objects[("connections.program", home.pk)].pk,
        run_id=objects[("connections.matchrun", home.pk)].pk,
        match_id=objects[("connections.match", home.pk)].pk,
    )
    if method == "GET":
        return operation, "get", url, None, None
    match = objects[("connections.match", home.pk)].pk
    bodies: dict[str, dict[str, Any]] = {
        "swap": {"first": match, "second": match, "first_version": 1, "second_version": 1},
        "runs": {"dry_run": True},
        "decide": {"action": "confirm", "version": 1, "side": "0"},
        "interactions": {"date": "2999-01-01", "kind": "call", "duration_minutes": 5},
    }
    return operation, "post_json", url, bodies[path.rsplit("/", 1)[-1]], None
