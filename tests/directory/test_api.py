"""The HSDS 3.0 API: every path of Open Referral's reference, its paging, filters and language,
every body valid against the official compiled schemas, and stewards' writes."""

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import (
    LocationFactory,
    OrganizationFactory,
    ServiceFactory,
    TaxonomyTermFactory,
)
from welcoming.accounts.models import Role, Scope, User
from welcoming.accounts.services import api_token_create
from welcoming.core.models import Organization
from welcoming.directory.hsds.schema import validate, validate_compiled
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
from welcoming.directory.search_index import service_search_entries_refresh

pytestmark = pytest.mark.django_db
HSDS = "/api/v1/hsds"


def assert_valid(name: str, body: Any) -> None:
    """Valid against the official schema `name`: `compiled/service` (and the other compiled
    ones) or one object's own (`taxonomy`)."""
    compiled = name.removeprefix("compiled/")
    errors = validate_compiled(compiled, body) if compiled != name else validate(name, body)
    assert not errors, [str(error) for error in errors[:5]]


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
    service_search_entries_refresh()  # as the write services do
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


def test_service_search_is_the_directory_search_with_hsds_paging(
    client: Client, directory: Directory
) -> None:
    # Accents and case do not matter, a word matches as a prefix, the needs' names count, and a
    # small typo is forgiven when the words find almost nothing.
    for words in ("ÉTABLISSEMENT", "etabliss", "counseling", "formation linguistique"):
        found = _names(_get(client, "/services", search=words, lang="en"))
        assert found == (
            {"Sample conversation circles"}
            if words == "formation linguistique"
            else {"Sample settlement counselling"}
        ), words
    # Every match, inactive ones too, a page at a time in the list's order.
    first = _get(client, "/services", search="sample", per_page=2)
    second = _get(client, "/services", search="sample", per_page=2, page=2)
    assert (first["total_items"], first["total_pages"], second["size"]) == (3, 2, 1)
    assert _names(first) | _names(second) == {
        "Sample settlement counselling",
        "Sample conversation circles",
        "Sample job club",
    }


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


# --- stewards' writes ---------------------------------------------------------------------------


def _token(user: User, *scopes: Scope) -> dict[str, str]:
    _made, secret = api_token_create(user=user, name="synthetic test token", scopes=list(scopes))
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def steward(directory: Directory, person_with_role: Callable[..., User]) -> dict[str, str]:
    """A token of a data steward of the welcome centre (not of the library)."""
    return _token(person_with_role(Role.DATA_STEWARD, directory.welcome), Scope.WRITE_DIRECTORY)


def _send(client: Client, method: str, path: str, body: Any, headers: dict, **params: Any) -> Any:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    url = f"{HSDS}{path}" + (f"?{query}" if query else "")
    send = getattr(client, method)
    if body is None:
        return send(url, **headers)
    return send(url, json.dumps(body), content_type="application/json", **headers)


NEW_SERVICE = {
    "name": "Sample homework club",
    "status": "active",
    "description": "Homework help for newcomer children.",
    "x-fr": {"name": "Aide aux devoirs (exemple)"},
    "languages": [{"id": "5b1c1bd0-3c6b-4e8a-8d43-0a5c5b6c7d8e", "code": "ara"}],
}


def test_a_steward_adds_a_service_of_their_organization(
    client: Client, directory: Directory, steward: dict
) -> None:
    body = {**NEW_SERVICE, "organization_id": str(directory.welcome.hsds_id)}
    response = _send(client, "post", "/services", body, steward, lang="en")
    assert response.status_code == 201, response.content
    assert response["ETag"] == '"1"'
    added = response.json()
    assert_valid("compiled/service", added)
    service = Service.objects.get(hsds_id=added["id"])
    assert (service.name_en, service.name_fr) == (  # type: ignore[attr-defined]
        "Sample homework club",
        "Aide aux devoirs (exemple)",
    )
    assert [language["code"] for language in added["languages"]] == ["ara"]
    assert service.edited_by_steward_at is not None


