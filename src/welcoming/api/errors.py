"""The API's error answers and their place in the OpenAPI document.

Every refusal answers `ErrorOut` (`{"detail": "..."}`, in the client's language). A request whose
parameters or body do not validate answers 422 with `ValidationErrorOut`, one item per field at
fault; an operation with refusals of its own (an import's bad rows, a profile's bad choices)
documents them beside it. `errors_document` adds, to every operation of the document, each error
status it can answer, so that no status code goes undocumented:

- 400 when it reads a body (a body that is not JSON);
- 401 and 403 when it needs credentials;
- 404 when its path names something;
- 422 when it has parameters or a body;
- 429 always (rate limits, welcoming.core.ratelimit).
"""

from typing import Any

from ninja import Field, Schema

ERROR = "#/components/schemas/ErrorOut"
VALIDATION_ERROR = "#/components/schemas/ValidationErrorOut"

_REASONS = {
    400: "The body could not be read as JSON.",
    401: "No credentials, or credentials that are not valid.",
    403: "The credentials do not allow this.",
    404: "Nothing has this code or name.",
    422: "A parameter or the body is not valid; each field at fault is named.",
    429: "Too many requests; the Retry-After header says how many seconds to wait.",
}


class ErrorOut(Schema):
    detail: str = Field(description="What went wrong, in the language the client asked for.")


class FieldErrorOut(Schema):
    type: str = Field(description="A machine-readable kind of error, such as int_parsing.")
    loc: list[str | int] = Field(description="Where: query, path or body, then the field.")
    msg: str = Field(description="What is wrong with the field.")


class ValidationErrorOut(Schema):
    detail: list[FieldErrorOut]


def _component(model: type[Schema]) -> dict[str, Any]:
    return model.model_json_schema(ref_template="#/components/schemas/{model}")


def _response(status: int, ref: str) -> dict[str, Any]:
    return {
        "description": _REASONS[status],
        "content": {"application/json": {"schema": {"$ref": ref}}},
    }


def _operation_errors(operation: dict[str, Any]) -> None:
    responses: dict[Any, Any] = operation["responses"]
    parameters = operation.get("parameters", [])
    has_body = "requestBody" in operation
    wanted = {429}
    if has_body:
        wanted.add(400)
    if operation.get("security"):
        wanted |= {401, 403}
    if any(p.get("in") == "path" for p in parameters):
        wanted.add(404)
    for status in sorted(wanted):
        if status not in responses and str(status) not in responses:
            responses[status] = _response(status, ERROR)
    if not (parameters or has_body):
        return
    own = responses.get(422) or responses.get("422")
    if own is None:
        responses[422] = _response(422, VALIDATION_ERROR)
        return
    content = own.setdefault("content", {}).setdefault("application/json", {})
    schema = content.get("schema")
    if schema and schema.get("$ref") not in {VALIDATION_ERROR}:
        content["schema"] = {"anyOf": [schema, {"$ref": VALIDATION_ERROR}]}
    own["description"] = own.get("description") or _REASONS[422]


def errors_document(document: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI `document` with every operation's error answers and their shared schemas."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas["ErrorOut"] = _component(ErrorOut)
    validation = _component(ValidationErrorOut)
    schemas.update(validation.pop("$defs", {}))
    schemas["ValidationErrorOut"] = validation
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            _operation_errors(operation)
    return document
