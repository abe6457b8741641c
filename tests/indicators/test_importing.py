"""Importing indicator values: real files, the tidy layout, and every kind of bad input."""

import io
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from tests.factories import CommunityFactory
from welcoming.accounts.services import operator_user
from welcoming.indicators.importing import records as reasons
from welcoming.indicators.models import ImportBatch, IndicatorValue
from welcoming.indicators.services import ImportRejected, value_import

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("definitions")]
DATA = Path(settings.WELCOMING_PACKAGE_DATA)
HEADER = "community_code,indicator_code,period,value,status\n"


@pytest.fixture
def places() -> None:
    CommunityFactory(code="3520005", dguid="2021A00053520005", name_en="Toronto")
    CommunityFactory(code="2466023", dguid="2021A00052466023", name_en="Montréal")


def _tidy(body: str, **options: Any):
    options.setdefault("actor", operator_user())
    return value_import(
        source=io.BytesIO((HEADER + body).encode()),
        file_name="values.csv",
        format="tidy",
        **options,
    )


def _value(code: str, indicator: str, period: str) -> float | None:
    return IndicatorValue.objects.get(
        community__code=code, indicator__code=indicator, period=period
    ).value


def _errors(body: str) -> list[tuple[int, str, str, str]]:
    with pytest.raises(ImportRejected) as rejected:
        _tidy(body)
    return [(e.line, e.column, e.value, e.reason) for e in rejected.value.errors]


@pytest.mark.usefixtures("places")
def test_tidy_file_creates_values_with_provenance(data_steward) -> None:
    report = _tidy(
        "3520005,unemployment-rate,2021,12.1,\n2021A00052466023,unemployment-rate,2021,"
        "11.0,estimate\n",
        actor=data_steward,
    )
    assert (report.values_created, report.values_updated, report.rows_read) == (2, 0, 2)
    value = IndicatorValue.objects.get(community__code="2466023")
    assert (value.value, value.status) == (11.0, "estimate")
    assert value.batch.imported_by == data_steward
    assert len(value.batch.sha256) == 64


@pytest.mark.usefixtures("places")
def test_every_bad_row_is_reported_with_line_column_and_reason() -> None:
    body = (
        "9999999,unemployment-rate,2021,5,\n"
        "3520005,no-such-indicator,2021,5,\n"
        "3520005,unemployment-rate,2021,twelve,\n"
        "3520005,tenant-shelter-cost-30,2021,130,\n"
        "3520005,population,2021,-4,\n"
        "3520005,unemployment-rate,21,5,\n"
        "3520005,income-gini,2021,0.3,guessed\n"
        "3520005,low-income-lim-at,2021,,\n"
        "3520005,unemployment-rate,2021,5,\n"
        "3520005,unemployment-rate,2021,6,\n"
    )
    assert _errors(body) == [
        (2, "community_code", "9999999", reasons.UNKNOWN_COMMUNITY),
        (3, "indicator_code", "no-such-indicator", reasons.UNKNOWN_INDICATOR),
        (4, "value", "twelve", reasons.NOT_A_NUMBER),
        (5, "value", "130", reasons.ABOVE_MAXIMUM),
        (6, "value", "-4", reasons.BELOW_MINIMUM),
        (7, "period", "21", reasons.BAD_PERIOD),
        (8, "status", "guessed", reasons.UNKNOWN_STATUS),
        (9, "value", "", reasons.VALUE_REQUIRED),
        (11, "community_code", "3520005", f"{reasons.DUPLICATE_KEY} (10)"),
    ]
    assert not IndicatorValue.objects.exists()
    assert not ImportBatch.objects.exists()


@pytest.mark.usefixtures("places")
def test_not_a_number_includes_infinity_and_nan() -> None:
    errors = _errors("3520005,unemployment-rate,2021,inf,\n2466023,unemployment-rate,2021,nan,\n")
    assert [e[3] for e in errors] == [reasons.NOT_A_NUMBER, reasons.NOT_A_NUMBER]