def test_a_steward_cannot_add_a_service_to_another_organization(
    client: Client, directory: Directory, steward: dict
) -> None:
    body = {**NEW_SERVICE, "organization_id": str(directory.english.hsds_id)}
    assert _send(client, "post", "/services", body, steward).status_code == 403
    assert not Service.objects.filter(name_en="Sample homework club").exists()


def test_anonymous_visitors_and_read_only_tokens_cannot_write(
    client: Client, directory: Directory, person_with_role: Callable[..., User]
) -> None:
    body = {**NEW_SERVICE, "organization_id": str(directory.welcome.hsds_id)}
    assert _send(client, "post", "/services", body, {}).status_code == 401
    reader = _token(person_with_role(Role.DATA_STEWARD, directory.welcome), Scope.READ)
    refused = _send(client, "post", "/services", body, reader)
    assert refused.status_code == 403
    assert refused.json()["required_scope"] == "write:directory"
    path = f"/services/{directory.bilingual.hsds_id}/deactivate"
    assert _send(client, "post", path, None, reader).status_code == 403
    assert _send(client, "post", path, None, {}).status_code == 401


def _read(client: Client, path: str, **params: Any) -> tuple[dict[str, Any], str]:
    response = client.get(f"{HSDS}{path}", params)
    return response.json(), response["ETag"].strip('"')


def test_a_steward_changes_their_service_and_its_version_counts_up(
    client: Client, directory: Directory, steward: dict
) -> None:
    path = f"/services/{directory.bilingual.hsds_id}"
    body, version = _read(client, path, lang="en")
    body["name"] = "Sample settlement and orientation counselling"
    body["x-fr"]["name"] = "Counselling en établissement et orientation (exemple)"
    response = _send(client, "put", path, body, steward, lang="en", version=version)
    assert response.status_code == 200, response.content
    assert int(response["ETag"].strip('"')) == int(version) + 1
    assert_valid("compiled/service", response.json())
    service = Service.objects.get(pk=directory.bilingual.pk)
    assert service.name_fr == "Counselling en établissement et orientation (exemple)"  # type: ignore[attr-defined]
    assert service.description_fr == "Aide pour le logement, l'emploi et l'école."  # type: ignore[attr-defined]


def test_a_plain_hsds_body_changes_only_the_language_of_the_request(
    client: Client, directory: Directory, steward: dict
) -> None:
    path = f"/services/{directory.bilingual.hsds_id}"
    body, version = _read(client, path, lang="fr")
    plain = {k: v for k, v in body.items() if not k.startswith("x-")}
    plain["name"] = "Counselling (exemple, nouveau nom)"
    response = _send(client, "put", path, plain, steward, lang="fr", version=version)
    assert response.status_code == 200, response.content
    service = Service.objects.get(pk=directory.bilingual.pk)
    assert service.name_fr == "Counselling (exemple, nouveau nom)"  # type: ignore[attr-defined]
    assert service.name_en == "Sample settlement counselling"  # type: ignore[attr-defined]


def test_a_record_sent_back_as_read_changes_nothing_but_its_version(
    client: Client, directory: Directory, person_with_role: Callable[..., User]
) -> None:
    headers = _token(person_with_role(Role.DATA_STEWARD, directory.english), Scope.WRITE_DIRECTORY)
    path = f"/services/{directory.english_only.hsds_id}"
    before, version = _read(client, path, lang="fr")  # English only: x-lang marks it
    response = _send(client, "put", path, before, headers, lang="fr", version=version)
    assert response.status_code == 200, response.content
    after = response.json()
    assert {k: v for k, v in after.items() if k != "last_modified"} == {
        k: v for k, v in before.items() if k != "last_modified"
    }
    assert Service.objects.get(pk=directory.english_only.pk).name_fr == ""  # type: ignore[attr-defined]


