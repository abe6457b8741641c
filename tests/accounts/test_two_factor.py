"""Two-step sign-in with an authenticator app (TOTP): set up, confirm, sign in, remove; required
for administrators."""

import re

import pytest
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import MembershipFactory, UserFactory
from welcoming.accounts.models import Role, User

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"
PAGE = "/en/accounts/two-factor/"
VERIFY = "/en/accounts/two-factor/verify/"


def code(device: TOTPDevice, *, ahead: int = 0) -> str:
    """The code the app shows now (ahead=1: in the next 30 s; a code is accepted only once)."""
    value = totp(device.bin_key, device.step, device.t0 - ahead * device.step, device.digits)
    return str(value).zfill(device.digits)


def _enrol(client: Client, person: User) -> TOTPDevice:
    client.post(PAGE)
    device = TOTPDevice.objects.get(user=person, confirmed=False)
    response = client.post("/en/accounts/two-factor/confirm/", {"code": code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    return device


def _sign_in(client: Client, person: User, *, next_page: str = "/en/framework/"):
    return client.post(
        "/en/accounts/login/",
        {"username": person.username, "password": PASSWORD, "next": next_page},
    )


def test_setting_up_shows_a_qr_code_and_the_key_and_asks_for_a_code(client) -> None:
    person = UserFactory()
    client.force_login(person)
    assert 'href="/en/accounts/two-factor/"' in client.get("/en/").content.decode()
    client.post(PAGE)
    device = TOTPDevice.objects.get(user=person)
    assert not device.confirmed
    page = client.get(PAGE).content.decode()
    assert "<svg" in page and "otpauth://totp/" in page
    assert re.search(r"<code>[A-Z2-7]{32,}</code>", page)


def test_a_wrong_code_leaves_the_authenticator_off(client) -> None:
    person = UserFactory()
    client.force_login(person)
    client.post(PAGE)
    device = TOTPDevice.objects.get(user=person)
    wrong = str((int(code(device)) + 1) % 1_000_000).zfill(6)
    response = client.post("/en/accounts/two-factor/confirm/", {"code": wrong})
    assert response.status_code == 422
    assert 'id="id_code_errors"' in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed


def test_with_an_authenticator_signing_in_takes_a_code(client) -> None:
    person = UserFactory()
    client.force_login(person)
    device = _enrol(client, person)
    client.post("/en/accounts/logout/")

    response = _sign_in(client, person)
    assert response.status_code == 302
    # The password alone reaches only the code page; the API refuses the half-open session.
    page = client.get("/en/framework/")
    assert page.status_code == 302
    assert page["Location"].startswith(VERIFY) and "next=%2Fen%2Fframework%2F" in page["Location"]
    assert client.get("/api/v1/accounts/me").status_code == 401

    assert client.post(VERIFY, {"code": "000000"}).status_code == 422
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code makes the next try wait a second or two
    response = client.post(VERIFY, {"code": code(device, ahead=1), "next": "/en/framework/"})
    assert response.status_code == 302 and response["Location"] == "/en/framework/"
    assert client.get("/en/framework/").status_code == 200
    assert client.get("/api/v1/accounts/me").status_code == 200


def test_the_admin_sign_in_also_asks_for_the_code(client) -> None:
    person = UserFactory(is_staff=True)
    client.force_login(person)
    _enrol(client, person)
    client.post("/en/accounts/logout/")
    client.post("/en/admin/login/", {"username": person.username, "password": PASSWORD})
    assert client.get("/en/admin/")["Location"].startswith(VERIFY)


def test_removing_the_authenticator_takes_a_current_code(client) -> None:
    person = UserFactory()
    client.force_login(person)
    device = _enrol(client, person)
    response = client.post("/en/accounts/two-factor/remove/", {"code": "123"})
    assert response.status_code == 422
    assert TOTPDevice.objects.filter(user=person).exists()
    response = client.post("/en/accounts/two-factor/remove/", {"code": code(device, ahead=1)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=person).exists()


def test_two_step_sign_in_is_optional_for_other_staff(client) -> None:
    person = MembershipFactory(role=Role.DATA_STEWARD).user
    client.force_login(person)
    assert client.get("/en/framework/").status_code == 200


@override_settings(TWO_FACTOR_REQUIRED_FOR_ADMINISTRATORS=True)
@pytest.mark.parametrize("role", ["superuser", Role.ADMINISTRATOR])
def test_an_administrator_sets_up_an_authenticator_before_anything_else(client, role) -> None:
    if role == "superuser":
        person = UserFactory(is_staff=True, is_superuser=True)
    else:
        person = MembershipFactory(role=role, user=UserFactory(is_staff=True)).user
    client.force_login(person)
    for page in ("/en/admin/", "/fr/framework/"):
        response = client.get(page)
        assert response.status_code == 302
        assert response["Location"].startswith(f"/{page[1:3]}/accounts/two-factor/")
    assert "Administrators sign in in two steps" in client.get(PAGE).content.decode()

    _enrol(client, person)  # the code confirms the authenticator and this session
    assert client.get("/en/admin/").status_code == 200


@override_settings(TWO_FACTOR_REQUIRED_FOR_ADMINISTRATORS=True)
def test_an_enrolled_administrator_signs_in_with_the_code_and_reaches_the_admin() -> None:
    person = UserFactory(is_staff=True, is_superuser=True)
    browser = Client()
    browser.force_login(person)
    device = _enrol(browser, person)
    browser.post("/en/accounts/logout/")
    _sign_in(browser, person, next_page="/en/admin/")
    assert browser.get("/en/admin/")["Location"].startswith(VERIFY)
    browser.post(VERIFY, {"code": code(device, ahead=1)})
    assert browser.get("/en/admin/").status_code == 200


def test_after_a_wrong_code_the_next_try_is_asked_to_wait(client) -> None:
    person = UserFactory()
    client.force_login(person)
    device = _enrol(client, person)
    client.post("/en/accounts/logout/")
    _sign_in(client, person)
    client.post(VERIFY, {"code": "000000"})
    response = client.post(VERIFY, {"code": code(device, ahead=1)})
    assert response.status_code == 422
    assert "Too many wrong codes in a row" in response.content.decode()


@override_settings(TWO_FACTOR_REQUIRED_FOR_ADMINISTRATORS=True)
def test_the_api_refuses_the_session_of_an_administrator_without_an_authenticator(client) -> None:
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get("/api/v1/accounts/me").status_code == 401
