"""Account pages in Chromium: the lock-out after repeated failures, passwords, tokens and
two-step sign-in, in both languages, with axe-core finding no accessibility violation."""

import pytest
from django.conf import settings

from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery staple"


def _sign_in(page, site: str, language: str, username: str, password: str):
    page.goto(f"{site}/{language}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")


@pytest.mark.parametrize(
    ("language", "heading", "reset"),
    [
        ("en", "Sign-in paused", "Reset your password"),
        ("fr", "Connexion suspendue", "Réinitialiser votre mot de passe"),
    ],
)
def test_repeated_failures_lock_the_sign_in_even_for_the_right_password(
    page, live_server, assert_accessible, language: str, heading: str, reset: str
) -> None:
    person = UserFactory()
    site = live_server.url
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(page, site, language, person.username, f"guess {attempt}")
    _sign_in(page, site, language, person.username, PASSWORD)
    assert page.locator("h1").inner_text().strip() == heading
    assert page.get_by_role("alert").is_visible()
    assert page.locator("html").get_attribute("lang") == language
    # Still signed out: the header offers to sign in, the page to reset the password.
    assert page.get_by_role("link", name=reset).is_visible()
    assert_accessible(page)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_account_pages_are_accessible_at_phone_width(
    page, live_server, assert_accessible, language: str
) -> None:
    person = UserFactory()
    site = live_server.url
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{site}/{language}/accounts/password/reset/")
    assert_accessible(page)
    _sign_in(page, site, language, person.username, PASSWORD)

    page.goto(f"{site}/{language}/accounts/tokens/")
    page.fill("#id_name", "nightly import")
    page.check("input[value='write:indicators']")
    with page.expect_navigation():
        page.click("main form.stacked button[type=submit]")
    assert page.locator("#new-token-secret").is_visible()
    assert_accessible(page)

    page.goto(f"{site}/{language}/accounts/two-factor/")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.locator("main svg").is_visible()
    assert_accessible(page)

    page.goto(f"{site}/{language}/accounts/password/")
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
