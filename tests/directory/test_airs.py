"""AIRS/iCarol XML 3.0 (Canadian 211 exports): a messy synthetic export, read and reported."""

from pathlib import Path

import pytest

from tests.directory.conftest import FIXTURES
from welcoming.core.models import Organization
from welcoming.directory.models import Location, Service
from welcoming.directory.services import directory_import

pytestmark = pytest.mark.django_db
AIRS = FIXTURES / "airs_synthetic.xml"


def _items(report, action: str) -> list[tuple[str, str, str]]:
    return [
        (i["entity"], i["id"], i.get("field", "")) for i in report.items if i["action"] == action
    ]


def test_an_airs_export_is_imported_and_every_problem_is_reported(operator) -> None:
    report = directory_import(path=AIRS, actor=operator)
    assert report.source == "Synthetic 211 Atlantic and Quebec (sample)"  # from the content
    services = report.by_entity["service"]
    assert (services["added"], services["rejected"]) == (3, 2)
    rejected = _items(report, "rejected")
    assert (
        "service",
        "a service of site 2002 (Sample service without a key (synthetic))",
        "Key",
    ) in rejected
    assert ("service", "3004", "x-last-verified") in rejected
    dropped = _items(report, "dropped")
    assert ("phone", "1001", "Phone (After Hours)") in dropped  # a phone without a number
    assert ("address", "2003", "addresses[0].city") in dropped  # an address without a city
    assert ("address", "2003", "MailingAddress") in dropped  # confidential
    assert ("location", "2002", "latitude") in dropped  # a site without coordinates
    assert ("service", "3001", "Languages") in dropped  # "Klingish"
    assert ("schedule", "3001", "TimeOpen/Thursday") in dropped  # "whenever"


def test_airs_text_is_cleaned_and_languages_normalised(operator) -> None:
    directory_import(path=AIRS, actor=operator)
    organization = Organization.objects.get(source_id="1001")  # the padded key, trimmed
    assert organization.description_en == (
        "Settlement services for newcomers. The Welcome Program helps families & individuals "
        "settle.\nSample record."
    )
    assert (
        "à Sherbrooke. École de français."
        in Organization.objects.get(source_id="1002").description_en
    )
    counselling = Service.objects.get(source_id="3001")
    languages = {(lang.code, lang.note) for lang in counselling.languages.all()}
    assert languages == {("eng", ""), ("ara", "limited"), ("pan", ""), ("hin", "")}
    assert {lang.code for lang in Service.objects.get(source_id="3003").languages.all()} == {
        "fra",
        "spa",
    }
    assert counselling.service_at_locations.count() == 2  # one service at two sites
    assert [d.document_en for d in counselling.required_documents.order_by("pk")] == [
        "Passport",
        "Confirmation of permanent residence",
    ]
    days = {
        (s.byday, s.opens_at.strftime("%H:%M"), s.closes_at.strftime("%H:%M"))
        for s in counselling.schedules.exclude(opens_at=None)
    }
    assert ("WE", "09:00", "20:30") in days
    assert str(counselling.last_verified) == "2026-04-14"
    assert counselling.contacts.get().name == "Sample Person A (synthetic)"
    main = Location.objects.get(source_id="2001")
    assert main.addresses.get().postal_code == "E1C 1A1"
    assert main.latitude == pytest.approx(46.0878)
    assert {a.taxonomy_term.code for a in counselling.attributes.all()} == {
        "TJ-4400.8100",
        "PH-6200.8000",
    }


def test_a_record_is_imported_whole_or_not_at_all(operator) -> None:
    directory_import(path=AIRS, actor=operator)
    assert not Service.objects.filter(source_id="3004").exists()
    assert Service.objects.filter(source_id__in=["3001", "3002", "3003"]).count() == 3


def test_strict_refuses_the_whole_run(operator) -> None:
    from welcoming.directory.services import ImportRejected

    with pytest.raises(ImportRejected) as refused:
        directory_import(path=AIRS, actor=operator, strict=True)
    assert refused.value.report.totals["rejected"] == 2
    assert not Service.objects.exists() and not Organization.objects.exclude(source="").exists()


def test_the_same_feed_under_another_file_name_is_the_same_source(operator, tmp_path: Path) -> None:
    directory_import(path=AIRS, actor=operator)
    renamed = tmp_path / "export-2026-12.xml"
    renamed.write_bytes(AIRS.read_bytes())
    report = directory_import(path=renamed, actor=operator)
    assert report.source == "Synthetic 211 Atlantic and Quebec (sample)"
    assert report.run_id is None and report.totals["added"] == 0