@pytest.mark.usefixtures("places")
def test_one_bad_row_means_nothing_is_written_and_old_values_stay() -> None:
    _tidy("3520005,unemployment-rate,2021,12.1,\n")
    with pytest.raises(ImportRejected):
        _tidy("3520005,unemployment-rate,2021,9.0,\n2466023,unemployment-rate,2021,x,\n")
    assert _value("3520005", "unemployment-rate", "2021") == 12.1
    assert ImportBatch.objects.count() == 1


@pytest.mark.usefixtures("places")
def test_missing_columns_are_named() -> None:
    with pytest.raises(ImportRejected) as rejected:
        value_import(
            actor=operator_user(),
            source=io.BytesIO(b"community_code,period\n3520005,2021\n"),
            file_name="x.csv",
            format="tidy",
        )
    assert [(e.column, e.reason) for e in rejected.value.errors] == [
        ("indicator_code", reasons.MISSING_COLUMN),
        ("value", reasons.MISSING_COLUMN),
    ]


def test_empty_and_unreadable_files_are_rejected() -> None:
    for raw, reason in [
        (b"", reasons.EMPTY_FILE),
        (b"\xff\xfe\x00bad", reasons.UNREADABLE),
        (HEADER.encode(), reasons.EMPTY_FILE),
    ]:
        with pytest.raises(ImportRejected) as rejected:
            value_import(
                actor=operator_user(), source=io.BytesIO(raw), file_name="x.csv", format="tidy"
            )
        assert rejected.value.errors[0].reason == reason


@pytest.mark.usefixtures("places")
def test_importing_the_same_file_twice_changes_nothing() -> None:
    body = "3520005,unemployment-rate,2021,12.1,\n"
    _tidy(body)
    second = _tidy(body)
    assert (second.values_created, second.values_updated, second.values_unchanged) == (0, 0, 1)
    assert second.already_imported and second.batch_id is None
    assert ImportBatch.objects.count() == 1


@pytest.mark.usefixtures("places")
def test_a_changed_value_is_updated_and_its_history_kept() -> None:
    _tidy("3520005,unemployment-rate,2021,12.1,\n")
    report = _tidy("3520005,unemployment-rate,2021,11.9,provisional\n")
    assert (report.values_created, report.values_updated) == (0, 1)
    value = IndicatorValue.objects.get()
    assert (value.value, value.status) == (11.9, "provisional")
    assert value.history.first().value == 11.9


@pytest.mark.usefixtures("places")
def test_dry_run_reports_without_writing() -> None:
    report = _tidy("3520005,unemployment-rate,2021,12.1,\n", dry_run=True)
    assert report.dry_run and report.values_created == 1
    assert not IndicatorValue.objects.exists()


@pytest.mark.usefixtures("places")
def test_suppressed_values_may_be_empty() -> None:
    _tidy("3520005,unemployment-rate,2021,,suppressed\n")
    assert _value("3520005", "unemployment-rate", "2021") is None


@pytest.mark.usefixtures("places")
def test_xlsx_files_are_read_like_csv() -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["community_code", "indicator_code", "period", "value", "status"])
    sheet.append([3520005, "unemployment-rate", 2021, 12.1, None])
    sheet.append(["2466023", "unemployment-rate", "2021", "oops", None])
    stream = io.BytesIO()
    book.save(stream)
    with pytest.raises(ImportRejected) as rejected:
        value_import(
            actor=operator_user(),
            source=io.BytesIO(stream.getvalue()),
            file_name="v.xlsx",
            format="tidy",
        )
    assert [(e.line, e.value) for e in rejected.value.errors] == [(3, "oops")]


@pytest.mark.usefixtures("places")
def test_an_analyst_may_not_import(analyst) -> None:
    with pytest.raises(PermissionDenied):
        _tidy("3520005,unemployment-rate,2021,12.1,\n", actor=analyst)
    assert not IndicatorValue.objects.exists()


def test_unknown_statcan_layout_is_rejected() -> None:
    with pytest.raises(ImportRejected) as rejected:
        value_import(
            actor=operator_user(),
            source=io.BytesIO(b"a,b,c\n1,2,3\n"),
            file_name="x.csv",
            format="statcan",
        )
    assert rejected.value.errors[0].reason == reasons.UNKNOWN_LAYOUT


