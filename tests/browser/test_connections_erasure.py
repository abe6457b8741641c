"""A coordinator erases a newcomer's data on request in Chromium, in English and in French: the
confirmation says what goes, refuses without the box ticked, and the page passes axe-core at
375 px."""

import pytest

from tests.browser.actions import follow
from tests.connections.workflow_people import agency
from welcoming.connections.models import NewcomerProfile

from .test_connections_workflow import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("language", "erase", "reason", "confirm", "button", "done"),
    [
        (
            "en",
            "Erase the person's data on request",
            "Why the profile is erased",
            "I understand that this cannot be undone.",
            "Erase the data",
            "was erased on request",
        ),
        (
            "fr",
            "Effacer les données de la personne sur demande",
            "Pourquoi le profil est effacé",
            "Je comprends que cette opération est irréversible.",
            "Effacer les données",
            "ont été effacées sur demande",
        ),
    ],
)
def test_a_coordinator_erases_a_newcomer_on_request(
    page, live_server, assert_accessible, language, erase, reason, confirm, button, done
) -> None:
    sample = agency("Browser erasure agency")
    newcomer = sample.newcomer("Synthetic newcomer to erase")
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, live_server.url, language, sample.coordinator)
    page.goto(f"{live_server.url}/{language}/connections/newcomers/{newcomer.pk}/")
    follow(page, page.get_by_role("link", name=erase))
    assert_accessible(page)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375

    page.get_by_label(reason).fill("Asked by telephone on 2026-12-01")
    follow(page, page.get_by_role("button", name=button))
    assert NewcomerProfile.objects.get(pk=newcomer.pk).erased_at is None  # the box is not ticked
    assert_accessible(page)

    page.get_by_label(confirm).check()
    follow(page, page.get_by_role("button", name=button))
    assert done in page.locator("main").inner_text()
    erased = NewcomerProfile.objects.get(pk=newcomer.pk)
    assert erased.erased_at is not None and erased.email == ""
    assert "Synthetic newcomer to erase" not in page.content()
    assert_accessible(page)
