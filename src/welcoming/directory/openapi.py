"""The official HSDS 3.0 schemas as components of the API's OpenAPI document.

The HSDS API reference points its answers at the compiled schemas on GitHub (megabytes each, every
object inlined again wherever it appears); the API's own document carries the one-file-per-object
schemas instead, with their `$ref`s turned into component references, so a client (and
schemathesis) checks every body against the standard without fetching anything. Only JSON
Schema's own keywords are kept: the Frictionless table descriptions (`constraints`, `core`,
`datapackage_metadata`...) say nothing about a JSON body.
"""

import json
from functools import cache
from typing import Any

from django.conf import settings

PREFIX = "hsds_"
KEPT = frozenset(
    {"type", "title", "description", "properties", "items", "required", "enum", "format", "$ref"}
)
OBJECTS = [
    "accessibility",
    "address",
    "attribute",
    "contact",
    "cost_option",
    "funding",
    "language",
    "location",
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
]


def component(name: str) -> str:
    """The reference to the HSDS object `name` (`service`, `taxonomy_term`) in the document."""
    return f"#/components/schemas/{PREFIX}{name}"


def _kept(node: Any) -> Any:
    if isinstance(node, list):
        return [_kept(item) for item in node]
    if not isinstance(node, dict):
        return node
    kept: dict[str, Any] = {}
    for key, value in node.items():
        if key == "properties":
            kept[key] = {name: _kept(field) for name, field in value.items()}
        elif key == "$ref":
            kept[key] = component(value.removesuffix(".json"))
        elif key in KEPT:
            kept[key] = _kept(value)
    return kept


@cache
def hsds_components() -> dict[str, Any]:
    """Every HSDS object's schema, and HSDS's page, by component name."""
    folder = settings.WELCOMING_PACKAGE_DATA / "hsds" / "schema"
    components = {
        f"{PREFIX}{name}": _kept(json.loads((folder / f"{name}.json").read_text("utf-8")))
        for name in OBJECTS
    }
    reference = json.loads((folder / "openapi.json").read_text("utf-8"))
    components[f"{PREFIX}Page"] = reference["components"]["schemas"]["Page"]
    return components


def page_of(name: str) -> dict[str, Any]:
    """The schema of an HSDS page whose `contents` are objects `name`."""
    return {
        "allOf": [{"$ref": component("Page")}],
        "type": "object",
        "properties": {"contents": {"type": "array", "items": {"$ref": component(name)}}},
        "required": ["contents", "total_items", "total_pages", "page_number", "size"],
    }


def body_of(name: str) -> dict[str, Any]:
    """The body a write of HSDS objects `name` reads, as documented: the object's own fields.
    The server checks the whole object against the official schema; documenting only its own
    fields keeps the document's bodies small enough to generate (schemathesis)."""
    schema = hsds_components()[f"{PREFIX}{name}"]
    own = {
        key: field
        for key, field in schema["properties"].items()
        if key != "id" and "$ref" not in field and field.get("type") not in {"array", "object"}
    }
    return {
        "type": "object",
        "description": f"An HSDS {name} (`{component(name)}`), without `id` when it is new.",
        "properties": own,
        "required": [key for key in schema.get("required", []) if key in own],
    }


def hsds_document(document: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI `document` with the HSDS components its HSDS operations refer to."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(hsds_components())
    return document
