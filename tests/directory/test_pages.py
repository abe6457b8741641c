"""The public directory pages in both languages: search, a service, an organization, the
printable listing and the Welcome Centre sheet (page and PDF), with their query counts."""

import pytest
from django.test import Client

from .samples import sample_needs, sample_ottawa, sample_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def ottawa(db: None):
    return sample_ottawa()


@pytest.fixture
def directory(ottawa):
    centre, housing = sample_needs()
    return {
        "centre": sample_service(
            name_en="Ottawa Welcome Centre",
            name_fr="Centre d'accueil d'Ottawa",
            terms=(centre,),
            languages=("eng", "fra"),
        ),
        "housing": sample_service(
            name_en="Housing help",
            name_fr="Aide au logement",
            terms=(housing,),
            languages=("eng", "fra", "ara"),
            description_fr="Trouver un appartement.",
        ),
        "english_only": sample_service(name_en="Food bank", terms=(housing,)),
    }


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_search_page_finds_services_in_both_languages(
    client: Client, directory, language: str
) -> None:
    response = client.get(f"/{language}/directory/", {"q": "logement", "near": "K1P 1J1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert ("Aide au logement" if language == "fr" else "Housing help") in page
    assert "km" in page
    # Each result shows its site's address and the languages it is offered in.
    assert "100 Sample Street, Ottawa ON K1P 1J1" in page
    assert ("Arabe" if language == "fr" else "Arabic") in page


def test_an_english_only_service_on_a_french_page_is_marked_english(client, directory) -> None:
    page = client.get("/fr/directory/", {"q": "food"}).content.decode()
    assert '<span lang="en">Food bank</span>' in page


def test_a_bad_place_is_named_in_the_form(client, directory) -> None:
    page = client.get("/en/directory/", {"near": "Atlantis"}).content.decode()
    assert "“Atlantis” is not a postal code" in page
    assert 'aria-invalid="true"' in page


def test_nothing_found_shows_suggestions_from_the_data(client, directory) -> None:
    page = client.get("/en/directory/", {"q": "housing", "language": "spa"}).content.decode()
    assert "No service matches all of this." in page
    assert "any language: 2 services" in page


def test_the_search_page_runs_a_fixed_number_of_queries(
    client, directory, django_assert_max_num_queries
) -> None:
    for number in range(30):
        sample_service(name_en=f"Housing office {number}", languages=("eng", "fra"))
    with django_assert_max_num_queries(12):
        response = client.get("/en/directory/", {"q": "housing", "near": "K1P"})
    assert response.status_code == 200
    assert "Page 1 of 2" in response.content.decode()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_service_page_says_where_when_who_and_what_it_costs(
    client, directory, language: str
) -> None:
    service = directory["housing"]
    page = client.get(f"/{language}/directory/services/{service.hsds_id}/").content.decode()
    for english, french in [
        ("100 Sample Street", "100 Sample Street"),
        ("How to get there", "Comment s’y rendre"),
        ("Arabic", "Arabe"),
        ("Documents to bring", "Documents à apporter"),
    ]:
        assert (french if language == "fr" else english) in page


def test_the_organization_page_lists_its_active_services(client, directory) -> None:
    organization = directory["housing"].organization
    page = client.get(f"/en/directory/organizations/{organization.hsds_id}/").content.decode()
    assert "Housing help" in page


@pytest.mark.parametrize(
    ("language", "notice"), [("en", "no longer listed"), ("fr", "ne figure plus")]
)
def test_an_organization_gone_from_its_feed_says_so(client, directory, language, notice) -> None:
    organization = directory["housing"].organization
    url = f"/{language}/directory/organizations/{organization.hsds_id}/"
    assert notice not in client.get(url).content.decode()
    organization.is_active = False
    organization.save(update_fields=["is_active"])
    assert notice in client.get(url).content.decode()


def test_the_search_does_not_offer_an_organization_gone_from_its_feed(client, directory) -> None:
    from welcoming.directory.search_index import service_search_entries_refresh

    organization = directory["housing"].organization
    assert "Housing help" in client.get("/en/directory/", {"q": "housing"}).content.decode()
    organization.is_active = False
    organization.save(update_fields=["is_active"])
    service_search_entries_refresh(service_ids=[directory["housing"].pk])  # as an import does
    assert "Housing help" not in client.get("/en/directory/", {"q": "housing"}).content.decode()
    page = client.get(f"/en/directory/services/{directory['housing'].hsds_id}/")
    assert page.status_code == 200  # its links still answer


def test_the_printable_listing_lists_the_search(client, directory) -> None:
    page = client.get("/en/directory/print/", {"q": "housing"}).content.decode()
    assert "Housing help" in page and "data-print" in page
    assert "100 Sample Street, Ottawa ON K1P 1J1" in page and "Arabic" in page


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_welcome_centre_sheet_groups_services_by_need_in_both_languages(
    client, directory, ottawa, language: str
) -> None:
    page = client.get(f"/{language}/directory/welcome-centres/{ottawa.code}/").content.decode()
    assert "Ottawa Welcome Centre" in page and "Centre d&#x27;accueil d&#x27;Ottawa" in page
    assert "Housing" in page and "Logement" in page
    assert "100 Sample Street, Ottawa" in page and "eng · fra · ara" in page


def test_the_welcome_centre_list_names_the_communities_and_opens_one(client, directory, ottawa):
    from welcoming.directory.models import Location

    Location.objects.update(community=ottawa)
    assert "Ottawa" in client.get("/en/directory/welcome-centres/").content.decode()
    response = client.get("/en/directory/welcome-centres/", {"community": "ottawa"})
    assert response.status_code == 302 and response.url.endswith(f"/{ottawa.code}/")


def test_the_welcome_centre_sheet_prints_as_a_one_page_pdf(client, directory, ottawa) -> None:
    response = client.get(f"/en/directory/welcome-centres/{ottawa.code}/sheet.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response.content.count(b"/Type /Page\n") + response.content.count(b"/Type/Page") <= 1
