"""Hostile and damaged files: refused with the row at fault, in bounded memory, never a 500.

Each test protects against a fault a probe of the platform found (issue 16).
"""

import io
import threading
import time
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from openpyxl import Workbook

from tests.factories import CommunityFactory
from welcoming.accounts.services import operator_user
from welcoming.indicators.importing import records as reasons
from welcoming.indicators.importing.records import MAX_ERRORS
from welcoming.indicators.models import IndicatorValue
from welcoming.indicators.services import ImportConflict, ImportRejected, value_import

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("definitions")]
HEADER = "community_code,indicator_code,period,value,status\n"


@pytest.fixture
def places() -> None:
    CommunityFactory(code="3520005", dguid="2021A00053520005", name_en="Toronto")


def _refused(raw: bytes, format: str = "tidy", name: str = "values.csv") -> ImportRejected:
    with pytest.raises(ImportRejected) as rejected:
        value_import(actor=operator_user(), source=io.BytesIO(raw), file_name=name, format=format)
    return rejected.value


def _reasons(rejected: ImportRejected) -> list[tuple[int, str, str]]:
    return [(e.line, e.column, e.reason) for e in rejected.errors]


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_errors_stop_being_kept_after_a_thousand_and_the_rest_are_counted() -> None:
    rejected = _refused((HEADER + "9,unemployment-rate,2021,1,\n" * 3_000).encode())
    assert len(rejected.errors) == MAX_ERRORS
    assert (rejected.more, rejected.count) == (2_000, 3_000)


def test_a_header_of_more_than_a_thousand_columns_is_refused() -> None:
    header = HEADER.strip() + "," + ",".join(f"extra{n}" for n in range(1_000)) + "\n"
    rejected = _refused(header.encode())
    assert _reasons(rejected) == [(1, "", str(reasons.TOO_MANY_COLUMNS))]


def test_a_row_of_more_than_a_thousand_columns_is_refused_at_its_line() -> None:
    rejected = _refused((HEADER + "3520005,population,2021,1,\n" + "," * 5_000 + "\n").encode())
    assert (3, "", str(reasons.TOO_MANY_COLUMNS)) in _reasons(rejected)


def test_a_line_of_a_million_commas_is_refused_before_it_becomes_a_row() -> None:
    rejected = _refused((HEADER + "," * 1_500_000 + "\n").encode())
    assert _reasons(rejected) == [(2, "", str(reasons.LINE_TOO_LONG))]


def test_a_field_over_128_kb_is_a_named_error_not_a_csv_error() -> None:
    rejected = _refused((HEADER + "3520005,population,2021," + "9" * 200_000 + ",\n").encode())
    assert _reasons(rejected) == [(2, "", str(reasons.FIELD_TOO_LONG))]


def test_an_unclosed_quote_swallowing_the_file_is_a_named_error() -> None:
    rows = "3520005,population,2021,1,\n" * 10_000
    rejected = _refused((HEADER + '3520005,population,2021,"1,\n' + rows).encode())
    assert _reasons(rejected) == [(2, "", str(reasons.FIELD_TOO_LONG))]


@pytest.mark.usefixtures("places")
def test_an_unclosed_quote_at_the_end_is_reported_as_a_bad_value() -> None:
    rejected = _refused((HEADER + '3520005,population,2021,"12,\n').encode())
    assert [(e.line, e.reason) for e in rejected.errors] == [(2, str(reasons.NOT_A_NUMBER))]


def test_an_upload_over_the_limit_is_refused_without_reading_it_through(settings) -> None:
    settings.WELCOMING_UPLOAD_MAX_BYTES = 1_000_000

    class Counting(io.BytesIO):
        read_bytes = 0

        def read(self, size: int | None = -1, /) -> bytes:
            data = super().read(size)
            self.read_bytes += len(data)
            return data

    stream = Counting((HEADER + "3520005,population,2021,1,\n" * 400_000).encode())
    with pytest.raises(ImportRejected) as rejected:
        value_import(actor=operator_user(), source=stream, file_name="big.csv", format="tidy")
    assert _reasons(rejected.value) == [(1, "", str(reasons.TOO_LARGE))]
    assert stream.read_bytes <= 2 * 1_048_576 < len(stream.getvalue())


def test_an_operator_file_given_by_path_has_no_upload_limit(settings, tmp_path: Path) -> None:
    settings.WELCOMING_UPLOAD_MAX_BYTES = 10
    path = tmp_path / "values.csv"
    path.write_text(HEADER + "9,population,2021,1,\n")
    with pytest.raises(ImportRejected) as rejected:
        value_import(actor=operator_user(), source=path, file_name=path.name, format="tidy")
    assert _reasons(rejected.value)[0][2] == str(reasons.UNKNOWN_COMMUNITY)


def test_a_binary_file_is_refused_as_unreadable_whatever_its_name() -> None:
    rejected = _refused(b"%PDF-1.7\x00\x01\x02" * 100, name="values.csv")
    assert _reasons(rejected) == [(1, "", str(reasons.UNREADABLE))]


@pytest.mark.usefixtures("places")
def test_a_workbook_is_read_as_one_whatever_its_name() -> None:
    raw = _xlsx([HEADER.strip().split(","), ["3520005", "population", "2021", 42, None]])
    report = value_import(
        actor=operator_user(), source=io.BytesIO(raw), file_name="values.csv", format="tidy"
    )
    assert report.values_created == 1


def test_a_zip_that_is_not_a_workbook_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert _reasons(_refused(out.getvalue())) == [(1, "", str(reasons.UNREADABLE))]


