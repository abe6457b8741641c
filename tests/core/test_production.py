"""The production settings: `check --deploy` clean, and every 500 leaves its traceback in the log.

These run in a child process, because the production settings read the environment at import.
"""

import os
import re
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


def _run_in_production(arguments: list[str], data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=ROOT,
        env=_production_env(data_dir),
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


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
    done = _run_in_production(["-c", FAILING_REQUEST], tmp_path)
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


def test_production_without_collected_static_files_stops_at_start_with_one_line(
    tmp_path: Path,
) -> None:
    """gunicorn loads the application before forking (config/gunicorn.py): it stops at once,
    with the message and gunicorn's "App failed to load" status, instead of answering 500."""
    gunicorn = ["-m", "gunicorn", "-c", "python:welcoming.config.gunicorn", "--bind", "127.0.0.1:0"]
    done = _run_in_production([*gunicorn, "--no-control-socket", "welcoming.config.wsgi"], tmp_path)
    assert done.returncode == 4, done.stderr
    assert done.stderr.splitlines() == [
        f"Static files are not collected in {tmp_path / 'static'}: run "
        "`welcoming manage collectstatic --no-input`, then start the server again."
    ]


# Collects the project's own static files (not every app's: compressing those takes a minute)
# with the production storage, then asks the production application for one of them.
SERVING = """
import django
django.setup()
from django.core.management import call_command
from django.test.utils import override_settings
with override_settings(STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"]):
    call_command("collectstatic", "--no-input", verbosity=0)
from django.templatetags.static import static
from django.test import Client
from welcoming.config.wsgi import application
client = Client()
url = static("welcoming/site.css")
css = client.get(url, HTTP_ACCEPT_ENCODING="br, gzip", secure=True)
health = client.get("/healthz")  # plain HTTP, as a load balancer asks
print(url)
print(css.status_code, css["Cache-Control"], css["Content-Encoding"])
print(health.status_code, health.content.decode())
"""


def test_whitenoise_serves_hashed_static_files_compressed_and_cached_for_ever(
    tmp_path: Path,
) -> None:
    done = _run_in_production(["-c", SERVING], tmp_path)
    assert done.returncode == 0, done.stderr
    url, css, health = done.stdout.splitlines()
    assert re.fullmatch(r"/static/welcoming/site\.[0-9a-f]{12}\.css", url)
    assert css == "200 max-age=315360000, public, immutable br"
    assert health == '200 {"status": "ok", "database": "ok", "static_files": "ok"}'
