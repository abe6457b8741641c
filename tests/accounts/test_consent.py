"""Consent records: given, withdrawn, listed; never edited, by whom always recorded."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from tests.factories import CommunityFactory, UserFactory
from welcoming.accounts.models import Consent, ConsentPurpose, Role
from welcoming.accounts.selectors import consent_active, consent_is_given, consent_list
from welcoming.accounts.services import (
    MAY_NOT_RECORD_CONSENT,
    MAY_NOT_WITHDRAW_CONSENT,
    api_token_create,
    consent_give,
    consent_withdraw,
)

pytestmark = pytest.mark.django_db
MATCHING = ConsentPurpose.MATCHING


def test_a_person_gives_consent_and_it_is_in_force() -> None:
    person = UserFactory()
    consent = consent_give(person=person, purpose=MATCHING, notice_version="2026-12", actor=person)
    assert (consent.user, consent.recorded_by, consent.withdrawn_at) == (person, person, None)
    assert consent_is_given(person=person, purpose=MATCHING)
    assert not consent_is_given(person=person, purpose=ConsentPurpose.SURVEYS)


def test_giving_the_same_consent_again_changes_nothing() -> None:
    person = UserFactory()
    first = consent_give(person=person, purpose=MATCHING, notice_version="1", actor=person)
    again = consent_give(person=person, purpose=MATCHING, notice_version="1", actor=person)
    assert again == first and Consent.objects.count() == 1


def test_consent_under_a_new_notice_withdraws_the_old_one_and_keeps_it() -> None:
    person = UserFactory()
    old = consent_give(person=person, purpose=MATCHING, notice_version="1", actor=person)
    new = consent_give(person=person, purpose=MATCHING, notice_version="2", actor=person)
    old.refresh_from_db()
    assert old.withdrawn_at == new.given_at and old.withdrawn_by == person
    assert consent_active(person=person, purpose=MATCHING) == new
    assert list(consent_list(person=person)) == [new, old]


def test_withdrawing_records_when_and_by_whom_and_keeps_the_history() -> None:
    person = UserFactory()
    consent = consent_give(person=person, purpose=MATCHING, notice_version="1", actor=person)
    consent_withdraw(consent=consent, actor=person)
    assert consent.withdrawn_by == person and consent.withdrawn_at is not None
    assert not consent_is_given(person=person, purpose=MATCHING)
    assert consent.history.count() == 2


def test_nobody_records_or_withdraws_anothers_consent_without_permission() -> None:
    person, other = UserFactory(), UserFactory()
    with pytest.raises(PermissionDenied, match=str(MAY_NOT_RECORD_CONSENT)):
        consent_give(person=person, purpose=MATCHING, notice_version="1", actor=other)
    consent = consent_give(person=person, purpose=MATCHING, notice_version="1", actor=person)
    with pytest.raises(PermissionDenied, match=str(MAY_NOT_WITHDRAW_CONSENT)):
        consent_withdraw(consent=consent, actor=other)
    assert consent_is_given(person=person, purpose=MATCHING)


def test_an_administrator_records_consent_given_on_paper_for_a_record(person_with_role) -> None:
    administrator = person_with_role(Role.ADMINISTRATOR)
    record = CommunityFactory()  # stands in for a newcomer's profile, which has no account
    consent = consent_give(
        person=record, purpose=ConsentPurpose.CONTACT, notice_version="1", actor=administrator
    )
    assert (consent.subject, consent.user, consent.recorded_by) == (record, None, administrator)
    assert consent_is_given(person=record, purpose=ConsentPurpose.CONTACT)
    consent_withdraw(consent=consent, actor=administrator)
    assert not consent_is_given(person=record, purpose=ConsentPurpose.CONTACT)


def test_the_database_holds_one_consent_in_force_per_person_and_purpose() -> None:
    person = UserFactory()
    consent = consent_give(person=person, purpose=MATCHING, notice_version="1", actor=person)
    with pytest.raises(IntegrityError), transaction.atomic():
        Consent.objects.create(
            user=person,
            purpose=MATCHING,
            notice_version="2",
            given_at=consent.given_at,
            recorded_by=person,
        )


def test_a_consent_names_exactly_one_person() -> None:
    person = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Consent.objects.create(
            purpose=MATCHING, notice_version="1", given_at="2026-01-01T00:00Z", recorded_by=person
        )


def test_the_api_gives_lists_and_withdraws_ones_own_consents(client) -> None:
    person, other = UserFactory(), UserFactory()
    _token, secret = api_token_create(user=person, name="synthetic test token")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    given = client.post(
        "/api/v1/accounts/me/consents",
        {"purpose": "surveys", "notice_version": "2026-12"},
        content_type="application/json",
        **headers,
    )
    assert given.status_code == 200
    assert given.json()["purpose"] == "surveys" and given.json()["withdrawn_at"] is None
    others = consent_give(person=other, purpose=MATCHING, notice_version="1", actor=other)
    listed = client.get("/api/v1/accounts/me/consents", **headers).json()
    assert [c["id"] for c in listed] == [given.json()["id"]]
    stolen = client.post(f"/api/v1/accounts/me/consents/{others.pk}/withdraw", **headers)
    assert stolen.status_code == 404 and consent_is_given(person=other, purpose=MATCHING)
    withdrawn = client.post(
        f"/api/v1/accounts/me/consents/{given.json()['id']}/withdraw", **headers
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["withdrawn_at"] is not None


def test_the_api_refuses_an_unknown_purpose(client) -> None:
    person = UserFactory()
    _token, secret = api_token_create(user=person, name="synthetic test token")
    response = client.post(
        "/api/v1/accounts/me/consents",
        {"purpose": "marketing", "notice_version": "1"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 422 and not Consent.objects.exists()


def test_the_admin_shows_consents_but_changes_none(admin_client) -> None:
    person = UserFactory()
    consent = consent_give(person=person, purpose=MATCHING, notice_version="1", actor=person)
    assert admin_client.get("/en/admin/accounts/consent/").status_code == 200
    assert admin_client.get(f"/en/admin/accounts/consent/{consent.pk}/history/").status_code == 200
    assert admin_client.get("/en/admin/accounts/consent/add/").status_code == 403
    assert admin_client.post(f"/en/admin/accounts/consent/{consent.pk}/delete/").status_code == 403
    assert Consent.objects.count() == 1
