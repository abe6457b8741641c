"""The HSDS 3.0 API: every path of Open Referral's reference, its paging, filters and language,
every body valid against the official compiled schemas, and stewards' writes."""

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.factories import (
    LocationFactory,
    OrganizationFactory,
    ServiceFactory,
    TaxonomyTermFactory,
)
from welcoming.core.models import Organization
from welcoming.directory.models import (
    Address,
    Attribute,
    Language,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

pytestmark = pytest.mark.django_db
HSDS = "/api/v1/hsds"
SCHEMAS = settings.WELCOMING_PACKAGE_DATA / "hsds" / "schema"


def _schema(path: Path) -> Any:
    return json.loads(path.read_text("utf-8"))


@cache
def _registry() -> Registry:
    """The one-file-per-object schemas, by the names their `$ref`s use (`taxonomy.json`)."""
    return Registry().with_resources(
        (path.name, Resource.from_contents(_schema(path), default_specification=DRAFT202012))
        for path in SCHEMAS.glob("*.json")
    )


@cache
def _validator(name: str) -> Draft202012Validator:
    """The official schema `name` (compiled/service, taxonomy...); the files carry no `$schema`:
    HSDS 3.0 is JSON Schema 2020-12."""
    return Draft202012Validator(
        _schema(SCHEMAS / f"{name}.json"),
        registry=_registry(),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def assert_valid(name: str, body: Any) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in _validator(name).iter_errors(body)]
    assert not errors, errors[:5]


PAGE_KEYS = {
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
    "contents",
}


def assert_page(body: dict[str, Any], item_schema: str) -> None:
    assert set(body) == PAGE_KEYS
    assert body["size"] == len(body["contents"])
    for item in body["contents"]:
        assert_valid(item_schema, item)


@dataclass
class Directory:
    welcome: Organization  # bilingual
    english: Organization  # an English-only feed's
    taxonomy: Taxonomy
    settlement: TaxonomyTerm
    linc: TaxonomyTerm  # a child of settlement
    bilingual: Service
    english_only: Service
    closed: Service
    at_ottawa: ServiceAtLocation


@pytest.fixture
def directory(db: None) -> Directory:
    """A small realistic directory, every record marked as sample."""
    welcome = OrganizationFactory(
        name_en="Sample Welcome Centre",
        name_fr="Centre d'accueil exemple",
        description_en="A sample welcome centre for newcomers.",
        description_fr="Un centre d'accueil exemple pour les nouveaux arrivants.",
        website="https://welcome.example.org",
    )
    english = OrganizationFactory(
        name_en="Sample Library Settlement Partnership", name_fr="", website=""
    )
    taxonomy = Taxonomy.objects.create(
        name_en="Newcomer services (sample)",
        name_fr="Services aux nouveaux arrivants (exemple)",
        description_en="A sample taxonomy.",
        uri="https://welcoming.example.org/taxonomy",
        version="1",
    )
    settlement = TaxonomyTermFactory(
        taxonomy=taxonomy, code="settlement", name_en="Settlement", name_fr="Établissement"
    )
    linc = TaxonomyTermFactory(
        taxonomy=taxonomy,
        parent=settlement,
        code="linc",
        name_en="Language training (LINC)",
        name_fr="Formation linguistique (CLIC)",
    )
    bilingual = ServiceFactory(
        organization=welcome,
        name_en="Sample settlement counselling",
        name_fr="Counselling en établissement (exemple)",
        description_en="Help with housing, work and school.",
        description_fr="Aide pour le logement, l'emploi et l'école.",
        email="info@welcome.example.org",
        url="https://welcome.example.org/settlement",
        minimum_age=18,
    )
    english_only = ServiceFactory(
        organization=english,
        name_en="Sample conversation circles",
        name_fr="",
        description_en="Practise English with volunteers.",
        description_fr="",
    )
    closed = ServiceFactory(
        organization=welcome,
        name_en="Sample job club",
        name_fr="Club d'emploi (exemple)",
        status=Service.Status.INACTIVE,
    )
    site = LocationFactory(
        organization=welcome,
        name_en="Sample Welcome Centre, Ottawa",
        name_fr="Centre d'accueil exemple, Ottawa",
        latitude=45.4275,
        longitude=-75.6913,
    )
    Address.objects.create(
        location=site,
        address_1="100 Sample Street",
        city="Ottawa",
        state_province="ON",
        postal_code="K1N 5T1",
    )
    at_ottawa = ServiceAtLocation.objects.create(service=bilingual, location=site)
    library = LocationFactory(
        organization=english,
        name_en="Sample library, Toronto",
        name_fr="",
        latitude=43.6532,
        longitude=-79.3832,
    )
    ServiceAtLocation.objects.create(service=english_only, location=library)
    phone = Phone.objects.create(service=bilingual, number="613-555-0100", type="voice")
    Language.objects.create(phone=phone, code="fra", name_en="French", name_fr="Français")
    for code, en, fr in (("eng", "English", "Anglais"), ("fra", "French", "Français")):
        Language.objects.create(service=bilingual, code=code, name_en=en, name_fr=fr)
    Schedule.objects.create(
        service=bilingual,
        freq="WEEKLY",
        byday="MO,TU,WE,TH,FR",
        opens_at=datetime.time(9),
        closes_at=datetime.time(17),
    )
    Attribute.objects.create(service=bilingual, taxonomy_term=settlement, link_entity="service")
    Attribute.objects.create(service=english_only, taxonomy_term=linc, link_entity="service")
    return Directory(
        welcome, english, taxonomy, settlement, linc, bilingual, english_only, closed, at_ottawa
    )


def _get(client: Client, path: str, **params: Any) -> Any:
    response = client.get(f"{HSDS}{path}", params)
    assert response.status_code == 200, response.content[:300]
    return response.json()


# --- every path, valid --------------------------------------------------------------------------


def test_the_root_names_the_hsds_version_and_the_documents(client: Client) -> None:
    body = _get(client, "/")
    assert body["version"] == "3.0"
    assert body["openapi_url"].endswith("/api/v1/openapi.json")
    assert body["profile"].startswith("http")


@pytest.mark.parametrize(
    ("path", "item_schema", "params"),
    [
        ("/services", "compiled/service_list", {}),
        ("/services", "compiled/service", {"full": "true"}),
        ("/organizations", "compiled/organization_list", {}),
        ("/organizations", "compiled/organization", {"full": "true", "full_service": "true"}),
        ("/taxonomies", "taxonomy", {}),
        ("/taxonomy_terms", "taxonomy_term", {}),
        ("/service_at_locations", "compiled/service_at_location_list", {}),
        ("/service_at_locations", "compiled/service_at_location", {"full": "true"}),
    ],
)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_list_answers_an_hsds_page_of_valid_objects(
    client: Client, directory: Directory, path: str, item_schema: str, params: dict, language: str
) -> None:
    body = _get(client, path, lang=language, **params)
    assert body["total_items"] >= 1
    assert_page(body, item_schema)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_record_answers_valid_against_the_compiled_schema(
    client: Client, directory: Directory, language: str
) -> None:
    d = directory
    for path, schema in (
        (f"/services/{d.bilingual.hsds_id}", "compiled/service"),
        (f"/services/{d.english_only.hsds_id}", "compiled/service"),
        (f"/organizations/{d.welcome.hsds_id}", "compiled/organization"),
        (f"/organizations/{d.english.hsds_id}?full_service=true", "compiled/organization"),
        (f"/taxonomies/{d.taxonomy.hsds_id}", "taxonomy"),
        (f"/taxonomy_terms/{d.linc.hsds_id}", "taxonomy_term"),
        (f"/service_at_locations/{d.at_ottawa.hsds_id}", "compiled/service_at_location"),
    ):
        body = client.get(f"{HSDS}{path}", HTTP_ACCEPT_LANGUAGE=language)
        assert body.status_code == 200, path
        assert body["Content-Language"] == language
        assert_valid(schema, body.json())


def test_a_full_service_nests_what_it_has(client: Client, directory: Directory) -> None:
    body = _get(client, f"/services/{directory.bilingual.hsds_id}")
    assert body["organization"]["id"] == str(directory.welcome.hsds_id)
    assert [p["number"] for p in body["phones"]] == ["613-555-0100"]
    assert body["phones"][0]["languages"][0]["code"] == "fra"
    assert {x["code"] for x in body["languages"]} == {"eng", "fra"}
    assert body["schedules"][0]["opens_at"] == "09:00"
    site = body["service_at_locations"][0]["location"]
    assert site["addresses"][0]["postal_code"] == "K1N 5T1"
    term = body["attributes"][0]["taxonomy_term"]
    assert term["code"] == "settlement"
    assert term["taxonomy_detail"]["id"] == str(directory.taxonomy.hsds_id)


def test_an_unknown_or_malformed_id_is_404(client: Client, directory: Directory) -> None:
    for path in ("/services/", "/organizations/", "/taxonomy_terms/", "/service_at_locations/"):
        for wrong in ("00000000-0000-0000-0000-000000000000", "not-an-id"):
            response = client.get(f"{HSDS}{path}{wrong}")
            assert response.status_code == 404
            assert wrong in response.json()["detail"]


# --- paging -------------------------------------------------------------------------------------


def test_pages_count_and_say_where_they_are(client: Client, directory: Directory) -> None:
    first = _get(client, "/services", per_page=2)
    assert first["total_items"] == 3
    assert (first["total_pages"], first["page_number"], first["size"]) == (2, 1, 2)
    assert (first["first_page"], first["last_page"], first["empty"]) == (True, False, False)
    last = _get(client, "/services", per_page=2, page=2)
    assert (last["size"], last["first_page"], last["last_page"]) == (1, False, True)
    names = [s["name"] for s in first["contents"] + last["contents"]]
    assert names == sorted(names)


def test_a_page_beyond_the_last_is_empty_not_an_error(client: Client, directory: Directory) -> None:
    body = _get(client, "/services", page=9)
    assert body["contents"] == []
    assert (body["size"], body["empty"], body["last_page"]) == (0, True, True)
    assert body["page_number"] == 9
    assert body["total_items"] == 3


def test_nothing_found_is_one_empty_first_and_last_page(
    client: Client, directory: Directory
) -> None:
    body = _get(client, "/services", search="zzzzzz")
    assert (body["total_items"], body["total_pages"], body["empty"]) == (0, 0, True)
    assert body["first_page"] and body["last_page"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page": 0}, "page"),
        ({"page": -1}, "page"),
        ({"per_page": 0}, "per_page"),
        ({"per_page": 201}, "per_page"),
        ({"page": "two"}, "page"),
        ({"format": "xml"}, "format"),
        ({"lang": "de"}, "lang"),
        ({"taxonomy_term_id": "settlement"}, "taxonomy_term_id"),
        ({"modified_after": "yesterday"}, "modified_after"),
    ],
)
def test_a_bad_parameter_is_a_422_that_names_it(
    client: Client, directory: Directory, params: dict, field: str
) -> None:
    response = client.get(f"{HSDS}/services", params)
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [["query", field]]


