"""HSDS 1.x CSV data packages: mapped to HSDS 3.0, messy rows reported by record and field."""

import pytest

from tests.directory.conftest import FIXTURES
from welcoming.core.models import Organization
from welcoming.directory.hsds import export
from welcoming.directory.hsds.schema import validate
from welcoming.directory.models import Service
from welcoming.directory.services import directory_import

pytestmark = pytest.mark.django_db
PACKAGE = FIXTURES / "hsds1_synthetic"


def test_an_hsds1_package_is_mapped_to_hsds3(operator) -> None:
    report = directory_import(path=PACKAGE, actor=operator)
    assert report.format == "hsds1" and report.source == "synthetic-hsds1-sample"
    rejected = {
        (i["entity"], i["id"], i["field"]) for i in report.items if i["action"] == "rejected"
    }
    assert rejected == {
        ("organization", "row 3", "id"),  # a row without an id
        ("service", "s3", "organization_id"),  # an organization the file does not have
    }
    dropped = {(i["entity"], i["id"], i["field"]) for i in report.items if i["action"] == "dropped"}
    assert ("phone", "s2", "phones[0].number") in dropped
    assert ("schedule", "r2", "weekday") in dropped  # "Funday"
    assert ("service", "s2", "email") in dropped  # not an e-mail address
    languages = Service.objects.get(source_id="s1")
    assert languages.description_en == "Classes de français et d'anglais — niveau débutant."
    assert {lang.code for lang in languages.languages.all()} == {"pan", "hin"}
    phone = languages.phones.get()
    assert {(x.code, x.note) for x in phone.languages.all()} == {("eng", ""), ("spa", "limited")}
    assert languages.eligibility_description_en == "Permanent residents"
    assert languages.schedules.get().byday == "MO"
    assert languages.attributes.get().taxonomy_term.parent.name_en == "Language training"
    assert (
        Organization.objects.get(source_id="o1").description_en
        == "Helps newcomers settle in Brandon."
    )
    assert Service.objects.get(source_id="s2").status == "active"


def test_the_mapped_directory_exports_valid_hsds3(operator) -> None:
    directory_import(path=PACKAGE, actor=operator)
    data = export.dataset(bilingual=False)
    for key, table in export.DATASET_KEYS.items():
        for item in data[key]:
            assert validate(table.entity, item, strict=True) == [], (key, item)
