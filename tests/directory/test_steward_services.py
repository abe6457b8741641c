"""Stewards keep their own organization's records: edit (optimistic locking), verify, stale
flags, the review queue, and merging duplicates without losing anything."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings

from tests.factories import LocationFactory, OrganizationFactory
from welcoming.accounts.models import Role
from welcoming.core.locking import StaleEdit
from welcoming.directory.models import Phone, Service, ServiceMerge, TermMapping
from welcoming.directory.steward_selectors import (
    duplicate_offers,
    is_stale,
    stale_before,
    steward_counts,
    steward_service_list,
)
from welcoming.directory.steward_services import (
    service_create,
    service_merge,
    service_update,
    service_verify,
)

from .conftest import term

pytestmark = pytest.mark.django_db


def test_a_steward_edits_their_organizations_service_not_anothers(
    newcomer_service, steward_of, agency
) -> None:
    own = newcomer_service(organization=agency)
    other = newcomer_service()
    steward = steward_of(agency)
    service_update(actor=steward, service=own, expected_version=own.version,
                   fields={"name_fr": "Accueil (exemple)"})  # fmt: skip
    own.refresh_from_db()
    assert own.name_fr == "Accueil (exemple)" and own.version == 2
    assert own.edited_by_steward_at is not None  # the next import holds its version for review
    assert own.history.first().history_user == steward
    with pytest.raises(PermissionDenied):
        service_update(actor=steward, service=other, expected_version=other.version,
                       fields={"name_fr": "Pris"})  # fmt: skip
    with pytest.raises(PermissionDenied):
        service_verify(actor=steward, service=other)


def test_installation_data_managers_keep_every_record(newcomer_service, person_with_role) -> None:
    service = newcomer_service()
    manager = person_with_role(Role.DATA_STEWARD)  # in the installation's organization
    service_update(actor=manager, service=service, expected_version=1, fields={"url": ""})


def test_an_analyst_may_not_add_a_service(person_with_role, agency, taxonomies) -> None:
    analyst = person_with_role(Role.ANALYST, agency)
    with pytest.raises(PermissionDenied):
        service_create(actor=analyst, organization=agency, fields={"name_en": "Sample"})


def test_a_stale_edit_is_refused_and_nothing_saved(newcomer_service, steward_of, agency) -> None:
    service = newcomer_service(organization=agency)
    steward = steward_of(agency)
    service_update(actor=steward, service=service, expected_version=1, fields={"url": ""})
    with pytest.raises(StaleEdit):
        service_update(actor=steward, service=service, expected_version=1,
                       fields={"name_en": "Overwritten"})  # fmt: skip
    service.refresh_from_db()
    assert service.name_en != "Overwritten"


def test_verifying_records_the_day_and_who(newcomer_service, steward_of, agency) -> None:
    service = newcomer_service(organization=agency)
    steward = steward_of(agency)
    day = datetime.date(2026, 3, 1)
    verification = service_verify(actor=steward, service=service, on=day, note="Called them")
    service.refresh_from_db()
    assert (service.last_verified, service.assured_date) == (day, day)
    assert (verification.verified_by, verification.verified_on) == (steward, day)
    assert service.version == 1  # an editor's open form stays valid


@override_settings(WELCOMING_DIRECTORY_STALE_MONTHS=6)
def test_a_record_not_verified_for_n_months_is_stale(newcomer_service, steward_of, agency) -> None:
    today = datetime.date(2026, 8, 31)
    assert stale_before(today) == datetime.date(2026, 2, 28)
    service = newcomer_service(organization=agency)
    assert is_stale(service, today=today)  # never verified
    service_verify(actor=steward_of(agency), service=service, on=datetime.date(2026, 3, 1))
    service.refresh_from_db()
    assert not is_stale(service, today=today)
    assert is_stale(service, today=datetime.date(2026, 9, 2))
    counts = steward_counts(user=steward_of(agency), today=datetime.date(2026, 9, 2))
    assert counts == {"all": 1, "stale": 1, "review": 0}


def test_the_review_queue_holds_what_a_feed_would_have_overwritten(
    newcomer_service, steward_of, agency
) -> None:
    held = newcomer_service(organization=agency, pending_import={"name": "From the feed"})
    newcomer_service(organization=agency)
    steward = steward_of(agency)
    assert list(steward_service_list(user=steward, filter="review")) == [held]


def test_new_service_is_tagged_with_mapped_open_eligibility_terms(steward_of, agency,
                                                                  taxonomies) -> None:  # fmt: skip
    site = LocationFactory(organization=agency)
    service = service_create(
        actor=steward_of(agency), organization=agency,
        fields={"name_en": "Sample CLIC", "name_fr": "CLIC exemple"},
        term_ids=[term("language-linc-clic").pk], language_codes=["fra", "eng"],
        location_ids=[site.pk],
    )  # fmt: skip
    tagged = set(service.attributes.values_list("taxonomy_term__code", flat=True))
    mapped = set(
        TermMapping.objects.filter(term=term("language-linc-clic")).values_list(
            "target__code", flat=True
        )
    )
    assert tagged == {"language-linc-clic"} | mapped
    assert set(service.languages.values_list("code", flat=True)) == {"fra", "eng"}
    assert service.languages.get(code="fra").name_en == "French"
    assert service.service_at_locations.get().location == site


def test_duplicates_are_offered_and_a_merge_keeps_everything(
    newcomer_service, steward_of, agency
) -> None:
    steward = steward_of(agency)
    site = LocationFactory(organization=agency)
    kept = newcomer_service(organization=agency, name_en="Welcome Centre drop-in", name_fr="")
    kept.service_at_locations.create(location=site)
    twin = newcomer_service(organization=agency, name_en="Welcome centre drop in",
                            name_fr="Accueil sans rendez-vous", code="welcome-centres",
                            source="sample-211", source_id="S-42")  # fmt: skip
    twin.service_at_locations.create(location=site)
    elsewhere = LocationFactory(organization=agency)
    twin.service_at_locations.create(location=elsewhere)
    Phone.objects.create(service=twin, number="506-555-0100")
    Phone.objects.create(service=kept, number="506 555 0100")
    offers = duplicate_offers(user=steward).offers
    assert [(o.first.pk, o.second.pk) for o in offers] == [(kept.pk, twin.pk)]
    assert Service.objects.count() == 2  # offered, never merged silently
    twin_pk = twin.pk
    merge = service_merge(actor=steward, kept=kept, merged=twin)
    kept.refresh_from_db()
    assert not Service.objects.filter(pk=twin_pk).exists()
    assert kept.name_fr == "Accueil sans rendez-vous"  # an empty text takes the duplicate's
    assert set(kept.service_at_locations.values_list("location", flat=True)) == {
        site.pk, elsewhere.pk
    }  # fmt: skip
    assert kept.phones.count() == 2
    codes = set(kept.attributes.values_list("taxonomy_term__code", flat=True))
    assert {"settlement", "welcome-centres"} <= codes
    assert merge.merged_hsds_id == twin.hsds_id and merge.merged_by == steward
    assert merge.snapshot["name_en"] == "Welcome centre drop in"
    gone = Service.history.get(id=twin_pk, history_type="-")  # type: ignore[attr-defined]
    assert gone.history_user == steward
    assert ServiceMerge.objects.get().kept == kept
    assert (kept.source, kept.source_id) == ("sample-211", "S-42")  # the feed finds it again


def test_a_steward_may_not_merge_another_organizations_service(
    newcomer_service, steward_of, agency
) -> None:
    own = newcomer_service(organization=agency)
    other = newcomer_service(organization=OrganizationFactory())
    with pytest.raises(PermissionDenied):
        service_merge(actor=steward_of(agency), kept=own, merged=other)
