"""The admin speaks both languages and never lists every community in a dropdown."""

import pytest

from tests.factories import CommunityFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "header"),
    [("en", "Welcoming administration"), ("fr", "Administration de Welcoming")],
)
def test_site_header_is_translated(admin_client, language: str, header: str) -> None:
    assert header in admin_client.get(f"/{language}/admin/").content.decode()


def test_community_form_edits_both_names_and_picks_the_parent_by_id(admin_client) -> None:
    community = CommunityFactory(parent=CommunityFactory(code="35", level="province"))
    html = admin_client.get(f"/en/admin/core/community/{community.pk}/change/").content.decode()
    assert 'name="name_en"' in html and 'name="name_fr"' in html
    assert '<select name="parent"' not in html


def test_organization_form_finds_its_community_by_search(admin_client) -> None:
    organization = OrganizationFactory(community=CommunityFactory())
    url = f"/en/admin/core/organization/{organization.pk}/change/"
    assert "admin-autocomplete" in admin_client.get(url).content.decode()


def test_community_changes_are_audited(admin_client) -> None:
    community = CommunityFactory()
    url = f"/en/admin/core/community/{community.pk}/history/"
    assert admin_client.get(url).status_code == 200


def test_a_data_steward_cannot_rename_another_organization_in_the_admin(
    client, person_with_role
) -> None:
    from tests.factories import OrganizationFactory
    from welcoming.accounts.models import Role
    from welcoming.core.models import Organization

    own, other = OrganizationFactory(), OrganizationFactory(name_en="Untouched (synthetic)")
    client.force_login(person_with_role(Role.DATA_STEWARD, own))
    form = {"name_en": "Renamed", "name_fr": "Renommé", "sector": "other", "website": ""}
    response = client.post(f"/en/admin/core/organization/{other.pk}/change/", form)
    assert response.status_code == 403
    assert Organization.objects.get(pk=other.pk).name_en == "Untouched (synthetic)"
    response = client.post(f"/en/admin/core/organization/{own.pk}/change/", form)
    assert response.status_code == 302
    assert Organization.objects.get(pk=own.pk).name_en == "Renamed"


def test_only_the_installation_administrator_says_which_organization_runs_it(
    client, person_with_role
) -> None:
    from tests.factories import OrganizationFactory
    from welcoming.accounts.models import Role

    own = OrganizationFactory()
    client.force_login(person_with_role(Role.ADMINISTRATOR, own))
    page = client.get(f"/en/admin/core/organization/{own.pk}/change/").content.decode()
    assert 'name="is_installation"' not in page
    client.force_login(person_with_role(Role.ADMINISTRATOR))
    page = client.get(f"/en/admin/core/organization/{own.pk}/change/").content.decode()
    assert 'name="is_installation"' in page