def test_ndjson_streams_every_match_without_paging(client: Client, directory: Directory) -> None:
    response = client.get(f"{HSDS}/services", {"format": "ndjson", "per_page": 1, "lang": "fr"})
    assert response["Content-Type"] == "application/x-ndjson"
    lines = b"".join(response.streaming_content).decode().splitlines()
    services = [json.loads(line) for line in lines]
    assert len(services) == 3
    for service in services:
        assert_valid("compiled/service_list", service)
    assert "Counselling en établissement (exemple)" in {s["name"] for s in services}


# --- filters ------------------------------------------------------------------------------------


def _names(body: dict[str, Any]) -> set[str]:
    return {item["name"] for item in body["contents"]}


def test_services_filter_by_term_taxonomy_organization_and_date(
    client: Client, directory: Directory
) -> None:
    d = directory
    assert _names(_get(client, "/services", taxonomy_term_id=d.settlement.hsds_id)) == {
        "Sample settlement counselling"
    }
    assert _names(_get(client, "/services", taxonomy_id=d.taxonomy.hsds_id)) == {
        "Sample settlement counselling",
        "Sample conversation circles",
    }
    assert _names(_get(client, "/services", organization_id=d.english.hsds_id)) == {
        "Sample conversation circles"
    }
    Service.objects.filter(pk=d.closed.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=30)
    )
    week_ago = (timezone.now() - datetime.timedelta(days=7)).isoformat()
    assert "Sample job club" not in _names(_get(client, "/services", modified_after=week_ago))


