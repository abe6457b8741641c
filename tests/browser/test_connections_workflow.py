"""A coordinator runs a matching on sample data (the tests' and the demo's) and takes it to
logged interactions, in English and in French, in Chromium with axe-core; a coordinator of
another organization sees none of it."""

import re

import pytest

from tests.browser.actions import follow
from tests.connections.factories import real_community
from tests.connections.workflow_people import agency
from welcoming.accounts.models import User
from welcoming.accounts.services import operator_user
from welcoming.connections.models import Interaction, Match, Program
from welcoming.demo.connections import demo_connections_load
from welcoming.demo.services import DemoReport, _demo_people

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery staple"
TEXT = {
    "en": {
        "matching": "Matching: runs and proposals",
        "reason": "No screened host within 25 km speaks Somali.",
        "open": "Open the match of Sample Amanuel",
    },
    "fr": {
        "matching": "Jumelage : exécutions et propositions",
        "reason": "Aucun hôte vérifié à moins de 25 km ne parle Somali.",
        "open": "Ouvrir le jumelage de Sample Amanuel",
    },
}


def sign_in(page, base: str, language: str, user) -> None:
    page.goto(f"{base}/{language}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    follow(page, "form.stacked button[type=submit]")


def decide(page, action: str) -> None:
    follow(page, page.locator(f"form:has(input[name=action][value={action}]) button").first)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_coordinator_takes_a_matching_to_logged_interactions(
    page, live_server, assert_accessible, language: str
) -> None:
    text = TEXT[language]
    sample = agency()
    sample.newcomer("Sample Amanuel", preferred_language=language)
    sample.newcomer("Sample Hodan", languages=[("som", 4)])
    sample.host("Sample Joan")
    sample.host("Sample Luc", languages=[("fra", 4), ("eng", 3)], capacity=0)
    sample.coordinator.set_password(PASSWORD)
    sample.coordinator.save()

    sign_in(page, live_server.url, language, sample.coordinator)
    follow(page, page.locator("header nav a[href$='/connections/programs/']"))  # the menu's link
    name = sample.program.name_fr if language == "fr" else sample.program.name_en
    follow(page, page.get_by_role("link", name=name).first)
    follow(page, page.get_by_role("link", name=text["matching"]))
    assert_accessible(page)
    follow(page, page.locator("main form button[type=submit]"))

    page.locator("article.proposal").wait_for()
    assert text["reason"] in page.locator("article.unmatched").inner_text()
    assert_accessible(page)
    decide(page, "accept")
    assert page.get_by_role("status").first.is_visible()

    follow(page, page.get_by_role("link", name=text["open"]))
    decide(page, "introduce")
    decide(page, "confirm")
    decide(page, "confirm")
    assert Match.objects.get().status == Match.Status.ACTIVE
    assert_accessible(page)

    page.fill("#id_duration_minutes", "45")
    page.select_option("#id_kind", "meeting")
    page.fill("#id_note", "Visited the public library together")
    follow(page, page.locator("form[action$='/interactions/'] button[type=submit]"))
    page.locator("td", has_text="Visited the public library together").wait_for()
    assert_accessible(page)
    match = Match.objects.get()
    assert match.status == Match.Status.ACTIVE
    assert Interaction.objects.filter(match=match).count() == 1

    # A coordinator of another organization finds none of it, even by its address.
    other = agency("Other agency")
    other.coordinator.set_password(PASSWORD)
    other.coordinator.save()
    match_url = page.url
    page.context.clear_cookies()
    sign_in(page, live_server.url, language, other.coordinator)
    response = page.goto(match_url)
    assert response.status == 404
    runs = re.sub(r"/matches/\d+/$", f"/programs/{sample.program.pk}/runs/", match_url)
    assert page.goto(runs).status == 404


def test_the_demo_agencys_coordinator_matches_its_sample_newcomers(
    page, live_server, assert_accessible
) -> None:
    """On the demo's own sample people (Moncton and Dieppe): run, review the reasons, accept,
    introduce; the demo city hall's coordinator sees none of it."""
    for code in ("1307022", "1307045", "4607062", "4611040"):
        real_community(code)
    _demo_people(actor=operator_user(), password=PASSWORD, report=DemoReport())
    demo_connections_load(actor=operator_user())
    program = Program.objects.get(name_en="One-to-one mentoring (sample)")
    coordinator = User.objects.get(username="demo-agency-agency-staff")

    sign_in(page, live_server.url, "fr", coordinator)
    page.goto(f"{live_server.url}/fr/connections/programs/{program.pk}/runs/")
    follow(page, page.locator("main form button[type=submit]"))
    page.locator("article.proposal").first.wait_for()
    assert page.locator("article.proposal").count() == Match.objects.filter(program=program).count()
    assert_accessible(page)
    decide(page, "accept")
    follow(page, page.locator("article.proposal a").first)
    decide(page, "introduce")
    assert Match.objects.filter(program=program, status=Match.Status.INTRODUCED).count() == 1

    run_page = page.url
    page.context.clear_cookies()
    sign_in(page, live_server.url, "fr", User.objects.get(username="demo-city-agency-staff"))
    assert page.goto(run_page).status == 404
