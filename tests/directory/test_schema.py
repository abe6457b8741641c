"""Validation against the official HSDS 3.0 schemas (Draft 2020-12, resources by file name)."""

import pytest

from tests.directory.conftest import example
from welcoming.directory.hsds.schema import validate, validate_compiled


@pytest.mark.parametrize(
    ("entity", "name"),
    [
        ("service", "service_full.json"),
        ("organization", "organization_full.json"),
        ("location", "location.json"),
        ("taxonomy", "taxonomy.json"),
        ("taxonomy_term", "taxonomy_term.json"),
    ],
)
def test_the_official_examples_are_valid(entity: str, name: str) -> None:
    assert validate(entity, example(name)) == []


def test_errors_name_the_path_and_the_problem() -> None:
    errors = validate("service", {"id": "not-a-uuid", "name": 3, "phones": [{"id": "x"}]})
    found = {(e.path, e.message.split(" ")[-1]) for e in errors}
    assert ("$", "property") in found  # status is required
    assert any(e.path == "$.id" and "uuid" in e.message for e in errors)
    assert any(e.path == "$.phones[0]" and "number" in e.message for e in errors)


def test_strict_mode_refuses_properties_the_schema_does_not_name() -> None:
    service = {"id": "ac148810-d857-441c-9679-408f346de14b", "name": "A", "status": "active"}
    assert validate("service", {**service, "x-fr": {"name": "Un"}}) == []
    assert validate("service", {**service, "x-fr": {"name": "Un"}}, strict=True) != []


def test_compiled_schemas_validate_api_answers() -> None:
    assert validate_compiled("service", example("service_full.json")) == []
    assert validate_compiled("service", {"id": 1}) != []
