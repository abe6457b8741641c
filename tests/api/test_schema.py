"""The OpenAPI document describes the API, and every GET it lists answers."""

import re

import pytest

from welcoming.indicators.models import ImportJob

pytestmark = pytest.mark.django_db
# A real code for each path parameter, taken from the data slice.
EXAMPLES = {
    "/api/v1/communities/{code}": "3520005",
    "/api/v1/framework/frameworks/{code}": "esses-2010",
    "/api/v1/indicators/{code}": "crime-severity-index",
    "/api/v1/scorecards/profiles/{name}": "default",
    "/api/v1/scorecards/{code}": "535",
}


@pytest.fixture
def document(client) -> dict:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_document_names_the_api_and_its_security(document) -> None:
    assert document["info"]["version"] == "1"
    schemes = document["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}
    assert document["paths"]["/api/v1/imports"]["post"]["security"]


def test_translated_content_comes_in_both_languages(document) -> None:
    schemas = document["components"]["schemas"]
    for name in ("CommunityOut", "CharacteristicOut", "IndicatorOut", "CategoryOut"):
        assert {"name_en", "name_fr"} <= set(schemas[name]["properties"]), name


def test_every_get_in_the_document_answers(
    client, document, data_steward, bearer, installation
) -> None:
    from tests.connections.factories import (
        HostProfileFactory,
        NewcomerProfileFactory,
        ProgramFactory,
    )
    from welcoming.accounts.models import Role
    from welcoming.accounts.services import membership_grant, operator_user

    # Connections answer the staff who serve newcomers: the steward is agency staff too.
    membership_grant(
        actor=operator_user(), user=data_steward, organization=installation, role=Role.AGENCY_STAFF
    )
    data_steward.forget_roles()
    headers = bearer(data_steward)
    job = ImportJob.objects.create(file_name="values.csv", format="tidy", created_by=data_steward)
    examples = {
        **EXAMPLES,
        "/api/v1/imports/jobs/{job_id}": str(job.pk),
        "/api/v1/connections/programs/{program_id}": str(
            ProgramFactory(organization=installation).pk
        ),
        "/api/v1/connections/newcomers/{profile_id}": str(
            NewcomerProfileFactory(organization=installation).pk
        ),
        "/api/v1/connections/hosts/{profile_id}": str(
            HostProfileFactory(organization=installation).pk
        ),
    }
    paths = [p for p, operations in document["paths"].items() if "get" in operations]
    assert len(paths) >= 10
    for path in paths:
        if "{" in path:
            assert path in examples, f"add an example value for {path} to EXAMPLES"
        url = re.sub(r"\{\w+\}", examples.get(path, ""), path)
        response = client.get(url, **headers)
        assert response.status_code == 200, (path, response.content[:200])


def test_docs_page_answers(client) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content
