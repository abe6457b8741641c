"""The production settings: `check --deploy` clean, and every 500 leaves its traceback in the log.

These run in a child process, because the production settings read the environment at import.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _production_env(data_dir: Path) -> dict[str, str]:
    # The browser tests' conftest allows Django's async-unsafe calls, never set in production.
    left_out = {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in left_out}
    env.update(
        DJANGO_SETTINGS_MODULE="welcoming.config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="welcoming.example.org,testserver",
        WELCOMING_DATA_DIR=str(data_dir),
    )
    return env


def test_check_deploy_finds_nothing_in_production_settings(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_production_refuses_a_short_secret_key(tmp_path: Path) -> None:
    env = _production_env(tmp_path) | {"SECRET_KEY": "x" * 40}
    done = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert "SECRET_KEY must be at least 50 characters" in done.stderr


# A request that fails inside the application: the database has no tables yet.
FAILING_REQUEST = """
import django
django.setup()
from django.test import Client
response = Client(raise_request_exception=False).get(
    "/api/v1/communities", secure=True, HTTP_X_REQUEST_ID="probe-500-request"
)
print(response.status_code, response["X-Request-ID"], response["Strict-Transport-Security"])
"""


def test_a_500_in_production_writes_its_traceback_with_the_request_id_to_stderr(
    tmp_path: Path,
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", FAILING_REQUEST],
        cwd=ROOT,
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.stdout.split() == [
        "500",
        "probe-500-request",
        "max-age=31536000;",
        "includeSubDomains;",
        "preload",
    ], done.stderr
    error_lines = [line for line in done.stderr.splitlines() if "ERROR" in line]
    assert any("[probe-500-request] django.request" in line for line in error_lines), done.stderr
    assert "Traceback (most recent call last)" in done.stderr
    assert "no such table" in done.stderr


@pytest.mark.parametrize(
    ("offered", "kept"),
    [("abc-123.x_Y", True), ("", False), ("two words", False), ("x" * 65, False)],
)
def test_every_response_carries_a_request_id(client, offered: str, kept: bool) -> None:
    response = client.get("/en/", HTTP_X_REQUEST_ID=offered)
    answered = response["X-Request-ID"]
    assert (answered == offered) is kept
    assert 1 <= len(answered) <= 64