def test_a_stale_version_is_409_and_nothing_is_saved(
    client: Client, directory: Directory, steward: dict
) -> None:
    path = f"/services/{directory.bilingual.hsds_id}"
    body, version = _read(client, path)
    body["name"] = "Sample first edit"
    assert _send(client, "put", path, body, steward, version=version).status_code == 200
    body["name"] = "Sample second edit, from the old version"
    stale = _send(client, "put", path, body, steward, version=version)
    assert stale.status_code == 409
    assert "changed by someone else" in stale.json()["detail"]
    assert Service.objects.get(pk=directory.bilingual.pk).name_en == "Sample first edit"  # type: ignore[attr-defined]
    deactivate = _send(client, "post", f"{path}/deactivate", None, steward, version=version)
    assert deactivate.status_code == 409


def test_a_steward_cannot_change_another_organizations_service(
    client: Client, directory: Directory, steward: dict
) -> None:
    path = f"/services/{directory.english_only.hsds_id}"
    body, _version = _read(client, path)
    body["name"] = "Sample hijacked"
    assert _send(client, "put", path, body, steward).status_code == 403
    assert _send(client, "post", f"{path}/deactivate", None, steward).status_code == 403
    unchanged = Service.objects.get(pk=directory.english_only.pk)
    assert (unchanged.name_en, unchanged.status) == ("Sample conversation circles", "active")  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("change", "loc"),
    [
        ({"status": "closed"}, ["body", "status"]),
        ({"email": "not an address"}, ["body", "email"]),
        ({"minimum_age": "eighteen"}, ["body", "minimum_age"]),
        (
            {"phones": [{"id": "5b1c1bd0-3c6b-4e8a-8d43-0a5c5b6c7d8e", "number": "1"}]},
            ["body", "phones"],
        ),
        ({"accreditations": "Sample accreditation"}, ["body", "accreditations"]),
        (
            {"languages": [{"id": "5b1c1bd0-3c6b-4e8a-8d43-0a5c5b6c7d8e", "code": "xx"}]},
            ["body", "languages", 0, "code"],
        ),
        ({"id": "5b1c1bd0-3c6b-4e8a-8d43-0a5c5b6c7d8e"}, ["body", "id"]),
        ({"x-fr": {"colour": "bleu"}}, ["body", "x-fr", "colour"]),
        ({"name": "x" * 301}, ["body", "name"]),
        ({"description": "nul \x00 character"}, ["body", "description"]),
    ],
)
def test_a_bad_body_is_a_422_that_names_the_field_and_saves_nothing(
    client: Client, directory: Directory, steward: dict, change: dict, loc: list
) -> None:
    path = f"/services/{directory.bilingual.hsds_id}"
    body, version = _read(client, path)
    response = _send(client, "put", path, body | change, steward, version=version)
    assert response.status_code == 422, response.content
    assert [error["loc"] for error in response.json()["detail"]] == [loc]
    assert Service.objects.get(pk=directory.bilingual.pk).version == int(version)


def test_deactivating_a_service_keeps_it_inactive(
    client: Client, directory: Directory, steward: dict
) -> None:
    path = f"/services/{directory.bilingual.hsds_id}/deactivate"
    response = _send(client, "post", path, None, steward)
    assert response.status_code == 200
    assert response.json()["status"] == "inactive"
    assert Service.objects.get(pk=directory.bilingual.pk).status == Service.Status.INACTIVE


def test_organizations_are_added_by_the_installation_and_kept_by_their_own(
    client: Client, directory: Directory, steward: dict, data_steward: User
) -> None:
    new = {"name": "Sample newcomer association", "description": "A sample association."}
    assert _send(client, "post", "/organizations", new, steward).status_code == 403
    installation = _token(data_steward, Scope.WRITE_DIRECTORY)
    added = _send(client, "post", "/organizations", new, installation, lang="en")
    assert added.status_code == 201, added.content
    assert_valid("compiled/organization", added.json())
    path = f"/organizations/{directory.welcome.hsds_id}"
    body, version = _read(client, path, lang="fr")
    body["description"] = "Un centre d'accueil exemple, mis à jour."
    changed = _send(client, "put", path, body, steward, lang="fr", version=version)
    assert changed.status_code == 200, changed.content
    assert changed["ETag"] == f'"{int(version) + 1}"'
    welcome = Organization.objects.get(pk=directory.welcome.pk)
    assert welcome.description_fr == "Un centre d'accueil exemple, mis à jour."  # type: ignore[attr-defined]
    stale = _send(client, "put", path, body, steward, lang="fr", version=version)
    assert stale.status_code == 409
    other = f"/organizations/{directory.english.hsds_id}"
    body, _version = _read(client, other)
    assert _send(client, "put", other, body, steward).status_code == 403