@pytest.mark.usefixtures("geography")
class TestRealStatisticsCanadaFiles:
    """The shipped files import and give the published figures."""

    def _import(self, relative: str) -> None:
        value_import(
            actor=operator_user(),
            source=DATA / relative,
            file_name=Path(relative).name,
            format="statcan",
        )

    def test_population_table(self) -> None:
        self._import("statcan/98-10-0002-01_population_dwellings_2021.csv")
        assert _value("3520005", "population", "2021") == 2_794_356
        assert _value("01", "population", "2021") == 36_991_981

    def test_community_well_being(self) -> None:
        self._import("isc/community_well_being_2021.csv")
        toronto = [
            _value("3520005", f"cwb-{c}", "2021")
            for c in ("income", "education", "housing", "labour-force", "overall")
        ]
        assert toronto == [86, 74, 91, 83, 83]

    def test_crime_severity_index(self) -> None:
        self._import("statcan/35-10-0026-01_crime_severity_index.csv")
        assert [_value("01", "crime-severity-index", y) for y in ("2021", "2022", "2023")] == [
            74.87,
            78.77,
            81.20,
        ]
        assert _value("535", "crime-severity-index", "2023") == 59.02
        assert _value("933", "crime-severity-index", "2023") == 88.61

    def test_census_profile_of_cmas(self) -> None:
        self._import("statcan/census_2021_income_labour_housing_cma.csv")
        incomes = [
            _value(c, "median-after-tax-household-income", "2021")
            for c in ("535", "505", "537", "555")
        ]
        assert incomes == [85_000, 84_000, 80_000, 71_000]

    def test_visible_minority_share_uses_private_households(self) -> None:
        self._import("statcan/census_2021_visible_minority_csd.csv")
        assert _value("3520005", "visible-minority-share", "2021") == pytest.approx(
            1_537_285 / 2_761_285 * 100
        )

    def test_immigrants_2016(self) -> None:
        self._import("statcan/census_2016_immigrants_by_residence.csv")
        assert _value("01", "immigrants", "2016") == 7_540_830
        assert _value("01", "recent-immigrants", "2016") == 1_212_075
        assert _value("535", "immigrants", "2016") == 2_705_545
        assert _value("01", "recent-immigrant-share-of-immigrants", "2016") == pytest.approx(
            1_212_075 / 7_540_830 * 100
        )


@pytest.mark.usefixtures("places")
def test_cli_reports_bad_rows_and_fails(tmp_path: Path) -> None:
    path = tmp_path / "values.csv"
    path.write_text(HEADER + "3520005,unemployment-rate,2021,abc,\n", encoding="utf-8")
    stderr = io.StringIO()
    with pytest.raises(CommandError, match="was not imported"):
        call_command("import_indicators", str(path), stderr=stderr)
    assert "abc" in stderr.getvalue() and "not a number" in stderr.getvalue()


@pytest.mark.usefixtures("places")
def test_cli_imports_and_dry_runs(tmp_path: Path) -> None:
    path = tmp_path / "values.csv"
    path.write_text(HEADER + "3520005,unemployment-rate,2021,12.1,\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_indicators", str(path), "--dry-run", stdout=out)
    assert "Dry run" in out.getvalue() and not IndicatorValue.objects.exists()
    call_command("import_indicators", str(path), stdout=io.StringIO())
    assert IndicatorValue.objects.count() == 1


@pytest.mark.usefixtures("places")
def test_a_csv_saved_by_excel_in_windows_1252_is_read() -> None:
    text = HEADER.replace("status", "status,note") + "2466023,population,2021,1762949,,Montréal\n"
    raw = text.encode("cp1252")
    report = value_import(
        actor=operator_user(), source=io.BytesIO(raw), file_name="excel.csv", format="tidy"
    )
    assert report.values_created == 1
    assert _value("2466023", "population", "2021") == 1_762_949
