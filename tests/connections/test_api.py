"""Programs and profiles through the API: the organization's staff only, bad input named."""

import pytest

from welcoming.accounts.models import Scope
from welcoming.accounts.services import api_token_create
from welcoming.connections.models import HostProfile, NewcomerProfile, Program

from .conftest import Agencies
from .factories import HostProfileFactory, NewcomerProfileFactory

pytestmark = pytest.mark.django_db


def _headers(user, scopes=None) -> dict[str, str]:
    _token, secret = api_token_create(user=user, name="synthetic", scopes=scopes or Scope.values)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _newcomer(agencies: Agencies, **changes: object) -> dict[str, object]:
    body: dict[str, object] = {
        "organization_id": agencies.own.pk,
        "name": "Synthetic newcomer B",
        "community": "1307022",
        "postal_code": "E1C 4B8",
        "availability": 7,
        "languages": [{"code": "ara", "level": 4}, {"code": "eng", "level": 2}],
        "programs": [agencies.program.pk],
        "arrival_date": "2025-10-01",
        "age_group": "senior",
        "consent_given": True,
    }
    body.update(changes)
    return body


def test_staff_create_read_and_change_a_newcomer(client, agencies: Agencies) -> None:
    headers = _headers(agencies.staff)
    response = client.post(
        "/api/v1/connections/newcomers",
        _newcomer(agencies),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["postal_code"] == "E1C" and body["community"] == "1307022"
    assert body["consent_id"] is not None
    profile = NewcomerProfile.objects.get()
    assert "senior" in profile.tags
    got = client.get(f"/api/v1/connections/newcomers/{profile.pk}", **headers).json()
    assert got["languages"] == [{"code": "ara", "level": 4}, {"code": "eng", "level": 2}]
    change = _newcomer(agencies, version=1, name="Synthetic newcomer C")
    response = client.put(
        f"/api/v1/connections/newcomers/{profile.pk}",
        change,
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200 and response.json()["version"] == 2
    stale = client.put(
        f"/api/v1/connections/newcomers/{profile.pk}",
        change,
        content_type="application/json",
        **headers,
    )
    assert stale.status_code == 409


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"postal_code": "12345"}, "postal_code"),
        ({"community": "0000000"}, "community"),
        ({"languages": [{"code": "xxq", "level": 2}]}, "code"),
        ({"consent_given": False}, "consent"),
    ],
)
def test_bad_profiles_are_refused_with_the_field(
    client, agencies: Agencies, changes, field
) -> None:
    response = client.post(
        "/api/v1/connections/newcomers",
        _newcomer(agencies, **changes),
        content_type="application/json",
        **_headers(agencies.staff),
    )
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert not NewcomerProfile.objects.exists()


def test_staff_of_another_organization_get_404_and_cannot_write_into_it(
    client, agencies: Agencies
) -> None:
    newcomer = NewcomerProfileFactory(organization=agencies.own)
    host = HostProfileFactory(organization=agencies.own)
    headers = _headers(agencies.other_staff)
    for path in (
        f"/api/v1/connections/newcomers/{newcomer.pk}",
        f"/api/v1/connections/hosts/{host.pk}",
        f"/api/v1/connections/programs/{agencies.program.pk}",
    ):
        assert client.get(path, **headers).status_code == 404
    assert client.get("/api/v1/connections/newcomers", **headers).json()["items"] == []
    response = client.post(
        "/api/v1/connections/newcomers",
        _newcomer(agencies),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 403


def test_writing_needs_the_write_connections_scope(client, agencies: Agencies) -> None:
    headers = _headers(agencies.staff, scopes=[Scope.READ])
    response = client.post(
        "/api/v1/connections/newcomers",
        _newcomer(agencies),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 403
    assert response.json()["required_scope"] == "write:connections"


def test_staff_create_a_program_and_a_host(client, agencies: Agencies) -> None:
    headers = _headers(agencies.staff)
    program = {
        "organization_id": agencies.own.pk,
        "name_en": "Seniors network",
        "name_fr": "Réseau des aînés",
        "kind": "seniors_network",
        "communities": ["1307022", "1307045"],
        "languages": ["fra", "eng"],
        "eligibility": ["senior"],
    }
    response = client.post(
        "/api/v1/connections/programs", program, content_type="application/json", **headers
    )
    assert response.status_code == 201, response.json()
    assert sorted(response.json()["communities"]) == ["1307022", "1307045"]
    assert response.json()["weight_occupation"] == 3.0
    bad = client.post(
        "/api/v1/connections/programs",
        {**program, "languages": ["zz9"]},
        content_type="application/json",
        **headers,
    )
    assert bad.status_code == 422 and "languages" in bad.json()["errors"]
    host = {
        "organization_id": agencies.own.pk,
        "name": "Synthetic seniors club",
        "community": "1307045",
        "kind": "network",
        "capacity": 12,
        "languages": [{"code": "fra", "level": 4}],
        "programs": [Program.objects.get(name_en="Seniors network").pk],
        "police_check_date": "2025-01-01",
        "police_check_expires": "2027-01-01",
    }
    response = client.post(
        "/api/v1/connections/hosts", host, content_type="application/json", **headers
    )
    assert response.status_code == 201, response.json()
    assert HostProfile.objects.get().capacity == 12


def test_funder_officers_see_counts_only_suppressed(
    client, agencies: Agencies, person_with_role
) -> None:
    from welcoming.accounts.models import Role

    officer = person_with_role(Role.FUNDER_OFFICER, agencies.other)
    for _ in range(6):
        NewcomerProfileFactory(organization=agencies.own)
    HostProfileFactory(organization=agencies.own)
    headers = _headers(officer)
    counts = client.get("/api/v1/connections/counts", **headers).json()
    assert counts["newcomers_waiting"]["value"] == 6
    assert counts["hosts_active"] == {
        "value": None,
        "suppressed": True,
        "label": "suppressed",
    }
    assert client.get("/api/v1/connections/newcomers", **headers).json()["items"] == []
