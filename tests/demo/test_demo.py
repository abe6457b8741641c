"""The demo loads real data once; running it again changes nothing."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from welcoming.accounts.models import User
from welcoming.core.models import Community
from welcoming.indicators.models import ImportBatch, IndicatorValue

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_real() -> None:
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert "Demo login: demo / welcoming-demo" in out.getvalue()
    counts = (
        Community.objects.count(),
        IndicatorValue.objects.count(),
        ImportBatch.objects.count(),
    )
    assert counts[0] == 5327 and counts[1] > 30_000
    call_command("demo", stdout=io.StringIO())
    assert counts == (
        Community.objects.count(),
        IndicatorValue.objects.count(),
        ImportBatch.objects.count(),
    )
    assert User.objects.get(username="demo").memberships.get().role == "data_steward"
    toronto = IndicatorValue.objects.get(community__code="3520005", indicator__code="population")
    assert toronto.value == 2_794_356


def test_communities_search_cli_ignores_accents() -> None:
    call_command("demo", stdout=io.StringIO())
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
    assert "Demo login: demo / welcoming-demo" in done.stdout
    assert (tmp_path / "welcoming.sqlite3").is_file()
