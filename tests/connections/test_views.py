"""The staff's pages for programs and profiles, in English and French."""

import pytest
from django.urls import reverse
from django.utils import translation

from welcoming.accounts.models import Consent
from welcoming.connections.models import HostProfile, NewcomerProfile, Program

from .conftest import Agencies
from .factories import HostProfileFactory, NewcomerProfileFactory

pytestmark = pytest.mark.django_db


def _newcomer_form(agencies: Agencies, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "version": "1",
        "consent": "on",
        "organization": agencies.own.pk,
        "programs": [agencies.program.pk],
        "name": "Synthetic newcomer A",
        "email": "",
        "preferred_language": "fr",
        "community": agencies.program.communities.get().pk,
        "postal_code": "E1C 4B8",
        "arrival_date": "2025-08-20",
        "age_group": "adult",
        "goals": ["practise_english", "employment"],
        "interests": ["music"],
        "children_ages": "3, 7",
        "noc_code": "31301",
        "occupation_text": "Nurse",
        "language_1": "Tigrinya",
        "level_1": "4",
        "language_2": "anglais",
        "level_2": "2",
        "availability": ["0", "4", "20"],
        "status": "waiting",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("language", ["en", "fr"])
def test_staff_create_a_newcomer_profile_with_consent_first(
    client, agencies: Agencies, language: str
) -> None:
    client.force_login(agencies.staff)
    with translation.override(language):
        url = reverse("connections:newcomer-create")
    assert client.get(url).status_code == 200
    response = client.post(url, _newcomer_form(agencies))
    assert response.status_code == 302, response.content.decode()[:3000]
    profile = NewcomerProfile.objects.get()
    assert profile.postal_code == "E1C"
    assert profile.availability == 1 | 1 << 4 | 1 << 20
    assert profile.children_ages == [3, 7]
    assert sorted(profile.languages.values_list("code", "level")) == [("eng", 2), ("tir", 4)]
    assert profile.consent is not None and profile.consent.subject == profile
    assert profile.consent.recorded_by == agencies.staff
    page = client.get(reverse("connections:newcomer-detail", args=[profile.pk]))
    assert "Registered nurses" in page.content.decode()


def test_a_profile_without_consent_is_not_saved(client, agencies: Agencies) -> None:
    client.force_login(agencies.staff)
    data = _newcomer_form(agencies)
    del data["consent"]
    response = client.post(reverse("connections:newcomer-create"), data)
    assert response.status_code == 200
    assert not NewcomerProfile.objects.exists() and not Consent.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("postal_code", "Z9Z 9Z9", "is not a Canadian postal code"),
        ("language_1", "Klingonese", "Unknown language"),
        ("children_ages", "three", "whole number from 0 to 17"),
        ("arrival_date", "yesterday", "Enter a valid date"),
        ("level_1", "", "Choose a level"),
    ],
)
def test_bad_input_is_named_on_its_field(
    client, agencies: Agencies, field: str, value: str, message: str
) -> None:
    client.force_login(agencies.staff)
    response = client.post(
        reverse("connections:newcomer-create"), _newcomer_form(agencies, **{field: value})
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not NewcomerProfile.objects.exists()


def test_staff_of_another_organization_see_nothing(client, agencies: Agencies) -> None:
    newcomer = NewcomerProfileFactory(organization=agencies.own)
    host = HostProfileFactory(organization=agencies.own)
    client.force_login(agencies.other_staff)
    for name, pk in [
        ("connections:newcomer-detail", newcomer.pk),
        ("connections:newcomer-edit", newcomer.pk),
        ("connections:host-detail", host.pk),
        ("connections:host-edit", host.pk),
        ("connections:program-detail", agencies.program.pk),
        ("connections:program-edit", agencies.program.pk),
    ]:
        assert client.get(reverse(name, args=[pk])).status_code == 404, name
    for name in ("connections:newcomer-list", "connections:host-list", "connections:program-list"):
        page = client.get(reverse(name)).content.decode()
        assert newcomer.name not in page and host.name not in page
        assert str(agencies.program.name) not in page


def test_list_pages_ask_as_many_queries_for_many_rows_as_for_one(
    client, agencies: Agencies
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(agencies.staff)
    names = ("connections:newcomer-list", "connections:host-list", "connections:program-list")

    def counts() -> list[int]:
        found = []
        for name in names:
            client.get(reverse(name))  # warm the session and roles
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse(name)).status_code == 200
            found.append(len(queries))
        return found

    NewcomerProfileFactory(organization=agencies.own, programs=[agencies.program])
    HostProfileFactory(organization=agencies.own)
    one = counts()
    for _ in range(4):
        NewcomerProfileFactory(organization=agencies.own, programs=[agencies.program])
        HostProfileFactory(organization=agencies.own)
    assert counts() == one
    assert max(one) <= 8


def test_staff_create_and_edit_a_host_with_screening(client, agencies: Agencies) -> None:
    client.force_login(agencies.staff)
    data = {
        "version": "1",
        "organization": agencies.own.pk,
        "kind": "group",
        "status": "active",
        "name": "Synthetic conversation group",
        "preferred_language": "en",
        "community": agencies.program.communities.get().pk,
        "postal_code": "",
        "capacity": "1",
        "max_distance_km": "20",
        "language_1": "fra",
        "level_1": "4",
        "police_check_date": "2025-03-01",
        "police_check_expires": "2025-02-01",
        "availability": ["2"],
    }
    response = client.post(reverse("connections:host-create"), data)
    page = response.content.decode()
    assert "takes more than 1 newcomer" in page
    assert "The expiry comes after the check" in page
    data.update(capacity="8", police_check_expires="2028-03-01")
    response = client.post(reverse("connections:host-create"), data)
    assert response.status_code == 302
    host = HostProfile.objects.get()
    assert host.latitude == pytest.approx(46.072151)  # no postal code: the community's point
    edit = reverse("connections:host-edit", args=[host.pk])
    data["capacity"] = "10"
    assert client.post(edit, data).status_code == 302
    host.refresh_from_db()
    assert (host.capacity, host.version) == (10, 2)
    # The same form again, opened on version 1: refused, nothing changed.
    data["capacity"] = "3"
    response = client.post(edit, data)
    assert "changed by someone else" in response.content.decode()
    host.refresh_from_db()
    assert host.capacity == 10


def test_staff_create_a_program(client, agencies: Agencies) -> None:
    client.force_login(agencies.staff)
    moncton = agencies.program.communities.get()
    data = {
        "version": "1",
        "organization": agencies.own.pk,
        "name_en": "Family network",
        "name_fr": "Réseau des familles",
        "kind": "family_network",
        "communities": [moncton.pk],
        "languages": "English, français, Arabic",
        "min_language_level": "2",
        "eligibility": ["children_under_6"],
        "team_size_min": "3",
        "team_size_max": "5",
        "delivery": "both",
        "is_active": "on",
        "weight_occupation": "0",
        "weight_interests": "2",
        "weight_distance": "2",
        "weight_household": "3",
        "weight_language": "2",
        "weight_waiting": "1",
        "weight_priority": "2",
        "distance_scale_km": "10",
    }
    response = client.post(reverse("connections:program-create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    program = Program.objects.get(name_en="Family network")
    assert program.languages == ["eng", "fra", "ara"]
    assert (program.team_size_min, program.team_size_max) == (3, 5)
    with translation.override("fr"):
        page = client.get(reverse("connections:program-detail", args=[program.pk]))
    assert "Réseau des familles" in page.content.decode()
    data["languages"] = "Elvish"
    response = client.post(reverse("connections:program-create"), data)
    assert "Unknown languages: Elvish" in response.content.decode()
