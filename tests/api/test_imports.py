"""POST and GET /api/v1/imports: every answer an importing program can get."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from welcoming.indicators.importing import records as reasons
from welcoming.indicators.models import ImportBatch, IndicatorValue

pytestmark = pytest.mark.django_db
HEADER = "community_code,indicator_code,period,value,status\n"
ONE_VALUE = "3520005,unemployment-rate,2021,12.1,\n"


def _upload(client, body: str, headers: dict[str, str], **fields: str):
    file = SimpleUploadedFile("values.csv", (HEADER + body).encode(), "text/csv")
    return client.post("/api/v1/imports", {"file": file, "format": "tidy", **fields}, **headers)


def _unemployment() -> list[float | None]:
    return list(
        IndicatorValue.objects.filter(indicator__code="unemployment-rate").values_list(
            "value", flat=True
        )
    )


def test_steward_imports_a_file_and_gets_its_report(client, data_steward, bearer) -> None:
    response = _upload(client, ONE_VALUE, bearer(data_steward))
    assert response.status_code == 201
    report = response.json()
    assert (report["rows_read"], report["values_created"], report["dry_run"]) == (1, 1, False)
    batch = ImportBatch.objects.get(pk=report["batch_id"])
    assert (batch.imported_by, batch.file_name) == (data_steward, "values.csv")
    assert _unemployment() == [12.1]


def test_the_same_file_again_changes_nothing(client, data_steward, bearer) -> None:
    _upload(client, ONE_VALUE, bearer(data_steward))
    again = _upload(client, ONE_VALUE, bearer(data_steward))
    assert again.status_code == 200
    assert again.json() | {"batch_id": None} == again.json()
    assert (again.json()["already_imported"], again.json()["values_unchanged"]) == (True, 1)


def test_a_changed_value_is_updated(client, data_steward, bearer) -> None:
    _upload(client, ONE_VALUE, bearer(data_steward))
    response = _upload(client, "3520005,unemployment-rate,2021,11.9,\n", bearer(data_steward))
    assert (response.status_code, response.json()["values_updated"]) == (201, 1)
    assert _unemployment() == [11.9]


def test_dry_run_reports_and_writes_nothing(client, data_steward, bearer) -> None:
    response = _upload(client, ONE_VALUE, bearer(data_steward), dry_run="true")
    assert response.status_code == 200
    assert (response.json()["dry_run"], response.json()["values_created"]) == (True, 1)
    assert _unemployment() == []


def test_rejected_file_lists_every_bad_row_and_writes_nothing(client, data_steward, bearer) -> None:
    response = _upload(
        client,
        "3520005,unemployment-rate,2021,abc,\n9,unemployment-rate,2021,1,\n" + ONE_VALUE,
        bearer(data_steward),
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": "Nothing was imported: the file has 2 errors.",
        "errors": [
            {"line": 2, "column": "value", "value": "abc", "reason": str(reasons.NOT_A_NUMBER)},
            {
                "line": 3,
                "column": "community_code",
                "value": "9",
                "reason": str(reasons.UNKNOWN_COMMUNITY),
            },
        ],
        "more_errors": 0,
    }
    assert _unemployment() == []


def test_row_errors_speak_the_language_the_client_asks_for(client, data_steward, bearer) -> None:
    headers = bearer(data_steward) | {"HTTP_ACCEPT_LANGUAGE": "fr"}
    response = _upload(client, "9,unemployment-rate,2021,1,\n", headers)
    assert response.json()["errors"][0]["reason"] == "aucune collectivité n'a ce code"


def test_an_empty_file_is_rejected(client, data_steward, bearer) -> None:
    response = _upload(client, "", bearer(data_steward))
    assert response.status_code == 422
    assert response.json()["errors"][0]["reason"] == str(reasons.EMPTY_FILE)


def test_a_statistics_canada_file_imports(client, data_steward, bearer) -> None:
    source = Path(settings.WELCOMING_PACKAGE_DATA, "statcan/35-10-0026-01_crime_severity_index.csv")
    header, *rows = source.read_text(encoding="utf-8").splitlines()
    toronto_2024 = next(r for r in rows if r.startswith("2024,") and "[35535]" in r)
    file = SimpleUploadedFile("csi.csv", f"{header}\n{toronto_2024}\n".encode())
    response = client.post(
        "/api/v1/imports", {"file": file, "format": "statcan"}, **bearer(data_steward)
    )
    assert (response.status_code, response.json()["values_created"]) == (201, 2)
    value = IndicatorValue.objects.get(
        community__code="535", indicator__code="crime-severity-index", period="2024"
    )
    assert value.value == 59.35


@pytest.mark.parametrize(
    ("fields", "missing"),
    [
        ({"format": "tidy"}, "file"),
        ({"format": "xlsx", "file": True}, "format"),
        ({"file": True}, "format"),
        ({"format": "tidy", "file": True, "dry_run": "perhaps"}, "dry_run"),
    ],
)
def test_malformed_requests_are_a_422_that_names_the_field(
    client, data_steward, bearer, fields, missing
) -> None:
    if fields.get("file"):
        fields["file"] = SimpleUploadedFile("v.csv", (HEADER + ONE_VALUE).encode())
    response = client.post("/api/v1/imports", fields, **bearer(data_steward))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == missing


def test_an_analyst_is_refused_with_a_reason(client, analyst, bearer) -> None:
    response = _upload(client, ONE_VALUE, bearer(analyst))
    assert response.status_code == 403
    assert response.json() == {"detail": "You may not import indicator values."}
    assert _unemployment() == []


def test_no_credentials_is_a_401(client) -> None:
    response = _upload(client, ONE_VALUE, {})
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_import_list_shows_batches_to_data_stewards(client, data_steward, bearer) -> None:
    _upload(client, ONE_VALUE, bearer(data_steward))
    body = client.get("/api/v1/imports", **bearer(data_steward)).json()
    assert body["count"] == 2  # the real slice and this upload, newest first
    assert (body["items"][0]["imported_by"], body["items"][0]["values_created"]) == (
        data_steward.username,
        1,
    )
    assert body["items"][1]["imported_by"] == "operator"  # the real slice, loaded as at the CLI


@pytest.mark.parametrize("role", ["analyst", "anonymous"])
def test_import_list_is_refused_to_others(client, analyst, bearer, role) -> None:
    headers = bearer(analyst) if role == "analyst" else {}
    response = client.get("/api/v1/imports", **headers)
    assert response.status_code == (403 if role == "analyst" else 401)


def test_an_upload_over_the_limit_is_refused_by_its_size_before_it_is_read(
    client, data_steward, bearer, settings
) -> None:
    settings.WELCOMING_UPLOAD_MAX_BYTES = 100_000
    batches = ImportBatch.objects.count()
    response = _upload(client, ONE_VALUE * 20_000, bearer(data_steward))
    assert response.status_code == 413
    assert "larger than" in response.json()["detail"]
    assert ImportBatch.objects.count() == batches


def test_an_upload_that_grows_past_the_limit_stops(client, data_steward, bearer, settings) -> None:
    settings.WELCOMING_UPLOAD_MAX_BYTES = 100_000  # the body is within the envelope allowed
    response = _upload(client, ONE_VALUE * 3_500, bearer(data_steward))  # ~126 KB of file
    assert response.status_code == 413


def test_a_file_of_many_bad_rows_answers_a_thousand_errors_and_a_count(
    client, data_steward, bearer
) -> None:
    response = _upload(client, "9,unemployment-rate,2021,1,\n" * 5_000, bearer(data_steward))
    assert response.status_code == 422
    body = response.json()
    assert (len(body["errors"]), body["more_errors"]) == (1_000, 4_000)
    assert body["detail"] == "Nothing was imported: the file has 5000 errors."


def test_a_damaged_file_answers_422_not_500(client, data_steward, bearer) -> None:
    response = _upload(client, "3520005,x,2021," + "9" * 200_000 + ",\n", bearer(data_steward))
    assert response.status_code == 422
    assert response.json()["errors"][0]["reason"] == str(reasons.FIELD_TOO_LONG)


def test_values_written_by_another_import_meanwhile_answer_409(
    client, data_steward, bearer, monkeypatch
) -> None:
    _upload(client, ONE_VALUE, bearer(data_steward))
    monkeypatch.setattr("welcoming.indicators.services._existing", lambda rows: {})
    response = _upload(client, ONE_VALUE, bearer(data_steward))
    assert response.status_code == 409
    assert "Another import" in response.json()["detail"]
    assert _unemployment() == [12.1]