def test_a_workbook_whose_shared_strings_unpack_too_large_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/sharedStrings.xml", b" " * (40 << 20))
    assert len(out.getvalue()) < 200_000
    assert _reasons(_refused(out.getvalue())) == [(1, "", str(reasons.SHEET_TOO_LARGE))]


def test_a_workbook_of_many_bad_rows_keeps_a_thousand_errors() -> None:
    raw = _xlsx([HEADER.strip().split(",")] + [["9", "x", "y", "z", "w"]] * 3_000)
    rejected = _refused(raw)
    assert len(rejected.errors) == MAX_ERRORS and rejected.count == 3_000 * 5


def test_a_workbook_row_wider_than_a_thousand_columns_is_refused() -> None:
    raw = _xlsx([HEADER.strip().split(","), ["3520005"] + [""] * 1_200 + ["x"]])
    assert (2, "", str(reasons.TOO_MANY_COLUMNS)) in _reasons(_refused(raw))


@pytest.mark.parametrize(
    ("header", "missing"),
    [
        ("ref_year,dguid,crime_severity_index,violent_crime_severity_index", ["geo"]),
        (
            "REF_DATE,GEO,DGUID,Sex,UOM,VALUE,STATUS",
            ["SCALAR_FACTOR"],
        ),
        ("CENSUS_YEAR,DGUID,Population and dwelling counts,Population, 2021 [1]", None),
        ("sgc_code,period_of_immigration", ["total"]),
    ],
)
def test_a_known_statistics_canada_header_missing_columns_names_them(
    header: str, missing: list[str] | None
) -> None:
    rejected = _refused((header + "\n" + "1," * header.count(",") + "1\n").encode(), "statcan")
    assert {e.reason for e in rejected.errors} == {str(reasons.MISSING_COLUMN)}
    if missing is not None:
        assert [e.column for e in rejected.errors] == missing


def test_a_non_numeric_count_is_reported_not_raised() -> None:
    body = "sgc_code,period_of_immigration,total\n535,Total immigrant population,many\n"
    rejected = _refused(body.encode(), "statcan")
    assert ("total", "many", str(reasons.NOT_A_NUMBER)) in [
        (e.column, e.value, e.reason) for e in rejected.errors
    ]


def test_the_cli_reports_a_damaged_file_without_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "values.csv"
    path.write_text(HEADER + "3520005,population,2021," + "9" * 200_000 + ",\n")
    stderr = io.StringIO()
    with pytest.raises(CommandError, match="was not imported"):
        call_command("import_indicators", str(path), stderr=stderr)
    assert "131,072" in stderr.getvalue()


def test_the_cli_tells_a_workbook_by_content_not_by_name(tmp_path: Path) -> None:
    path = tmp_path / "values.csv"
    path.write_bytes(_xlsx([HEADER.strip().split(","), ["9", "population", "2021", 1, None]]))
    stderr = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_indicators", str(path), stderr=stderr)
    assert "no community has this code" in stderr.getvalue()


@pytest.mark.usefixtures("places")
def test_a_value_written_by_another_import_meanwhile_is_a_conflict(monkeypatch) -> None:
    body = HEADER + "3520005,population,2021,1,\n"
    value_import(
        actor=operator_user(), source=io.BytesIO(body.encode()), file_name="a.csv", format="tidy"
    )
    # The other import committed after this one read the stored values.
    monkeypatch.setattr("welcoming.indicators.services._existing", lambda rows: {})
    with pytest.raises(ImportConflict):
        value_import(
            actor=operator_user(),
            source=io.BytesIO(body.encode()),
            file_name="b.csv",
            format="tidy",
        )
    assert list(IndicatorValue.objects.values_list("value", "batch__file_name")) == [(1.0, "a.csv")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers: PostgreSQL")
def test_two_imports_of_the_same_new_keys_at_once_one_conflicts(definitions) -> None:
    CommunityFactory(code="3520005", dguid="2021A00053520005", name_en="Toronto")
    inserted, go = threading.Event(), threading.Event()
    outcomes: dict[str, object] = {}

    def first_waits_before_commit(done: int, total: int) -> None:
        if done == total:
            inserted.set()
            go.wait(30)

    def run(name: str, value: str, progress=None) -> None:
        body = HEADER + f"3520005,population,2021,{value},\n3520005,population,2016,1,\n"
        try:
            outcomes[name] = value_import(
                actor=operator_user(),
                source=io.BytesIO(body.encode()),
                file_name=name,
                format="tidy",
                progress=progress,
            )
        except Exception as error:  # the outcome is what the test asserts on
            outcomes[name] = error
        finally:
            connection.close()

    first = threading.Thread(target=run, args=("first", "1", first_waits_before_commit))
    first.start()
    assert inserted.wait(30)
    second = threading.Thread(target=run, args=("second", "2"))
    second.start()
    with connection.cursor() as cursor:  # the second import waits on the first one's rows
        for _attempt in range(300):
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
            if cursor.fetchone()[0]:
                break
            time.sleep(0.05)
    go.set()
    first.join(30)
    second.join(30)
    assert isinstance(outcomes["second"], ImportConflict)
    assert sorted(IndicatorValue.objects.values_list("period", "value")) == [
        ("2016", 1.0),
        ("2021", 1.0),
    ]


@pytest.mark.usefixtures("places")
def test_the_cli_says_clearly_when_another_import_wrote_the_same_values(
    tmp_path: Path, monkeypatch
) -> None:
    path = tmp_path / "values.csv"
    path.write_text(HEADER + "3520005,population,2021,1,\n")
    call_command("import_indicators", str(path), stdout=io.StringIO())
    monkeypatch.setattr("welcoming.indicators.services._existing", lambda rows: {})
    with pytest.raises(CommandError, match="Another import wrote some of the same values"):
        call_command("import_indicators", str(path), stdout=io.StringIO())
