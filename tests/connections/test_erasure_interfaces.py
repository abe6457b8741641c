"""Erasure and export through the page, the API and the command line: the same service, the
same rules (another organization's staff 404, volunteers and newcomers refused), and the swap of
two proposals' hosts through the API."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from welcoming.accounts.models import Role, Scope
from welcoming.connections.models import HostProfile, Match, MatchRun, NewcomerProfile
from welcoming.connections.runs import match_run_create

from .test_workflow_api import BASE, client_for, post
from .workflow_people import agency

pytestmark = pytest.mark.django_db
NAME = "Sample Erasable Person"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_page_names_what_goes_and_erases_after_confirmation(language: str) -> None:
    sample = agency()
    newcomer = sample.newcomer(NAME)
    client = signed_in(sample.coordinator)
    with translation.override(language):
        detail = reverse("connections:newcomer-detail", args=[newcomer.pk])
        url = reverse("connections:newcomer-erase", args=[newcomer.pk])
        assert url.encode() in client.get(detail).content  # reachable from the profile
        page = client.get(url)
        text = page.content.decode()
        assert page.status_code == 200
        if language == "fr":
            assert "Effacer les données" in text and "Code postal" in text
        else:
            assert "Erase the data" in text and "Postal code" in text
        unconfirmed = client.post(url, {"reason": "Asked by phone"})
        assert unconfirmed.status_code == 200
        assert NewcomerProfile.objects.get(pk=newcomer.pk).name == NAME
        done = client.post(url, {"reason": "Asked by phone", "confirm": "on"})
        assert done.status_code == 302 and done["Location"] == detail
        shown = client.get(detail).content.decode()
    erased = NewcomerProfile.objects.get(pk=newcomer.pk)
    assert erased.erased_at is not None and NAME not in shown
    assert f"{newcomer.pk}" in shown


def test_the_export_page_downloads_the_persons_json() -> None:
    sample = agency()
    host = sample.host(NAME)
    response = signed_in(sample.coordinator).get(reverse("connections:host-export", args=[host.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="host-{host.pk}.json"'
    assert json.loads(response.content)["profile"]["name"] == NAME


def test_other_organizations_get_404_and_volunteers_and_newcomers_may_not_erase() -> None:
    sample = agency()
    newcomer = sample.newcomer(NAME)
    host = sample.host()
    for user in (
        agency("Other agency").coordinator,
        sample.member(Role.VOLUNTEER),
        sample.member(Role.NEWCOMER),
    ):
        client = signed_in(user)
        for name, pk in (
            ("connections:newcomer-erase", newcomer.pk),
            ("connections:host-erase", host.pk),
            ("connections:newcomer-export", newcomer.pk),
        ):
            url = reverse(name, args=[pk])
            assert client.get(url).status_code == 404, (user, name)
            data = {"reason": "x", "confirm": "on"}
            assert client.post(url, data).status_code in (404, 405), (user, name)
    assert NewcomerProfile.objects.get(pk=newcomer.pk).erased_at is None
    assert HostProfile.objects.get(pk=host.pk).erased_at is None


def test_the_api_erases_and_exports_with_the_write_scope() -> None:
    sample = agency()
    newcomer = sample.newcomer(NAME)
    client, headers = client_for(sample.coordinator)
    exported = client.get(f"{BASE}/newcomers/{newcomer.pk}/export", **headers)
    assert exported.status_code == 200 and exported.json()["profile"]["name"] == NAME

    reader, read_only = client_for(sample.coordinator, scopes=[Scope.READ])
    url = f"{BASE}/newcomers/{newcomer.pk}/erase"
    assert post(reader, read_only, url, {"reason": "Asked"}).status_code == 403
    missing = post(client, headers, url, {"reason": " "})
    assert missing.status_code == 422 and "reason" in missing.json()["errors"]
    stranger, other = client_for(agency("Other agency").coordinator)
    assert post(stranger, other, url, {"reason": "Asked"}).status_code == 404
    assert stranger.get(f"{BASE}/newcomers/{newcomer.pk}/export", **other).status_code == 404
    volunteer, theirs = client_for(sample.member(Role.VOLUNTEER))
    assert post(volunteer, theirs, url, {"reason": "Asked"}).status_code == 404

    erased = post(client, headers, url, {"reason": "Asked"})
    assert erased.status_code == 200, erased.content
    body = erased.json()
    assert body["erased_at"] and body["email"] == "" and body["arrival_date"] is None
    assert body["age_group"] == "" and body["languages"] == []
    again = post(client, headers, url, {"reason": "Asked"})
    assert again.status_code == 422 and "already erased" in again.json()["errors"]["__all__"][0]
    listed = client.get(f"{BASE}/newcomers", **headers).json()
    assert newcomer.pk not in [p["id"] for p in listed["items"]]


def test_the_command_erases_and_reports_a_bad_number_clearly() -> None:
    sample = agency()
    host = sample.host(NAME)
    out = StringIO()
    call_command("connections_erase", "--host", str(host.pk), "--reason", "Letter", stdout=out)
    assert f"Erased profile {host.pk}" in out.getvalue()
    erased = HostProfile.objects.get(pk=host.pk)
    assert erased.erased_at is not None
    assert erased.history.get().history_user.username == "operator"
    with pytest.raises(CommandError, match="already erased"):
        call_command("connections_erase", "--host", str(host.pk), "--reason", "Letter")
    with pytest.raises(CommandError, match="No newcomer profile has the number 99999"):
        call_command("connections_erase", "--newcomer", "99999", "--reason", "Letter")
    # In-process `welcoming` would set up logging again on pytest's captured stream: the command
    # is called directly, and its error carries the exit status the command line gives.
    with pytest.raises(CommandError, match="No newcomer profile has the number abc") as refused:
        call_command("connections_erase", "--newcomer", "abc", "--reason", "Letter")
    assert refused.value.returncode == 2


def test_the_export_command_writes_json(tmp_path) -> None:
    sample = agency()
    newcomer = sample.newcomer(NAME)
    out = StringIO()
    call_command("connections_export", "--newcomer", str(newcomer.pk), stdout=out)
    assert json.loads(out.getvalue())["profile"]["name"] == NAME
    target = tmp_path / "person.json"
    call_command("connections_export", "--newcomer", str(newcomer.pk), "--output", str(target))
    assert json.loads(target.read_text(encoding="utf-8"))["kind"] == "newcomer"


# --- swapping two proposals' hosts through the API ---------------------------------------------


def _two_proposals(sample, **languages) -> tuple[MatchRun, Match, Match]:
    match_run_create(program=sample.program, solver="optimal", actor=sample.coordinator)
    run = MatchRun.objects.get(program=sample.program)
    first, second = Match.objects.filter(run=run).order_by("newcomer_id")
    return run, first, second


def test_the_api_swaps_two_proposals_hosts_as_the_page_does() -> None:
    sample = agency()
    sample.newcomer(interests=["cooking"])
    sample.newcomer(interests=["music"])
    sample.host(interests=["cooking"])
    sample.host(interests=["music"])
    run, first, second = _two_proposals(sample)
    hosts = (first.match_hosts.get().host_id, second.match_hosts.get().host_id)
    client, headers = client_for(sample.coordinator)
    body = {
        "first": first.pk,
        "second": second.pk,
        "first_version": first.version,
        "second_version": second.version,
    }
    swapped = post(client, headers, f"{BASE}/runs/{run.pk}/swap", body)
    assert swapped.status_code == 200, swapped.content
    data = swapped.json()
    assert data["first"]["hosts"][0]["host_id"] == hosts[1]
    assert data["second"]["hosts"][0]["host_id"] == hosts[0]
    assert data["first"]["score"] < first.score  # re-scored by the engine
    stale = post(client, headers, f"{BASE}/runs/{run.pk}/swap", body)
    assert stale.status_code == 409


def test_a_swap_through_the_api_is_refused_naming_the_field() -> None:
    sample = agency()
    sample.newcomer("Sample Tigrinya speaker", languages=[("tir", 4)])
    sample.newcomer("Sample Somali speaker", languages=[("som", 4)])
    sample.host(languages=[("tir", 4)])
    sample.host(languages=[("som", 4)])
    run, first, second = _two_proposals(sample)
    client, headers = client_for(sample.coordinator)
    url = f"{BASE}/runs/{run.pk}/swap"
    body = {"first": first.pk, "second": second.pk, "first_version": 1, "second_version": 1}
    refused = post(client, headers, url, body)
    assert refused.status_code == 422
    assert "Tigrinya" in refused.json()["errors"]["first"][0]
    unknown = post(client, headers, url, {**body, "second": 99999})
    assert unknown.status_code == 422 and "99999" in unknown.json()["errors"]["second"][0]
    same = post(client, headers, url, {**body, "second": first.pk})
    assert same.status_code == 422 and "second" in same.json()["errors"]
    missing = post(client, headers, url, {"first": first.pk})
    assert missing.status_code == 422
    assert {e["loc"][-1] for e in missing.json()["detail"]} >= {"second", "first_version"}
    stranger, other = client_for(agency("Other agency").coordinator)
    assert post(stranger, other, url, body).status_code == 404
    reader, read_only = client_for(sample.coordinator, scopes=[Scope.READ])
    assert post(reader, read_only, url, body).status_code == 403
    assert {m.match_hosts.get().host_id for m in (first, second)} == {
        m.match_hosts.get().host_id for m in Match.objects.filter(run=run)
    }