def test_search_finds_words_in_either_language(client: Client, directory: Directory) -> None:
    assert _names(_get(client, "/services", search="counselling")) == {
        "Sample settlement counselling"
    }
    assert _names(_get(client, "/services", search="logement", lang="fr")) == {
        "Counselling en établissement (exemple)"
    }
    assert _names(_get(client, "/organizations", search="library")) == {
        "Sample Library Settlement Partnership"
    }
    assert _names(_get(client, "/taxonomy_terms", search="linc")) == {"Language training (LINC)"}


def test_minimal_services_carry_only_what_a_sync_needs(
    client: Client, directory: Directory
) -> None:
    body = _get(client, "/services", minimal="true")
    assert_page(body, "compiled/service_list")
    assert {frozenset(s) for s in body["contents"]} == {
        frozenset({"id", "name", "status", "last_modified"})
    }


def test_taxonomy_terms_filter_by_taxonomy_top_and_parent(
    client: Client, directory: Directory
) -> None:
    d = directory
    other = TaxonomyTermFactory(code="other", name_en="Other term", name_fr="Autre terme")
    assert _names(_get(client, "/taxonomy_terms", taxonomy_id=d.taxonomy.hsds_id)) == {
        "Settlement",
        "Language training (LINC)",
    }
    assert _names(_get(client, "/taxonomy_terms", top_only="true")) == {"Settlement", other.name_en}
    assert _names(_get(client, "/taxonomy_terms", parent_id=d.settlement.hsds_id)) == {
        "Language training (LINC)"
    }


