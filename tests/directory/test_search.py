"""Finding services: words in either language with or without accents, typos, filters, places,
distance order and what to try when nothing is found; the same on SQLite and PostgreSQL."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from tests.factories import CommunityFactory, TaxonomyTermFactory
from welcoming.directory.search import (
    Place,
    PlaceError,
    ServiceQuery,
    Sort,
    place_resolve,
    service_search,
)
from welcoming.directory.search_index import service_search_entries_refresh

from .samples import sample_service

pytestmark = pytest.mark.django_db
OTTAWA = (45.4215, -75.6972)
GATINEAU = (45.4765, -75.7013)  # about 6 km north of Ottawa
KINGSTON = (44.2312, -76.4860)  # about 145 km south-west of Ottawa
DOWNTOWN_OTTAWA = Place(latitude=45.4215, longitude=-75.6972, label="K1P")


def names(query: ServiceQuery) -> list[str]:
    return [str(hit.service.name_en) for hit in service_search(query).hits]


@pytest.fixture
def housing_help(db: None):
    return sample_service(
        name_en="Housing help for newcomers",
        name_fr="Aide au logement pour les nouveaux arrivants",
        description_en="Find an apartment and understand your lease.",
        description_fr="Trouver un appartement et comprendre votre bail.",
    )


@pytest.mark.parametrize("words", ["logement", "LOGEMENTS", "réfugiés", "refugies", "Café"])
def test_french_words_find_services_with_or_without_accents(words: str) -> None:
    sample_service(name_en="Housing", name_fr="Logement des réfugiés", description_fr="Un café.")
    assert names(ServiceQuery(text=words)) == ["Housing"]


def test_a_french_query_finds_an_english_only_service(housing_help) -> None:
    sample_service(name_en="Food bank", description_en="Groceries for families.")
    assert names(ServiceQuery(text="food")) == ["Food bank"]
    assert names(ServiceQuery(text="aide logement")) == ["Housing help for newcomers"]


def test_names_rank_before_descriptions() -> None:
    sample_service(name_en="Legal clinic", description_en="We also help with housing disputes.")
    sample_service(name_en="Housing search", description_en="Listings and visits.")
    assert names(ServiceQuery(text="housing")) == ["Housing search", "Legal clinic"]


def test_small_typos_still_find_the_service(housing_help) -> None:
    results = service_search(ServiceQuery(text="logment"))
    assert [hit.service for hit in results.hits] == [housing_help]
    assert results.approximate


def test_every_word_must_match_and_stop_words_do_not(housing_help) -> None:
    assert names(ServiceQuery(text="aide au logement")) == ["Housing help for newcomers"]
    assert names(ServiceQuery(text="logement piscine")) == []


def test_filters_by_category_and_its_children_language_eligibility_cost_and_online() -> None:
    housing = TaxonomyTermFactory(code="housing")
    search_term = TaxonomyTermFactory(code="housing-search", parent=housing)
    refugees = TaxonomyTermFactory(code="refugees")
    sample_service(name_en="Rooms", terms=(search_term, refugees), languages=("eng", "fra"))
    sample_service(name_en="Clinic", free=True, online=True, languages=("ara",))
    assert names(ServiceQuery(category="housing")) == ["Rooms"]
    assert names(ServiceQuery(offered_in="fra")) == ["Rooms"]
    assert names(ServiceQuery(offered_in="ara")) == ["Clinic"]
    assert names(ServiceQuery(eligibility="refugees")) == ["Rooms"]
    assert names(ServiceQuery(free=True)) == ["Clinic"]
    assert names(ServiceQuery(online=True)) == ["Clinic"]


def test_a_need_with_a_language_finds_only_services_with_both() -> None:
    housing = TaxonomyTermFactory(code="housing")
    refugees = TaxonomyTermFactory(code="refugees")
    sample_service(name_en="Rooms in Arabic", terms=(housing, refugees), languages=("ara",))
    sample_service(name_en="Rooms in French", terms=(housing,), languages=("fra",))
    sample_service(name_en="Clinic in Arabic", languages=("ara",))
    assert names(ServiceQuery(category="housing", offered_in="ara")) == ["Rooms in Arabic"]
    assert names(ServiceQuery(category="housing", offered_in="spa")) == []
    both = ServiceQuery(category="housing", eligibility="refugees", offered_in="ara")
    assert names(both) == ["Rooms in Arabic"]
    assert names(ServiceQuery(eligibility="refugees", offered_in="fra")) == []


def test_open_now_reads_the_weekly_hours() -> None:
    sample_service(name_en="Weekday desk", opens=("MO,TU,WE,TH,FR", time(9), time(17)))
    sample_service(name_en="Saturday desk", opens=("SA", time(10), time(14)))
    monday_noon = datetime(2026, 3, 2, 12, tzinfo=ZoneInfo("America/Toronto"))
    found = service_search(ServiceQuery(open_now=True), now=monday_noon)
    assert [str(hit.service.name_en) for hit in found.hits] == ["Weekday desk"]


@pytest.mark.parametrize("bound", [1000, 1])
def test_open_now_with_a_need_before_opening_and_after_closing(monkeypatch, bound: int) -> None:
    # With a bound of 1, two open ranges are "many": each row is checked instead of listed.
    monkeypatch.setattr("welcoming.directory.search.CANDIDATES", bound)
    housing = TaxonomyTermFactory(code="housing")
    sample_service(name_en="Rooms", terms=(housing,), opens=("MO", time(9), time(17)))
    sample_service(name_en="Other desk", opens=("MO", time(8), time(20)))
    toronto = ZoneInfo("America/Toronto")

    def found(hour: int) -> list[str]:
        moment = datetime(2026, 3, 2, hour, tzinfo=toronto)
        results = service_search(ServiceQuery(category="housing", open_now=True), now=moment)
        return [str(hit.service.name_en) for hit in results.hits]

    # Nothing at all is open at 7:00 and at 21:00; at 18:00 only another need's service is.
    assert (found(7), found(12), found(18), found(21)) == ([], ["Rooms"], [], [])
    early = datetime(2026, 3, 2, 7, tzinfo=toronto)
    results = service_search(ServiceQuery(category="housing", open_now=True), now=early)
    assert {s.filter_name: s.count for s in results.suggestions if s.kind == "drop"} == {
        "open_now": 1
    }


@pytest.mark.parametrize("bound", [1000, 1])
def test_a_need_finds_the_same_whether_its_services_are_few_or_many(monkeypatch, bound) -> None:
    # With a bound of 1, the need's two services are "many": the database reads them itself.
    monkeypatch.setattr("welcoming.directory.search.CANDIDATES", bound)
    housing = TaxonomyTermFactory(code="housing")
    sample_service(name_en="Rooms", terms=(housing,), languages=("eng", "ara"))
    sample_service(name_en="Leases", terms=(housing,), languages=("eng",))
    sample_service(name_en="Jobs", languages=("ara",))
    found = service_search(ServiceQuery(category="housing"))
    assert {str(hit.service.name_en) for hit in found.hits} <= {"Leases", "Rooms"}
    assert (found.total, found.complete) == ((2, True) if bound > 1 else (1, False))
    assert names(ServiceQuery(category="housing", offered_in="ara")) == ["Rooms"]


def test_near_a_postal_code_nearest_first_with_distances() -> None:
    sample_service(name_en="Gatineau desk", at=GATINEAU)
    sample_service(name_en="Ottawa desk", at=OTTAWA)
    sample_service(name_en="Kingston desk", at=KINGSTON)
    results = service_search(ServiceQuery(near=place_resolve("K1P 1J1"), radius_km=25))
    assert [str(hit.service.name_en) for hit in results.hits] == ["Ottawa desk", "Gatineau desk"]
    distances = [hit.distance_km for hit in results.hits]
    assert distances == sorted(distances) and distances[1] < 25


def test_words_near_a_place_can_be_sorted_by_distance() -> None:
    sample_service(name_en="Job search far", at=GATINEAU)
    sample_service(name_en="Job search near", at=OTTAWA)
    query = ServiceQuery(text="job", near=DOWNTOWN_OTTAWA, sort=Sort.DISTANCE)
    assert names(query) == ["Job search near", "Job search far"]


def test_a_place_is_a_postal_code_coordinates_or_a_community() -> None:
    CommunityFactory(
        code="2466023",
        name_en="Montréal",
        name_fr="Montréal",
        latitude=45.5,
        longitude=-73.6,
        population=1_762_949,
    )
    assert place_resolve("h2x 1y4").label == "H2X"
    assert place_resolve("45.42, -75.69").latitude == 45.42
    assert place_resolve("montreal").community is not None
    with pytest.raises(PlaceError, match="Atlantis"):
        place_resolve("Atlantis")


def test_nothing_found_suggests_a_wider_radius_other_languages_and_the_welcome_centre() -> None:
    centre = TaxonomyTermFactory(code="welcome-centres")
    sample_service(name_en="Ottawa job search", at=OTTAWA, languages=("eng",))
    sample_service(name_en="Kingston job search", at=KINGSTON, languages=("eng",))
    sample_service(name_en="Welcome Centre Kingston", at=KINGSTON, terms=(centre,))
    query = ServiceQuery(text="job", offered_in="spa", near=DOWNTOWN_OTTAWA, radius_km=25)
    results = service_search(query)
    assert results.total == 0
    kinds = {suggestion.kind: suggestion for suggestion in results.suggestions}
    # Farther away but still in Spanish: nothing, so no wider radius is offered.
    assert "wider" not in kinds
    assert kinds["language"].count == 1
    assert str(kinds["welcome-centre"].service.name_en) == "Welcome Centre Kingston"
    assert 140 < kinds["welcome-centre"].distance_km < 160
    wider = service_search(ServiceQuery(text="kingston", near=DOWNTOWN_OTTAWA, radius_km=25))
    assert [(s.kind, s.radius_km, s.count) for s in wider.suggestions] == [
        ("wider", 250, 2),
        ("welcome-centre", None, 1),
    ]


def test_a_found_search_suggests_nothing_and_pages(housing_help) -> None:
    for number in range(25):
        sample_service(name_en=f"Housing office {number:02d}")
    first = service_search(ServiceQuery(text="housing", per_page=10))
    last = service_search(ServiceQuery(text="housing", per_page=10, page=9))
    assert (first.total, first.pages, first.suggestions) == (26, 3, [])
    assert last.page == 3 and len(last.hits) == 6


def test_inactive_services_are_not_found() -> None:
    sample_service(name_en="Closed office", status="inactive")
    assert names(ServiceQuery(text="closed")) == []


def test_open_now_reads_the_hours_of_the_site_too() -> None:
    from welcoming.directory.models import Schedule, ServiceAtLocation

    service = sample_service(name_en="Site desk")
    site = ServiceAtLocation.objects.get(service=service).location
    Schedule.objects.create(location=site, byday="MO", opens_at=time(9), closes_at=time(17))
    service_search_entries_refresh(service_ids=[service.pk])  # as the write services do
    monday_noon = datetime(2026, 3, 2, 12, tzinfo=ZoneInfo("America/Toronto"))
    found = service_search(ServiceQuery(open_now=True), now=monday_noon)
    assert [hit.service for hit in found.hits] == [service]


@pytest.mark.parametrize(
    ("day", "hour", "minute", "is_open"),
    [
        (6, 21, 59, False),  # Friday before it opens
        (6, 22, 0, True),
        (6, 23, 59, True),
        (7, 0, 0, True),  # Saturday, after midnight
        (7, 1, 59, True),
        (7, 2, 0, False),  # it has closed
        (8, 23, 0, True),  # Sunday night ...
        (9, 1, 0, True),  # ... into Monday: the week wraps
        (9, 3, 0, False),
        (10, 1, 0, False),  # Tuesday after midnight: nothing opened on Monday night
    ],
)
def test_open_now_holds_across_midnight(day: int, hour: int, minute: int, is_open: bool) -> None:
    sample_service(name_en="Night desk", opens=("FR,SU", time(22), time(2)))
    moment = datetime(2026, 3, day, hour, minute, tzinfo=ZoneInfo("America/Toronto"))
    found = service_search(ServiceQuery(open_now=True), now=moment)
    assert bool(found.hits) is is_open


def test_open_now_keeps_to_the_schedule_dates_after_midnight_too() -> None:
    from welcoming.directory.models import Schedule

    service = sample_service(name_en="Summer nights")
    Schedule.objects.create(
        service=service,
        byday="FR",
        opens_at=time(20),
        closes_at=time(1),
        valid_from=date(2026, 3, 6),
        valid_to=date(2026, 3, 6),
    )
    service_search_entries_refresh(service_ids=[service.pk])
    toronto = ZoneInfo("America/Toronto")

    def open_at(*moment: int) -> bool:
        return bool(
            service_search(ServiceQuery(open_now=True), now=datetime(*moment, tzinfo=toronto)).hits
        )

    assert open_at(2026, 3, 6, 21) and open_at(2026, 3, 7, 0, 30)  # the Friday and its night
    assert not open_at(2026, 3, 13, 21) and not open_at(2026, 3, 14, 0, 30)  # a week later


def test_nothing_found_suggests_dropping_a_filter_with_what_it_would_find() -> None:
    sample_service(name_en="Job search", opens=("MO", time(9), time(17)))
    sample_service(name_en="Job fair", free=True, opens=("SA", time(9), time(17)))
    monday_noon = datetime(2026, 3, 2, 12, tzinfo=ZoneInfo("America/Toronto"))
    results = service_search(ServiceQuery(text="job", free=True, open_now=True), now=monday_noon)
    assert results.total == 0
    drops = {s.filter_name: s.count for s in results.suggestions if s.kind == "drop"}
    assert drops == {"free": 1, "open_now": 1}
    # A typo still counts: the suggestions read the words as the search does.
    typo = service_search(ServiceQuery(text="jobb", free=True, open_now=True), now=monday_noon)
    assert {s.filter_name: s.count for s in typo.suggestions if s.kind == "drop"} == drops


def test_names_rank_before_descriptions_even_past_the_candidate_bound(monkeypatch) -> None:
    from welcoming.directory import search as directory_search

    monkeypatch.setattr(directory_search, "CANDIDATES", 3)
    for number in range(4):
        sample_service(name_en=f"Legal clinic {number}", description_en="Housing disputes.")
    sample_service(name_en="Housing search", description_en="Listings and visits.")
    results = service_search(ServiceQuery(text="housing"))
    assert str(results.hits[0].service.name_en) == "Housing search"
    assert (results.total, results.complete) == (3, False)


def test_saving_an_organization_rewrites_its_services_search_rows() -> None:
    service = sample_service(name_en="Rooms to rent")
    agency = service.organization
    agency.name_en = "Maple Settlement Society"
    agency.save()  # as the admin or a steward's edit would
    assert names(ServiceQuery(text="maple")) == ["Rooms to rent"]
    agency.is_active = False  # gone from its feed, marked so by hand
    agency.save()
    assert names(ServiceQuery(text="rooms")) == []
