"""The stewards' pages through the real interface, in both languages."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import OrganizationFactory
from welcoming.directory.models import Service

from .conftest import term

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["en", "fr"])
def language(request: pytest.FixtureRequest) -> str:
    with translation.override(request.param):
        yield request.param


def test_a_steward_lists_edits_and_verifies_their_service(
    client, newcomer_service, steward_of, agency, language
) -> None:
    service = newcomer_service(organization=agency, name_en="Sample drop-in", name_fr="")
    newcomer_service(organization=OrganizationFactory(), name_en="Another agency's", name_fr="")
    client.force_login(steward_of(agency))
    listing = client.get(reverse("stewardship:service-list"))
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "Sample drop-in" in page and "Another agency" not in page
    assert reverse("stewardship:service-list") in page  # linked in the navigation
    edit = reverse("stewardship:service-edit", args=[service.pk])
    form = client.get(edit)
    assert form.status_code == 200
    data = {
        **{k: v for k, v in form.context["form"].initial.items() if v is not None},
        "name_fr": "Accueil (exemple)",
        "terms": [term("welcome-centres").pk],
        "languages": "eng, fra",
    }
    saved = client.post(edit, data)
    assert saved.status_code == 302, saved.context["form"].errors
    service.refresh_from_db()
    assert service.name_fr == "Accueil (exemple)" and service.version == 2
    stale = client.post(edit, {**data, "name_fr": "Trop tard"})  # still version 1
    assert stale.status_code == 200 and stale.context["stale"]
    verify = client.post(reverse("stewardship:service-verify", args=[service.pk]), {"note": ""})
    assert verify.status_code == 302
    service.refresh_from_db()
    assert service.last_verified is not None


def test_a_steward_cannot_open_another_organizations_record(
    client, newcomer_service, steward_of, agency, language
) -> None:
    other = newcomer_service(organization=OrganizationFactory())
    client.force_login(steward_of(agency))
    for name in ("service-edit", "service-verify", "service-review"):
        assert client.get(reverse(f"stewardship:{name}", args=[other.pk])).status_code == 403
    before = other.name_en
    client.post(reverse("stewardship:service-edit", args=[other.pk]), {"name_en": "Taken"})
    other.refresh_from_db()
    assert other.name_en == before


def test_a_steward_adds_a_service_to_their_organization(
    client, steward_of, agency, taxonomies, language
) -> None:
    client.force_login(steward_of(agency))
    response = client.post(
        reverse("stewardship:service-add"),
        {"organization": agency.pk, "name_en": "Sample youth club", "status": "active",
         "terms": [term("youth").pk], "languages": "eng"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Service.objects.get(name_en="Sample youth club").organization == agency


def test_duplicates_are_compared_side_by_side_and_merged_on_request(
    client, newcomer_service, steward_of, agency
) -> None:
    from tests.factories import LocationFactory

    site = LocationFactory(organization=agency)
    first = newcomer_service(organization=agency, name_en="Welcome Centre drop-in", name_fr="")
    second = newcomer_service(organization=agency, name_en="Welcome centre drop in", name_fr="")
    for service in (first, second):
        service.service_at_locations.create(location=site)
    client.force_login(steward_of(agency))
    listing = client.get(reverse("stewardship:duplicate-list"))
    merge = reverse("stewardship:service-merge", args=[first.pk, second.pk])
    assert merge in listing.content.decode()
    compare = client.get(merge)
    assert "Welcome centre drop in" in compare.content.decode()
    assert client.post(merge, {"keep": first.pk}).status_code == 302
    assert list(Service.objects.all()) == [first]


def test_the_list_page_asks_a_fixed_number_of_queries(
    client, newcomer_service, steward_of, agency, django_assert_max_num_queries
) -> None:
    for n in range(12):
        newcomer_service(organization=agency, name_en=f"Sample service {n}")
    client.force_login(steward_of(agency))
    with django_assert_max_num_queries(14):
        assert client.get(reverse("stewardship:service-list")).status_code == 200


def _twins(newcomer_service, organization, site, name: str) -> tuple:
    """The same service entered twice, spelled differently, at `site` (None: at no site)."""
    services = tuple(
        newcomer_service(organization=organization, name_en=spelling, name_fr="")
        for spelling in (f"{name} drop-in", f"{name.lower()} drop in")
    )
    for service in services if site is not None else ():
        service.service_at_locations.create(location=site)
    return services


def test_a_pair_said_not_to_be_a_duplicate_is_never_offered_again(
    client, newcomer_service, steward_of, agency
) -> None:
    from tests.factories import LocationFactory
    from welcoming.directory.models import DuplicateDismissal

    first, second = _twins(newcomer_service, agency, LocationFactory(organization=agency),
                           "Welcome Centre")  # fmt: skip
    steward = steward_of(agency)
    client.force_login(steward)
    listing = reverse("stewardship:duplicate-list")
    dismiss = reverse("stewardship:duplicate-dismiss", args=[second.pk, first.pk])
    assert reverse("stewardship:service-merge", args=[first.pk, second.pk]) in (
        client.get(listing).content.decode()
    )
    assert client.get(dismiss).status_code == 405  # only a form says it
    assert client.post(dismiss).status_code == 302
    assert client.post(dismiss).status_code == 302  # said twice: one row
    row = DuplicateDismissal.objects.get()
    assert (row.first, row.second, row.dismissed_by) == (first, second, steward)
    assert row.dismissed_at is not None
    page = client.get(listing).content.decode()
    assert reverse("stewardship:service-merge", args=[first.pk, second.pk]) not in page
    assert Service.objects.count() == 2  # nothing merged, nothing changed


def test_a_steward_may_not_dismiss_a_pair_of_another_organization(
    client, newcomer_service, steward_of, agency
) -> None:
    from tests.factories import LocationFactory, OrganizationFactory
    from welcoming.directory.models import DuplicateDismissal

    other = OrganizationFactory()
    first, second = _twins(newcomer_service, other, LocationFactory(organization=other), "Club")
    client.force_login(steward_of(agency))
    dismiss = reverse("stewardship:duplicate-dismiss", args=[first.pk, second.pk])
    assert client.post(dismiss).status_code == 403
    client.logout()
    assert "/login/" in client.post(dismiss).url
    assert not DuplicateDismissal.objects.exists()


def test_duplicates_are_compared_one_group_of_places_at_a_time(
    client, newcomer_service, data_steward, agency, monkeypatch, django_assert_max_num_queries
) -> None:
    """An installation-wide steward's page reads the services of a few municipalities, never
    the whole directory; the other municipalities are on the next pages."""
    from tests.factories import CommunityFactory, LocationFactory
    from welcoming.directory import steward_selectors

    monkeypatch.setattr(steward_selectors, "DUPLICATE_PAGE_SERVICES", 2)
    pairs = []
    for name in ("Aylmer", "Bathurst", "Campbellton"):
        site = LocationFactory(
            organization=agency, community=CommunityFactory(name_en=name, name_fr=name)
        )
        pairs.append(_twins(newcomer_service, agency, site, f"{name} Welcome Centre"))
    placeless = _twins(newcomer_service, agency, None, "Mobile Welcome Van")
    for service in placeless:
        service.phones.create(number="506-555-0199")
    client.force_login(data_steward)
    seen = []
    for number in (1, 2, 3, 4):
        with django_assert_max_num_queries(30):
            page = client.get(reverse("stewardship:duplicate-list"), {"page": number})
        offers = page.context["page"].offers
        assert len(offers) == 1 and page.context["page"].count == 4
        seen.append((offers[0].first, offers[0].second))
    assert seen == [*pairs, placeless]