def test_deactivating_an_organization_makes_its_services_inactive(
    client: Client, directory: Directory, steward: dict
) -> None:
    path = f"/organizations/{directory.welcome.hsds_id}/deactivate"
    response = _send(client, "post", path, None, steward)
    assert response.status_code == 200, response.content
    statuses = set(directory.welcome.services.values_list("status", flat=True))
    assert statuses == {Service.Status.INACTIVE}
    assert directory.english.services.get().status == Service.Status.ACTIVE
    other = f"/organizations/{directory.english.hsds_id}/deactivate"
    assert _send(client, "post", other, None, steward).status_code == 403


def _gone_from_its_feed(organization: Organization) -> None:
    organization.is_active = False  # as an import marks it
    organization.save(update_fields=["is_active"])


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_organization_gone_from_its_feed_is_not_listed_but_still_answers(
    client: Client, directory: Directory, language: str
) -> None:
    _gone_from_its_feed(directory.english)
    for params in ({}, {"full": "true"}, {"search": "library"}, {"format": "ndjson"}):
        response = client.get(f"{HSDS}/organizations", {"lang": language, **params})
        listed = (
            [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]
            if params.get("format")
            else response.json()["contents"]
        )
        assert str(directory.english.hsds_id) not in {o["id"] for o in listed}, params
    everyone = _get(client, "/organizations", lang=language)
    assert [o["id"] for o in everyone["contents"]] == [str(directory.welcome.hsds_id)]
    assert everyone["total_items"] == 1
    body = _get(client, f"/organizations/{directory.english.hsds_id}", lang=language)
    assert body["x-active"] is False  # the profile says it is no longer listed
    assert body["name"] == "Sample Library Settlement Partnership"
    assert_valid("compiled/organization", body)
    listed = _get(client, f"/organizations/{directory.welcome.hsds_id}", lang=language)
    assert "x-active" not in listed
    # Its services keep answering as they are, naming it.
    service = _get(client, f"/services/{directory.english_only.hsds_id}", lang=language)
    assert service["organization"]["id"] == str(directory.english.hsds_id)
    assert_valid("compiled/service", service)


def test_an_organization_sent_back_as_read_while_gone_changes_nothing_it_cannot(
    client: Client, directory: Directory, data_steward: User
) -> None:
    _gone_from_its_feed(directory.english)
    installation = _token(data_steward, Scope.WRITE_DIRECTORY)
    path = f"/organizations/{directory.english.hsds_id}"
    body, version = _read(client, path)
    body["description"] = "A sample library partnership."
    assert _send(client, "put", path, body, installation, version=version).status_code == 200
    body, version = _read(client, path)
    body["x-active"] = True  # listed again only by its feed
    refused = _send(client, "put", path, body, installation, version=version)
    assert refused.status_code == 422
    assert Organization.objects.get(pk=directory.english.pk).is_active is False


@pytest.mark.parametrize(
    "moment", ["1560-05-20T14:15:54+20:26", "0001-01-01T00:00:00+05:00", "2020-01-01T00:00:00"]
)
def test_modified_after_takes_any_iso_8601_moment(client, moment) -> None:
    """PostgreSQL refuses offsets beyond ±15:59 and times before year 1: the filter never 500s."""
    response = client.get("/api/v1/hsds/services", {"modified_after": moment})
    assert response.status_code == 200
