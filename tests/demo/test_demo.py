"""The demo loads real data once, with one synthetic account per role in two organizations, and
refuses to run on a production installation unless told so."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from welcoming.accounts.models import Role, User
from welcoming.core.models import Community, Organization
from welcoming.indicators.models import ImportBatch, IndicatorValue

pytestmark = pytest.mark.django_db


def test_demo_refuses_to_run_without_debug_unless_allowed(settings) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--allow-production"):
        call_command("demo", stdout=io.StringIO())
    assert not User.objects.filter(username__startswith="demo-").exists()


def test_demo_is_idempotent_and_real() -> None:
    out = io.StringIO()
    call_command("demo", "--allow-production", stdout=out)
    counts = (
        Community.objects.count(),
        IndicatorValue.objects.count(),
        ImportBatch.objects.count(),
    )
    assert counts[0] == 5327 and counts[1] > 30_000
    again = io.StringIO()
    call_command("demo", "--allow-production", stdout=again)
    assert counts == (
        Community.objects.count(),
        IndicatorValue.objects.count(),
        ImportBatch.objects.count(),
    )
    assert "keep their passwords" in again.getvalue()
    toronto = IndicatorValue.objects.get(community__code="3520005", indicator__code="population")
    assert toronto.value == 2_794_356


def test_demo_has_one_account_per_role_in_two_synthetic_organizations(settings) -> None:
    settings.DEBUG = True
    out = io.StringIO()
    call_command("demo", stdout=out)
    printed = out.getvalue()
    organizations = Organization.objects.filter(name_en__contains="(synthetic)")
    assert organizations.count() == 2
    assert organizations.filter(is_installation=True).count() == 1
    for organization in organizations:
        roles = set(organization.memberships.values_list("role", flat=True))
        assert roles == set(Role.values)
    people = User.objects.filter(memberships__organization__in=organizations)
    assert people.count() == 2 * len(Role)
    assert not people.filter(is_superuser=True).exists()
    assert not User.objects.filter(is_superuser=True).exclude(username="operator").exists()
    assert not User.objects.get(username="operator").has_usable_password()
    for person in people:
        assert person.username in printed
        assert person.check_password("welcoming-demo")
    assert "Demo password: welcoming-demo" in printed
    assert "Manages the members and the details of its own organization." in printed


def test_off_a_development_machine_the_demo_password_is_random() -> None:
    out = io.StringIO()
    call_command("demo", "--allow-production", stdout=out)
    steward = User.objects.get(username="demo-city-data-steward")
    assert not steward.check_password("welcoming-demo")
    password = out.getvalue().split("Demo password: ")[1].split()[0]
    assert steward.check_password(password)


def test_demo_retires_the_superuser_earlier_demos_made() -> None:
    User.objects.create_superuser("demo", "demo@example.org", "welcoming-demo")
    call_command("demo", "--allow-production", stdout=io.StringIO())
    legacy = User.objects.get(username="demo")
    assert not (legacy.is_superuser or legacy.is_active or legacy.has_usable_password())


def test_communities_search_cli_ignores_accents() -> None:
    call_command("demo", "--allow-production", stdout=io.StringIO())
    out = io.StringIO()
    call_command("communities", "search", "Montreal", "--limit", "2", stdout=out)
    assert "2466023" in out.getvalue() and "Montréal" in out.getvalue()


def test_demo_on_a_fresh_data_directory_creates_the_tables_first(tmp_path) -> None:
    """`welcoming demo` right after install: no database yet, and no `migrate` run by hand."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SCORES_CACHE_URL"}}
    env |= {
        "WELCOMING_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "welcoming.config.settings.local",
    }
    welcoming = Path(sys.executable).with_name("welcoming")
    done = subprocess.run(
        [str(welcoming), "demo"], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Demo password: welcoming-demo" in done.stdout
    assert (tmp_path / "welcoming.sqlite3").is_file()
