"""Every error the API answers has its status and shape in the OpenAPI document."""

import pytest

from welcoming.scorecards.models import ScoringProfile

pytestmark = pytest.mark.django_db


@pytest.fixture
def operations(client) -> list[tuple[str, str, dict]]:
    document = client.get("/api/v1/openapi.json").json()
    return [
        (method, path, operation)
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    ]


def _ref(response: dict) -> str:
    schema = response["content"]["application/json"]["schema"]
    refs = [schema.get("$ref")] + [s.get("$ref") for s in schema.get("anyOf", [])]
    return " ".join(r for r in refs if r)


def test_every_operation_documents_its_error_answers(operations) -> None:
    for method, path, operation in operations:
        responses = operation["responses"]
        where = f"{method} {path}"
        assert "ErrorOut" in _ref(responses["429"]), where
        if operation.get("parameters") or "requestBody" in operation:
            assert "ValidationErrorOut" in _ref(responses["422"]), where
        if operation.get("security"):
            assert {"401", "403"} <= set(responses), where
        if "{" in path:
            assert "404" in responses, where


def test_a_validation_error_has_the_documented_shape(client) -> None:
    body = client.get("/api/v1/communities", {"limit": "many"}).json()
    assert body["detail"][0]["loc"] == ["query", "limit"]
    assert {"type", "loc", "msg"} <= set(body["detail"][0])


@pytest.mark.parametrize("body", ["null", "[]", "3", '"weights"'])
def test_a_body_that_is_not_a_json_object_is_refused(client, data_steward, body: str) -> None:
    client.force_login(data_steward)
    response = client.post(
        "/api/v1/scorecards/profiles/default", body, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][0] == "body"
    assert not ScoringProfile.objects.exists()


def test_swagger_ui_comes_from_the_projects_static_files(client) -> None:
    page = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "/static/ninja/swagger-ui-init.js" in page
    assert "cdn" not in page.lower()
