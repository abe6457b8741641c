"""HSDS 3.0 export and import: an export re-imported gives the same directory, and plain
output is valid against the official schemas."""

import json
from pathlib import Path

import pytest

from tests.directory.conftest import EXAMPLES
from welcoming.directory.hsds import export
from welcoming.directory.hsds.schema import validate
from welcoming.directory.models import Service
from welcoming.directory.services import directory_export, directory_import

pytestmark = pytest.mark.django_db


def _without_ids(value):
    if isinstance(value, dict):
        return {k: _without_ids(v) for k, v in value.items() if k not in {"id"}}
    if isinstance(value, list):
        return [_without_ids(v) for v in value]
    return value


def _wipe() -> None:
    from welcoming.core.models import Organization
    from welcoming.directory.models import Location, Taxonomy, TaxonomyTerm

    Service.objects.all().delete()
    Location.objects.all().delete()
    TaxonomyTerm.objects.all().delete()
    Taxonomy.objects.all().delete()
    Organization.objects.exclude(source="").delete()


def test_the_official_example_imports_and_exports_valid_hsds(operator, tmp_path: Path) -> None:
    report = directory_import(path=EXAMPLES / "service_full.json", source="example", actor=operator)
    assert report.totals["rejected"] == 0, report.items
    assert report.by_entity["service"]["added"] == 1
    data = export.dataset(bilingual=False)
    for key, table in export.DATASET_KEYS.items():
        for item in data[key]:
            assert validate(table.entity, item, strict=True) == [], (key, item)
    service = data["services"][0]
    assert service["name"] == "Community Counselling"
    assert service["phones"][0]["languages"][0]["code"] == "ur"


@pytest.mark.parametrize("form", ["json", "csv"])
def test_an_export_reimported_gives_the_same_directory(operator, tmp_path: Path, form: str) -> None:
    directory_import(path=EXAMPLES / "service_full.json", source="example", actor=operator)
    first = export.dataset()
    directory_export(directory=tmp_path, actor=operator)
    _wipe()
    path = tmp_path / "directory.json" if form == "json" else tmp_path
    report = directory_import(path=path, source="again", actor=operator)
    assert report.totals["rejected"] == 0, report.items
    second = export.dataset()
    assert json.dumps(second, sort_keys=True) == json.dumps(first, sort_keys=True)


@pytest.mark.parametrize("form", ["json", "csv"])
def test_an_organization_gone_from_its_feed_is_exported_and_stays_gone(
    operator, tmp_path: Path, form: str
) -> None:
    """The export keeps it (its inactive services and sites name it) and says it is gone."""
    from welcoming.core.models import Organization

    directory_import(path=EXAMPLES / "service_full.json", source="example", actor=operator)
    Service.objects.update(status=Service.Status.INACTIVE)
    Organization.objects.exclude(source="").update(is_active=False)
    first = export.dataset()
    assert [o.get("x-active") for o in first["organizations"]] == [False]
    plain = export.dataset(bilingual=False)["organizations"][0]
    assert "x-active" not in plain and validate("organization", plain, strict=True) == []
    directory_export(directory=tmp_path, actor=operator)
    _wipe()
    path = tmp_path / "directory.json" if form == "json" else tmp_path
    report = directory_import(path=path, source="again", actor=operator)
    assert report.totals["rejected"] == 0, report.items
    assert not Organization.objects.get(source="again").is_active
    assert json.dumps(export.dataset(), sort_keys=True) == json.dumps(first, sort_keys=True)
