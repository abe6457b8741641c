"""The demo's sample directory: five named communities, French services, clearly marked as
sample, loaded once, and a valid HSDS 3.0 export."""

import pytest

from welcoming.accounts.services import operator_user
from welcoming.demo.directory import SOURCE, directory_demo_load
from welcoming.directory.hsds import export
from welcoming.directory.hsds.schema import validate
from welcoming.directory.indicator import INDICATOR_CODE
from welcoming.directory.models import Location, Phone, Service
from welcoming.directory.search import ServiceQuery, service_search
from welcoming.directory.steward_services import service_update
from welcoming.indicators.models import IndicatorValue

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("census")]

COMMUNITIES = {"1307022", "4607062", "3520005", "6001009", "2443027"}


def test_the_sample_directory_is_loaded_once_and_marked_as_sample() -> None:
    created = directory_demo_load(actor=operator_user())
    assert created == Service.objects.count() > 40
    assert directory_demo_load(actor=operator_user()) == 0
    services = Service.objects.all()
    assert all(s.source == SOURCE for s in services)
    assert all(s.alert_en.startswith("Sample data") for s in services)
    assert all(s.alert_fr.startswith("Données d'exemple") for s in services)
    assert all("(sample)" in s.name_en and "(exemple)" in s.name_fr for s in services)
    assert all("-555-01" in p.number for p in Phone.objects.all())
    served = set(Location.objects.values_list("community__code", flat=True))
    assert served == COMMUNITIES


def test_french_services_where_the_community_has_them() -> None:
    directory_demo_load(actor=operator_user())

    def offered(code: str, language: str) -> bool:
        return Service.objects.filter(
            service_at_locations__location__community__code=code, languages__code=language
        ).exists()

    for code in ("1307022", "6001009", "2443027"):
        assert offered(code, "fra"), code
    clic = Service.objects.filter(source_id="2443027-clic").get()
    assert clic.name_fr == "Cours de français CLIC (exemple)"
    assert not Service.objects.filter(source_id="2443027-linc").exists()  # Sherbrooke: French
    assert not Service.objects.filter(source_id="4607062-clic").exists()  # Brandon: English


def test_sites_lie_near_the_communitys_point() -> None:
    directory_demo_load(actor=operator_user())
    for location in Location.objects.select_related("community"):
        assert abs(location.latitude - location.community.latitude) < 0.02
        assert abs(location.longitude - location.community.longitude) < 0.02
        assert location.addresses.get().postal_code[:3].isalnum()


def test_the_scorecard_counts_the_sample_directory() -> None:
    directory_demo_load(actor=operator_user())
    values = IndicatorValue.objects.filter(indicator__code=INDICATOR_CODE)
    assert set(values.values_list("community__code", flat=True)) >= COMMUNITIES


def test_the_export_of_the_sample_directory_is_valid_hsds() -> None:
    directory_demo_load(actor=operator_user())
    for bilingual in (False, True):
        data = export.dataset(bilingual=bilingual)
        assert len(data["services"]) == Service.objects.count()
        for key, table in export.DATASET_KEYS.items():
            for item in data[key]:
                assert validate(table.entity, item, strict=not bilingual) == [], (key, item)


def test_the_sample_directory_is_found_by_search_in_both_languages() -> None:
    directory_demo_load(actor=operator_user())
    for text in ("sample", "exemple", "etablissement"):
        results = service_search(ServiceQuery(text=text))
        assert results.total > 0, text
    assert service_search(ServiceQuery()).total == Service.objects.count()


def test_a_stewards_edit_is_found_by_search_at_once(steward_of) -> None:
    directory_demo_load(actor=operator_user())
    service = Service.objects.order_by("pk").first()
    steward = steward_of(service.organization)
    service_update(
        actor=steward,
        service=service,
        expected_version=service.version,
        fields={"name_en": "Zanzibar conversation circle (sample)"},
    )
    hits = service_search(ServiceQuery(text="zanzibar")).hits
    assert [hit.service.pk for hit in hits] == [service.pk]
