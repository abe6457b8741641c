"""The OpenAPI document describes the API, and every GET it lists answers."""

import re

import pytest

from tests.connections.factories import HostProfileFactory, NewcomerProfileFactory, ProgramFactory
from tests.factories import LocationFactory, ServiceFactory, TaxonomyTermFactory
from welcoming.accounts.models import Role
from welcoming.accounts.services import membership_grant, operator_user
from welcoming.connections.models import Match, MatchRun
from welcoming.directory.models import ServiceAtLocation, Taxonomy
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


def _hsds_examples() -> dict[str, str]:
    """A sample record for each HSDS path that names one."""
    term = TaxonomyTermFactory(taxonomy=Taxonomy.objects.create(name_en="Sample taxonomy"))
    service = ServiceFactory()
    at_location = ServiceAtLocation.objects.create(
        service=service, location=LocationFactory(organization=service.organization)
    )
    records = {
        "services": service,
        "organizations": service.organization,
        "taxonomies": term.taxonomy,
        "taxonomy_terms": term,
        "service_at_locations": at_location,
    }
    return {f"/api/v1/hsds/{path}/{{id}}": str(r.hsds_id) for path, r in records.items()}


def _connections_examples(installation) -> dict[str, str]:
    """A sample program, profiles, run and match of the organization the steward serves in."""
    program = ProgramFactory(organization=installation)
    newcomer = NewcomerProfileFactory(organization=installation)
    run = MatchRun.objects.create(program=program, actor=operator_user())
    match = Match.objects.create(program=program, newcomer=newcomer, run=run)
    host = HostProfileFactory(organization=installation)
    return {
        "/api/v1/connections/programs/{program_id}": str(program.pk),
        "/api/v1/connections/programs/{program_id}/matches": str(program.pk),
        "/api/v1/connections/runs/{run_id}": str(run.pk),
        "/api/v1/connections/matches/{match_id}": str(match.pk),
        "/api/v1/connections/matches/{match_id}/interactions": str(match.pk),
        "/api/v1/connections/newcomers/{profile_id}": str(newcomer.pk),
        "/api/v1/connections/newcomers/{profile_id}/export": str(newcomer.pk),
        "/api/v1/connections/hosts/{profile_id}": str(host.pk),
        "/api/v1/connections/hosts/{profile_id}/export": str(host.pk),
    }


def test_every_get_in_the_document_answers(
    client, document, data_steward, bearer, installation
) -> None:
    # Connections answer the staff who serve newcomers: the steward is agency staff too.
    membership_grant(
        actor=operator_user(), user=data_steward, organization=installation, role=Role.AGENCY_STAFF
    )
    data_steward.forget_roles()
    headers = bearer(data_steward)
    job = ImportJob.objects.create(file_name="values.csv", format="tidy", created_by=data_steward)
    examples = {
        **EXAMPLES,
        **_hsds_examples(),
        **_connections_examples(installation),
        "/api/v1/imports/jobs/{job_id}": str(job.pk),
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


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


def test_schemas_that_share_a_name_share_a_shape() -> None:
    """The OpenAPI document keys components by class name, so two different schemas of one name
    would silently describe one app's answers with the other's shape."""
    from ninja import Schema

    import welcoming.api  # noqa: F401  (every router, so every schema, is defined)

    by_name: dict[str, dict[str, object]] = {}
    for schema in _subclasses(Schema):
        if schema.__module__.startswith("welcoming."):
            shape = schema.model_json_schema()
            assert by_name.setdefault(schema.__name__, shape) == shape, schema.__module__
    assert len(by_name) > 50
