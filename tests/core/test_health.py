"""The load balancer's health check: 200 when this process can serve pages, else 503."""

from pathlib import Path

import pytest
from django.db import OperationalError
from django.test import override_settings

from welcoming.core import health

pytestmark = pytest.mark.django_db

MANIFEST_STORAGE = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def test_a_healthy_server_answers_ok_with_one_query_and_no_session(
    client, django_assert_num_queries
) -> None:
    with django_assert_num_queries(1):  # SELECT 1
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "static_files": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies


class UnreachableDatabase:
    def cursor(self) -> None:
        raise OperationalError("connection refused")


def test_a_database_out_of_reach_is_503_and_logged(client, monkeypatch, caplog) -> None:
    monkeypatch.setattr(health, "connection", UnreachableDatabase())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "failing"
    assert "connection refused" in caplog.text


def test_static_files_never_collected_are_503(client, tmp_path: Path) -> None:
    with override_settings(STORAGES=MANIFEST_STORAGE, STATIC_ROOT=tmp_path):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "failing", "database": "ok", "static_files": "failing"}


@override_settings(RATELIMIT_API="1/m", RATELIMIT_FORMS="1/m")
def test_the_health_check_is_never_rate_limited(client) -> None:
    assert [client.get("/healthz").status_code for _ in range(5)] == [200] * 5


def test_only_reading_methods_are_answered(client) -> None:
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405
