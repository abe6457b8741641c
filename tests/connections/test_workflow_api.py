"""The workflow in the API: start and follow a run, list and decide matches, log interactions;
stale decisions 409, refused steps 422, other organizations 404, scopes enforced."""

import pytest
from django.test import Client

from welcoming.accounts.models import Scope
from welcoming.accounts.services import api_token_create
from welcoming.connections.models import Match

from .workflow_people import agency

pytestmark = pytest.mark.django_db
BASE = "/api/v1/connections"


def client_for(user, scopes=(Scope.READ, Scope.WRITE_CONNECTIONS)) -> tuple[Client, dict]:
    _token, secret = api_token_create(user=user, name="test", scopes=list(scopes))
    return Client(), {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def post(client: Client, headers: dict, url: str, body: dict):
    return client.post(url, body, content_type="application/json", **headers)


def test_a_run_started_through_the_api_is_followed_and_its_matches_decided() -> None:
    sample = agency()
    sample.newcomer()
    sample.newcomer(languages=[("som", 4)])
    host = sample.host()
    client, headers = client_for(sample.coordinator)

    started = post(client, headers, f"{BASE}/programs/{sample.program.pk}/runs", {})
    assert started.status_code == 201, started.content
    run = started.json()
    assert (run["status"], run["proposals_count"], run["unmatched_count"]) == ("finished", 1, 1)
    assert "Somali" in run["unmatched"][0]["summary"]
    status = client.get(f"{BASE}/runs/{run['id']}", **headers)
    assert status.json()["progress"] == 100

    listed = client.get(f"{BASE}/programs/{sample.program.pk}/matches", **headers).json()
    (match,) = listed["items"]
    assert match["hosts"][0]["host_id"] == host.pk
    assert {t["name"] for t in match["hosts"][0]["terms"]} >= {"language"}

    url = f"{BASE}/matches/{match['id']}/decide"
    accepted = post(client, headers, url, {"action": "accept", "version": match["version"]})
    assert accepted.status_code == 200 and accepted.json()["accepted_at"]
    stale = post(client, headers, url, {"action": "reject", "version": match["version"]})
    assert stale.status_code == 409
    version = accepted.json()["version"]
    early = post(client, headers, url, {"action": "complete", "version": version})
    assert early.status_code == 422 and "active" in early.json()["errors"]["__all__"][0]
    introduced = post(client, headers, url, {"action": "introduce", "version": version})
    assert introduced.json()["status"] == "introduced"

    logged = post(
        client,
        headers,
        f"{BASE}/matches/{match['id']}/interactions",
        {"date": "2026-01-02", "kind": "video", "duration_minutes": 45, "note": "First call"},
    )
    assert logged.status_code == 201, logged.content
    listed = client.get(f"{BASE}/matches/{match['id']}/interactions", **headers).json()
    assert [i["note"] for i in listed["items"]] == ["First call"]


def test_writing_needs_the_connections_scope() -> None:
    sample = agency()
    client, headers = client_for(sample.coordinator, scopes=[Scope.READ])
    response = post(client, headers, f"{BASE}/programs/{sample.program.pk}/runs", {})
    assert response.status_code == 403
    assert response.json()["required_scope"] == "write:connections"


def test_another_organization_gets_404() -> None:
    sample = agency()
    sample.newcomer()
    sample.host()
    own, own_headers = client_for(sample.coordinator)
    run = post(own, own_headers, f"{BASE}/programs/{sample.program.pk}/runs", {}).json()
    match = Match.objects.get()
    stranger, headers = client_for(agency("Other agency").coordinator)
    for url in (
        f"{BASE}/runs/{run['id']}",
        f"{BASE}/programs/{sample.program.pk}/matches",
        f"{BASE}/matches/{match.pk}",
        f"{BASE}/matches/{match.pk}/interactions",
    ):
        assert stranger.get(url, **headers).status_code == 404, url
    refused = post(
        stranger, headers, f"{BASE}/matches/{match.pk}/decide", {"action": "accept", "version": 1}
    )
    assert refused.status_code == 404
    started = post(stranger, headers, f"{BASE}/programs/{sample.program.pk}/runs", {})
    assert started.status_code == 404


def test_a_bad_action_or_solver_is_a_422_naming_the_field() -> None:
    sample = agency()
    client, headers = client_for(sample.coordinator)
    response = post(
        client, headers, f"{BASE}/programs/{sample.program.pk}/runs", {"solver": "greedy"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "solver"
