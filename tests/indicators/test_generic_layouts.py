"""Statistics Canada's generic downloads (full table, census profile), in their real layouts.

The files here are small hand-made extracts in exactly the published column layouts; the figures
are the published ones (35-10-0026-01 for Toronto and Canada; 2021 Census Profile for Toronto).
"""

import io

import pytest

from tests.factories import CommunityFactory
from welcoming.accounts.services import operator_user
from welcoming.indicators.importing import records as reasons
from welcoming.indicators.models import IndicatorValue
from welcoming.indicators.services import ImportRejected, value_import

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("definitions")]

FULL_TABLE = """\ufeff"REF_DATE","GEO","DGUID","Statistics","UOM","UOM_ID","SCALAR_FACTOR","SCALAR_ID","VECTOR","COORDINATE","VALUE","STATUS","SYMBOL","TERMINATED","DECIMALS"
"2023","Canada","2021A000011124","Crime severity index","Index","285","units","0","v41707595","1.1","81.20","","","","2"
"2023","Canada","2021A000011124","Violent crime severity index","Index","285","units","0","v41707597","1.2","99.46","","","","2"
"2023","Canada","2021A000011124","Percentage change in crime severity index","Percent","239","units","0","v41707596","1.3","3.1","","","","2"
"2023","Toronto, Ontario [35535]","2021A003535535","Crime severity index","Index","285","units","0","v41707871","18.1","59.02","","","","2"
"2022","Toronto, Ontario [35535]","2021A003535535","Crime severity index","Index","285","units","0","v41707871","18.1","","x","","","2"
"""

PROFILE_HEADER = (
    "CENSUS_YEAR,DGUID,ALT_GEO_CODE,GEO_LEVEL,GEO_NAME,TNR_SF,TNR_LF,DATA_QUALITY_FLAG,"
    "CHARACTERISTIC_ID,CHARACTERISTIC_NAME,CHARACTERISTIC_NOTE,C1_COUNT_TOTAL,SYMBOL,"
    "C2_COUNT_MEN+,SYMBOL,C3_COUNT_WOMEN+,SYMBOL,C10_RATE_TOTAL,SYMBOL\n"
)
PROFILE = PROFILE_HEADER + (
    "2021,2021A00053520005,3520005,Census subdivision,Toronto (C),3.1,3.0,0,1527,"
    '"Total - Immigrant status and period of immigration for the population in private '
    'households - 25% sample data",,2761290,,1339690,,1421600,,100.0,\n'
    "2021,2021A00053520005,3520005,Census subdivision,Toronto (C),3.1,3.0,0,1529,Immigrants,,"
    "1286145,,609215,,676930,,46.6,\n"
    "2021,2021A00053520005,3520005,Census subdivision,Toronto (C),3.1,3.0,0,1536,2016 to 2021,,"
    "193170,,91920,,101250,,7.0,\n"
)


@pytest.fixture(autouse=True)
def places() -> None:
    CommunityFactory(code="01", dguid="2021A000011124", name_en="Canada", level="country")
    CommunityFactory(code="535", dguid="2021S0503535", name_en="Toronto", level="cma")
    CommunityFactory(code="3520005", dguid="2021A00053520005", name_en="Toronto")


def _import(text: str):
    return value_import(
        actor=operator_user(), source=io.BytesIO(text.encode()), file_name="x.csv", format="statcan"
    )


def test_full_table_members_feed_the_mapped_indicators() -> None:
    report = _import(FULL_TABLE)
    assert report.values_created == 4
    toronto = IndicatorValue.objects.filter(community__code="535").order_by("period")
    assert [(v.period, v.value, v.status) for v in toronto] == [
        ("2022", None, "suppressed"),
        ("2023", 59.02, ""),
    ]
    canada = IndicatorValue.objects.get(
        community__code="01", indicator__code="crime-severity-index"
    )
    assert canada.value == 81.20


def test_census_profile_shares_are_computed_from_counts() -> None:
    _import(PROFILE)
    share = IndicatorValue.objects.get(indicator__code="immigrant-share").value
    assert share == pytest.approx(1_286_145 / 2_761_290 * 100)
    assert round(share, 1) == 46.6
    recent = IndicatorValue.objects.get(indicator__code="recent-immigrant-share").value
    assert recent == pytest.approx(193_170 / 2_761_290 * 100)


def test_bad_values_in_a_full_table_are_reported_by_line() -> None:
    bad = FULL_TABLE.replace('"59.02"', '"fifty"')
    with pytest.raises(ImportRejected) as rejected:
        _import(bad)
    assert [(e.line, e.column, e.reason) for e in rejected.value.errors] == [
        (5, "VALUE", reasons.NOT_A_NUMBER)
    ]


def test_a_census_profile_in_windows_1252_is_read_from_its_path(tmp_path) -> None:
    """Statistics Canada's census profile downloads are Windows-1252 and gigabytes long: they are
    read from the file as a stream, with the accents of their place names."""
    CommunityFactory(code="2466023", dguid="2021A00052466023", name_en="Montréal")
    montreal = PROFILE.replace("2021A00053520005,3520005", "2021A00052466023,2466023").replace(
        "Toronto (C)", "Montréal (V)"
    )
    path = tmp_path / "98-401-X2021006_English_CSV_data.csv"
    path.write_bytes(montreal.encode("cp1252"))
    assert b"Montr\xe9al" in path.read_bytes()
    report = value_import(actor=operator_user(), source=path, file_name=path.name, format="statcan")
    assert report.values_created == 2
    share = IndicatorValue.objects.get(indicator__code="immigrant-share").value
    assert share == pytest.approx(1_286_145 / 2_761_290 * 100)


def test_the_callers_file_stays_open_whatever_the_outcome() -> None:
    good, bad = io.BytesIO(PROFILE.encode()), io.BytesIO(FULL_TABLE.replace("59.02", "x").encode())
    value_import(actor=operator_user(), source=good, file_name="good.csv", format="statcan")
    with pytest.raises(ImportRejected):
        value_import(actor=operator_user(), source=bad, file_name="bad.csv", format="statcan")
    assert not good.closed and not bad.closed
