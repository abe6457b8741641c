"""Validation against the official HSDS 3.0 JSON schemas (`welcoming/data/hsds/schema/`).

The schema files carry no `$schema` and no `$id`, and refer to one another by file name
(`"$ref": "phone.json"`): each is registered as a Draft 2020-12 resource under its file name, so
the relative references resolve without network access.

`strict=True` validates as upstream's strict mode does: no property the schema does not name
(`additionalProperties: false` everywhere). Welcoming's plain HSDS output passes it; its
bilingual profile adds `x-fr` siblings and passes the ordinary mode only.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "data" / "hsds" / "schema"
ENTITIES = (
    "accessibility",
    "address",
    "attribute",
    "contact",
    "cost_option",
    "funding",
    "language",
    "location",
    "meta_table_description",
    "metadata",
    "organization",
    "organization_identifier",
    "phone",
    "program",
    "required_document",
    "schedule",
    "service",
    "service_area",
    "service_at_location",
    "taxonomy",
    "taxonomy_term",
)


@dataclass(frozen=True)
class SchemaError:
    """One way an object breaks its schema: where (a JSON path) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def _load(name: str) -> dict[str, Any]:
    with (SCHEMA_DIR / f"{name}.json").open(encoding="utf-8") as f:
        contents: dict[str, Any] = json.load(f)
    return contents


def _strict(schema: Any) -> Any:
    """A copy that allows no property the schema does not name, at every level."""
    if isinstance(schema, dict):
        out = {key: _strict(value) for key, value in schema.items()}
        if "properties" in schema and schema.get("type") == "object":
            out["additionalProperties"] = False
        return out
    if isinstance(schema, list):
        return [_strict(item) for item in schema]
    return schema


@cache
def _registry(strict: bool) -> Registry[Any]:
    resources = []
    for name in ENTITIES:
        contents = _load(name)
        if strict:
            contents = _strict(contents)
        resources.append((f"{name}.json", DRAFT202012.create_resource(contents)))
    return Registry().with_resources(resources)


@cache
def _validator(entity: str, strict: bool) -> Draft202012Validator:
    if entity not in ENTITIES:
        raise ValueError(f"not an HSDS 3.0 object: {entity!r}")
    registry = _registry(strict)
    schema = registry.contents(f"{entity}.json")
    return Draft202012Validator(
        schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


@cache
def _compiled_validator(name: str) -> Draft202012Validator:
    with (SCHEMA_DIR / "compiled" / f"{name}.json").open(encoding="utf-8") as f:
        schema = json.load(f)
    resource: Resource[Any] = DRAFT202012.create_resource(schema)
    return Draft202012Validator(
        schema,
        registry=Registry().with_resource("", resource),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def _errors(validator: Draft202012Validator, obj: Any) -> list[SchemaError]:
    found = sorted(validator.iter_errors(obj), key=lambda e: list(map(str, e.absolute_path)))
    return [SchemaError(error.json_path, error.message) for error in found]


def validate(entity: str, obj: Any, *, strict: bool = False) -> list[SchemaError]:
    """The ways `obj` breaks the HSDS 3.0 schema of `entity` ("service", "organization"...);
    an empty list when it is valid. Formats (uuid, email, date-time) are checked too."""
    return _errors(_validator(entity, strict), obj)


def validate_compiled(name: str, obj: Any) -> list[SchemaError]:
    """The same against a compiled (fully inlined) schema: "service", "service_list",
    "organization", "organization_list", "service_at_location", "service_at_location_list",
    "service_with_definitions" or "tabular"."""
    return _errors(_compiled_validator(name), obj)
