"""The coordinator's pages, in English and French: run, review with reasons, decide, introduce,
confirm, log interactions and attendance; another organization's coordinator gets 404."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from welcoming.accounts.models import Role
from welcoming.connections import lifecycle
from welcoming.connections.lifecycle import NEWCOMER
from welcoming.connections.models import Attendance, Interaction, Match, MatchRun

from .workflow_people import agency

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def decide(client: Client, match: Match, action: str, **extra: str):
    match.refresh_from_db()
    data = {"action": action, "version": str(match.version), **extra}
    return client.post(reverse("connections:match-decide", args=[match.pk]), data, follow=True)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_coordinator_runs_reviews_and_takes_a_match_to_logged_interactions(
    language: str,
) -> None:
    sample = agency()
    sample.newcomer("Sample Amanuel")
    sample.newcomer("Sample Lemlem", languages=[("som", 4)])
    host = sample.host("Sample Joan")
    client = signed_in(sample.coordinator)
    with translation.override(language):
        runs = reverse("connections:run-list", args=[sample.program.pk])
        detail = reverse("connections:program-detail", args=[sample.program.pk])
    assert runs in client.get(detail).content.decode()

    page = client.post(runs, {"solver": "optimal"}, follow=True)
    text = page.content.decode()
    assert page.status_code == 200
    assert "Sample Amanuel" in text and "Sample Joan" in text
    reason = {
        "en": "No screened host within 25 km speaks Somali.",
        "fr": "Aucun hôte vérifié à moins de 25 km ne parle Somali.",
    }[language]
    assert reason in text  # the unmatched newcomer's reason, in the page's language
    match = Match.objects.get()

    for action in ("accept", "introduce"):
        page = decide(client, match, action)
        assert page.status_code == 200
    assert len(mail.outbox) == 2
    page = decide(client, match, "confirm", side=NEWCOMER)
    page = decide(client, match, "confirm", side=str(host.pk))
    match.refresh_from_db()
    assert match.status == Match.Status.ACTIVE

    with translation.override(language):
        log = reverse("connections:interaction-log", args=[match.pk])
    page = client.post(
        log,
        {"date": "2026-01-15", "kind": "meeting", "duration_minutes": "60", "note": "Coffee"},
        follow=True,
    )
    assert "Coffee" in page.content.decode()
    assert Interaction.objects.filter(match=match, logged_by=sample.coordinator).exists()


def test_a_stale_decision_says_so_and_changes_nothing() -> None:
    sample = agency()
    sample.newcomer()
    sample.host()
    client = signed_in(sample.coordinator)
    client.post(reverse("connections:run-list", args=[sample.program.pk]), {"solver": "optimal"})
    match = Match.objects.get()
    opened = match.version
    decide(client, match, "hold")
    page = client.post(
        reverse("connections:match-decide", args=[match.pk]),
        {"action": "reject", "version": str(opened)},
        follow=True,
    )
    assert "changed by someone else" in page.content.decode()
    match.refresh_from_db()
    assert (match.status, match.held) == ("proposed", True)


def test_the_swap_page_shows_both_pairs_scores_and_swaps() -> None:
    sample = agency()
    sample.newcomer(interests=["cooking"])
    sample.newcomer(interests=["music"])
    sample.host(interests=["cooking"])
    sample.host(interests=["music"])
    client = signed_in(sample.coordinator)
    client.post(reverse("connections:run-list", args=[sample.program.pk]), {"solver": "optimal"})
    first, second = Match.objects.order_by("pk")
    before = (first.match_hosts.get().host_id, second.match_hosts.get().host_id)
    url = reverse("connections:match-swap", args=[first.run_id])
    page = client.get(url, {"first": first.pk, "second": second.pk})
    assert page.status_code == 200
    assert page.content.decode().count("Score after the swap") == 2
    client.post(url, page.context["form"].initial)
    after = (first.match_hosts.get().host_id, second.match_hosts.get().host_id)
    assert after == (before[1], before[0])


def test_the_confirmation_link_works_without_signing_in() -> None:
    sample = agency()
    sample.newcomer()
    sample.host()
    coordinator = signed_in(sample.coordinator)
    coordinator.post(
        reverse("connections:run-list", args=[sample.program.pk]), {"solver": "optimal"}
    )
    match = Match.objects.get()
    decide(coordinator, match, "accept")
    decide(coordinator, match, "introduce")
    match.refresh_from_db()
    # The newcomer's own link, as mailed (a signed token: the match and the side).
    url = re.search(r"https?://\S+(/en/connections/confirm/\S+/)", mail.outbox[0].body)[1]
    assert lifecycle.confirmation_read(url.split("/")[-2]) == (match, NEWCOMER)
    anonymous = Client()
    assert anonymous.get(url).status_code == 200
    assert Match.objects.get().newcomer_confirmed_at is None  # a GET changes nothing
    assert anonymous.post(url).status_code == 200
    assert Match.objects.get().newcomer_confirmed_at is not None
    assert anonymous.get(url + "x/").status_code == 404


def test_a_volunteer_sees_and_logs_on_their_own_matches_only() -> None:
    sample = agency()
    sample.newcomer()
    sample.newcomer()
    volunteer = sample.member(Role.VOLUNTEER)
    mine = sample.host("Sample volunteer with an account", user=volunteer)
    sample.host()
    client = signed_in(sample.coordinator)
    client.post(reverse("connections:run-list", args=[sample.program.pk]), {"solver": "optimal"})
    for match in Match.objects.all():
        decide(client, match, "accept")
        decide(client, match, "introduce")
    own = Match.objects.get(match_hosts__host=mine)
    other = Match.objects.exclude(pk=own.pk).get()

    volunteer_client = signed_in(volunteer)
    listing = volunteer_client.get(reverse("connections:my-matches")).content.decode()
    assert reverse("connections:match-detail", args=[own.pk]) in listing
    assert reverse("connections:match-detail", args=[other.pk]) not in listing
    assert (
        volunteer_client.get(reverse("connections:match-detail", args=[other.pk])).status_code
        == 404
    )
    data = {"date": "2026-01-10", "kind": "call", "duration_minutes": "20", "note": ""}
    volunteer_client.post(reverse("connections:interaction-log", args=[own.pk]), data)
    assert Interaction.objects.filter(match=own, logged_by=volunteer).count() == 1
    # A volunteer logs interactions; deciding is the staff's.
    decide(volunteer_client, own, "end", reason="moved")
    assert Match.objects.get(pk=own.pk).status == Match.Status.INTRODUCED
    assert (
        volunteer_client.get(reverse("connections:run-list", args=[sample.program.pk])).status_code
        == 404
    )


def test_another_organizations_coordinator_sees_none_of_it() -> None:
    sample = agency()
    sample.newcomer()
    sample.host()
    client = signed_in(sample.coordinator)
    client.post(reverse("connections:run-list", args=[sample.program.pk]), {"solver": "optimal"})
    match = Match.objects.get()
    run = MatchRun.objects.get()
    stranger = signed_in(agency("Other agency").coordinator)
    for url in (
        reverse("connections:run-list", args=[sample.program.pk]),
        reverse("connections:run-detail", args=[run.pk]),
        reverse("connections:match-detail", args=[match.pk]),
        reverse("connections:activity-list", args=[sample.program.pk]),
    ):
        assert stranger.get(url).status_code == 404, url
    response = stranger.post(
        reverse("connections:match-decide", args=[match.pk]),
        {"action": "accept", "version": "1"},
    )
    assert response.status_code == 404
    assert Match.objects.get().accepted_at is None


def test_attendance_counts_people_who_gave_no_details() -> None:
    sample = agency()
    newcomer = sample.newcomer()
    client = signed_in(sample.coordinator)
    page = client.post(
        reverse("connections:activity-list", args=[sample.program.pk]),
        {"title": "Conversation circle", "date": datetime.date.today().isoformat()},
        follow=True,
    )
    activity = page.context["activity"]
    client.post(
        reverse("connections:activity-detail", args=[activity.pk]),
        {"newcomers": [newcomer.pk], "anonymous_count": "7"},
    )
    rows = Attendance.objects.filter(activity=activity)
    assert rows.count() == 2
    assert rows.get(newcomer__isnull=True).anonymous_count == 7
    page = client.get(reverse("connections:activity-list", args=[sample.program.pk]))
    assert page.context["activities"][0].anonymous == 7


def test_the_review_page_asks_a_fixed_number_of_queries(django_assert_max_num_queries) -> None:
    sample = agency()
    for _ in range(6):
        sample.newcomer()
        sample.host()
    client = signed_in(sample.coordinator)
    client.post(reverse("connections:run-list", args=[sample.program.pk]), {"solver": "optimal"})
    run = MatchRun.objects.get()
    with django_assert_max_num_queries(12):
        assert client.get(reverse("connections:run-detail", args=[run.pk])).status_code == 200


def test_the_run_page_follows_a_queued_run_and_reloads_when_it_ends() -> None:
    sample = agency()
    run = MatchRun.objects.create(program=sample.program, actor=sample.coordinator)
    client = signed_in(sample.coordinator)
    url = reverse("connections:run-detail", args=[run.pk])
    page = client.get(url)
    assert 'hx-trigger="every 2s"' in page.content.decode()
    partial = client.get(url, HTTP_HX_REQUEST="true")
    assert partial.content.decode().lstrip().startswith('<section id="run-status"')
    MatchRun.objects.filter(pk=run.pk).update(status="running", progress=30)
    assert 'value="30"' in client.get(url, HTTP_HX_REQUEST="true").content.decode()
    MatchRun.objects.filter(pk=run.pk).update(status="finished", progress=100)
    done = client.get(url, HTTP_HX_REQUEST="true")
    assert done.headers["HX-Refresh"] == "true"