def test_services_at_locations_near_a_postcode(client: Client, directory: Directory) -> None:
    in_area = _get(client, "/service_at_locations", postcode="K1N 1A1")
    assert [s["id"] for s in in_area["contents"]] == [str(directory.at_ottawa.hsds_id)]
    near = _get(client, "/service_at_locations", postcode="K1N", proximity=5000)
    assert [s["id"] for s in near["contents"]] == [str(directory.at_ottawa.hsds_id)]
    far = _get(client, "/service_at_locations", postcode="V6B", proximity=5000)
    assert far["contents"] == []
    filtered = _get(client, "/service_at_locations", organization_id=directory.english.hsds_id)
    assert [s["service"]["name"] for s in filtered["contents"]] == ["Sample conversation circles"]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"postcode": "12345"}, "postcode"), ({"proximity": 1000}, "proximity")],
)
def test_a_bad_place_is_a_422_that_names_it(
    client: Client, directory: Directory, params: dict, field: str
) -> None:
    response = client.get(f"{HSDS}/service_at_locations", params)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", field]


# --- language -----------------------------------------------------------------------------------


def test_the_language_follows_lang_then_accept_language(
    client: Client, directory: Directory
) -> None:
    path = f"{HSDS}/services/{directory.bilingual.hsds_id}"
    assert client.get(path).json()["name"] == "Sample settlement counselling"
    french = client.get(path, HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9")
    assert french.json()["name"] == "Counselling en établissement (exemple)"
    assert french["Content-Language"] == "fr"
    asked = client.get(path, {"lang": "en"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert asked.json()["name"] == "Sample settlement counselling"


def test_a_record_without_french_answers_in_english_and_says_so(
    client: Client, directory: Directory
) -> None:
    body = _get(client, f"/services/{directory.english_only.hsds_id}", lang="fr")
    assert body["name"] == "Sample conversation circles"
    assert body["x-lang"] == {"name": "en", "description": "en"}
    assert "x-en" not in body


def test_the_bilingual_profile_carries_both_languages(client: Client, directory: Directory) -> None:
    french = _get(client, f"/services/{directory.bilingual.hsds_id}", lang="fr")
    assert french["description"] == "Aide pour le logement, l'emploi et l'école."
    assert french["x-en"]["name"] == "Sample settlement counselling"
    english = _get(client, f"/services/{directory.bilingual.hsds_id}", lang="en")
    assert english["x-fr"]["name"] == "Counselling en établissement (exemple)"
    assert "x-lang" not in english


# --- bounded queries ----------------------------------------------------------------------------


def _more_services(directory: Directory, count: int) -> None:
    for n in range(count):
        service = ServiceFactory(organization=directory.welcome)
        Phone.objects.create(service=service, number=f"613-555-01{n:02d}")
        Attribute.objects.create(
            service=service, taxonomy_term=directory.linc, link_entity="service"
        )
        ServiceAtLocation.objects.create(
            service=service, location=LocationFactory(organization=directory.welcome)
        )


@pytest.mark.parametrize(
    "path",
    [
        "/services?full=true",
        "/services",
        "/service_at_locations?full=true",
        "/service_at_locations",
        "/organizations?full=true&full_service=true",
        "/taxonomy_terms",
    ],
)
def test_a_list_costs_the_same_queries_however_long(
    client: Client, directory: Directory, path: str, django_assert_max_num_queries: Callable
) -> None:
    client.get(f"{HSDS}{path}")  # sessions, locale: whatever a first request costs
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(f"{HSDS}{path}").status_code == 200
    _more_services(directory, 8)
    with django_assert_max_num_queries(len(few)):
        assert client.get(f"{HSDS}{path}").status_code == 200
