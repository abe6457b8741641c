"""Pages in both languages, through the Django test client."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import translation

from tests.slices import load_real_slice

pytestmark = pytest.mark.django_db


@pytest.fixture
def real_slice() -> None:
    load_real_slice()


def _url(name: str, language: str, **kwargs: str) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_home_explains_welcoming(client, language: str) -> None:
    response = client.get(_url("core:home", language))
    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()


def test_home_links_to_the_other_language(client) -> None:
    assert 'href="/fr/"' in client.get("/en/").content.decode()
    assert 'href="/en/"' in client.get("/fr/").content.decode()


@pytest.mark.usefixtures("real_slice")
def test_search_ignores_accents(client) -> None:
    page = client.get("/en/communities/", {"q": "Montreal"}).content.decode()
    assert "Montréal" in page and "Toronto" not in page


@pytest.mark.usefixtures("real_slice")
def test_province_filter(client) -> None:
    page = client.get("/fr/communities/", {"province": "24"}).content.decode()
    assert "Montréal" in page and "Toronto" not in page


@pytest.mark.usefixtures("real_slice")
def test_htmx_request_gets_only_the_results(client) -> None:
    response = client.get("/en/communities/", {"q": "toronto"}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert "<html" not in content and "2 communities found." in content


@pytest.mark.usefixtures("real_slice")
def test_list_runs_in_a_fixed_number_of_queries(client, django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(6):
        client.get("/en/communities/")


@pytest.mark.usefixtures("real_slice")
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["Community Well-Being income score", "86", "2,794,356", "Needs survey data"]),
        ("fr", ["Indice du bien-être des collectivités, composante revenu", "2\xa0794\xa0356"]),
    ],
)
def test_profile_shows_values_by_category_and_characteristic(client, language, expected) -> None:
    page = client.get(f"/{language}/communities/3520005/").content.decode()
    for text in expected:
        assert text in page


@pytest.mark.usefixtures("real_slice")
def test_profile_draws_a_chart_for_a_series_and_keeps_its_table(client) -> None:
    page = client.get("/en/communities/535/").content.decode()
    assert "<svg" in page and "59.02" in page and "$85,000" in page


@pytest.mark.usefixtures("real_slice")
def test_profile_runs_in_a_fixed_number_of_queries(client, django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(12):
        client.get("/en/communities/3520005/")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_unknown_community_is_not_found(client, language: str) -> None:
    assert client.get(f"/{language}/communities/0000000/").status_code == 404


@pytest.mark.usefixtures("real_slice")
def test_profile_series_is_a_line_chart_with_an_accessible_svg_and_a_table(client) -> None:
    page = client.get("/fr/communities/535/").content.decode()
    assert '<svg role="img" aria-label="' in page
    assert "Indice de gravité de la criminalité" in page
    # The latest of the five real values (Statistics Canada 35-10-0026-01), in French format.
    assert "59,02" in page and "2023" in page
    assert "<table" in page


@pytest.mark.usefixtures("real_slice")
def test_profile_bars_for_the_well_being_scores(client) -> None:
    page = client.get("/en/communities/3520005/").content.decode()
    assert page.count("<svg") >= 1
    cells = re.findall(r'<td class="number">\s*([^<]+?)\s*<', page)
    assert {"86", "74", "91", "83"} <= set(cells)
    # The slice's values came in one tidy file: that file is their source, not the indicators'.
    assert "Imported file slice.csv" in page
    assert "Indigenous Services Canada, Community Well-Being Index 2021" not in page


@pytest.mark.usefixtures("real_slice")
def test_profile_says_what_has_no_data_yet(client) -> None:
    page = client.get("/en/communities/3520005/").content.decode()
    assert "No data yet" in page
    assert "Needs survey data" in page


@pytest.mark.usefixtures("real_slice")
def test_profile_links_to_the_province(client) -> None:
    page = client.get("/fr/communities/2466023/").content.decode()
    assert 'href="/fr/communities/24/"' in page and "Québec" in page
    assert "1\xa0762\xa0949" in page


@pytest.mark.parametrize("language", ["en", "fr"])
def test_login_page(client, language: str) -> None:
    assert client.get(f"/{language}/accounts/login/").status_code == 200


@pytest.mark.usefixtures("real_slice")
def test_search_finds_montreal_in_both_languages_without_accents(client) -> None:
    for language in ("en", "fr"):
        page = client.get(f"/{language}/communities/", {"q": "MONTREAL"}).content.decode()
        assert f'href="/{language}/communities/2466023/"' in page
        assert "/communities/3520005/" not in page


@pytest.mark.usefixtures("real_slice")
@pytest.mark.parametrize(
    ("params", "found", "not_found"),
    [
        ({"level": "cma"}, ["/communities/535/"], ["/communities/3520005/"]),
        ({"size": "large", "province": "35"}, ["/communities/3520005/"], ["/communities/2466023/"]),
        ({"level": "csd", "q": "toronto"}, ["/communities/3520005/"], ["/communities/535/"]),
    ],
)
def test_filters_combine(client, params, found, not_found) -> None:
    page = client.get("/en/communities/", params).content.decode()
    assert all(href in page for href in found)
    assert not any(href in page for href in not_found)


@pytest.mark.usefixtures("real_slice")
def test_unknown_filter_values_are_ignored(client) -> None:
    response = client.get("/en/communities/", {"province": "99", "size": "huge", "page": "x"})
    assert response.status_code == 200
    assert "6 communities found." in response.content.decode()


@pytest.mark.usefixtures("real_slice")
def test_provinces_are_offered_by_their_name_in_the_page_language(client) -> None:
    assert '<option value="24" >Québec</option>' in client.get("/fr/communities/").content.decode()
    assert '<option value="24" >Quebec</option>' in client.get("/en/communities/").content.decode()


@pytest.mark.usefixtures("real_slice")
def test_results_are_paginated_and_keep_the_search(client) -> None:
    from welcoming.core.views import PAGE_SIZE

    from ..factories import CommunityFactory

    CommunityFactory.create_batch(PAGE_SIZE, parent_id=None)
    first = client.get("/en/communities/", {"level": "csd"}).content.decode()
    assert "Page 1 of 2" in first and 'href="?level=csd&amp;page=2"' in first
    second = client.get("/en/communities/", {"level": "csd", "page": 2}).content.decode()
    assert "Page 2 of 2" in second and 'rel="prev"' in second


@pytest.mark.usefixtures("real_slice")
def test_htmx_fragment_updates_the_count_and_the_language_toggle(client) -> None:
    response = client.get("/en/communities/", {"q": "montreal"}, HTTP_HX_REQUEST="true")
    fragment = response.content.decode()
    assert "<html" not in fragment
    assert '<p id="result-count" hx-swap-oob="innerHTML">' in fragment
    assert 'hx-swap-oob="true">Français</a>' in fragment
    assert 'href="/fr/communities/?q=montreal"' in fragment
    assert "HX-Request" in response["Vary"]


@pytest.mark.usefixtures("real_slice")
def test_htmx_history_restore_gets_the_whole_page(client) -> None:
    response = client.get(
        "/en/communities/",
        {"q": "montreal"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )
    page = response.content.decode()
    assert "<html" in page and "hx-swap-oob" not in page


@pytest.mark.usefixtures("real_slice")
@pytest.mark.parametrize("htmx", [False, True])
def test_list_queries_do_not_grow_with_the_results(client, django_assert_num_queries, htmx) -> None:
    from ..factories import CommunityFactory

    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    # The data state (the page is kept per state), provinces for the filter, the count, and one
    # page of communities with their parents.
    with django_assert_num_queries(4):
        client.get("/en/communities/", **headers)
    CommunityFactory.create_batch(30, parent_id=None)
    with django_assert_num_queries(4):
        client.get("/en/communities/", **headers)


def test_signed_in_person_sees_their_name_and_a_sign_out_button(client, analyst) -> None:
    client.force_login(analyst)
    page = client.get("/fr/").content.decode()
    assert analyst.username in page
    assert 'action="/fr/accounts/logout/"' in page and 'method="post"' in page


def test_sign_in_link_returns_to_the_page(client) -> None:
    page = client.get("/en/framework/").content.decode()
    assert 'href="/en/accounts/login/?next=/en/framework/"' in page


def test_wrong_password_is_explained(client, analyst) -> None:
    response = client.post(
        "/en/accounts/login/", {"username": analyst.username, "password": "wrong"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in page and 'aria-invalid="true"' in page


def test_unknown_page_is_a_bilingual_not_found_page(client) -> None:
    response = client.get("/fr/nowhere/")
    assert response.status_code == 404
    assert '<html lang="fr">' in response.content.decode()


def test_the_site_has_a_favicon(client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    icon = finders.find(response["Location"].removeprefix(settings.STATIC_URL).lstrip("/"))
    assert icon is not None and Path(icon).read_bytes()[:4] == b"\x00\x00\x01\x00"  # an ICO
    home = client.get("/en/").content.decode()
    assert 'rel="icon"' in home and "favicon.ico" in home
