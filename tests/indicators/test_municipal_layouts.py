"""The municipal layouts: the wide census extract, religion shares, and facility registers."""

import io

import pytest

from welcoming.accounts.services import operator_user
from welcoming.indicators.importing.municipal import religious_diversity
from welcoming.indicators.importing.records import ImportRejected
from welcoming.indicators.importing.statcan import Layout, read_statcan
from welcoming.indicators.importing.stream import fingerprint
from welcoming.indicators.models import ImportBatch, IndicatorValue
from welcoming.indicators.services import value_import

ODHF = (
    "index,facility_name,source_facility_type,odhf_facility_type,provider,unit,street_no,"
    "street_name,postal_code,city,province,source_format_str_address,CSDname,CSDuid,Pruid,"
    "latitude,longitude\n"
)


def _records(text: str, populations: dict[str, int]) -> tuple[dict[str, float], Layout]:
    stream = io.BytesIO(text.encode())
    _sha, encoding = fingerprint(stream)
    layout = Layout()
    records = read_statcan(stream, encoding, {}, populations=lambda: populations, layout=layout)
    return {r.community: float(r.value or 0) for r in records}, layout


def _facility(code: str, kind: str = "Hospitals") -> str:
    return f"1,A,x,{kind},p,,,,,,,,,{code}.0,{code[:2]},,\n"


def test_religious_diversity_is_one_minus_the_sum_of_squared_shares_among_believers() -> None:
    none = dict.fromkeys(("muslim", "jewish", "sikh", "hindu", "buddhist"), 0.0)
    assert religious_diversity({"christian": 60.0, **none}, no_religion=40.0) == 0.0
    two = {"christian": 30.0, "muslim": 30.0, **dict.fromkeys(("jewish", "sikh"), 0.0)}
    assert religious_diversity(two, no_religion=40.0) == pytest.approx(0.5)
    assert religious_diversity({"christian": 0.0}, no_religion=100.0) is None


def test_a_register_counts_per_10000_and_no_row_is_zero_only_where_the_province_is_covered() -> (
    None
):
    populations = {"3520005": 20_000, "3520006": 10_000, "1102075": 40_000, "1102076": 5_000}
    text = ODHF + _facility("3520005") + _facility("3520005", "Nursing and residential care")
    values, layout = _records(text, populations)
    assert (layout.name, layout.source) == ("odhf", "odhf")
    # Ontario holds the one hospital: 1 per 20,000 people = 0.5 per 10,000; its other town has 0.
    # Prince Edward Island has no hospital row at all: no value, not zero.
    assert values == {"3520005": 0.5, "3520006": 0.0}


def test_a_facility_without_a_2021_municipality_is_left_out() -> None:
    values, _layout = _records(
        ODHF + _facility("3520099") + _facility("3520005"), {"3520005": 10_000}
    )
    assert values == {"3520005": 1.0}


@pytest.mark.django_db
@pytest.mark.usefixtures("definitions", "geography")
def test_a_bad_religion_row_rejects_the_file_naming_its_line() -> None:
    header = "code,name,prov,no_religion_pct,christian_pct,muslim_pct,jewish_pct,sikh_pct,"
    header += "hindu_pct,buddhist_pct\n"
    body = "3520005,Toronto,ON,30.6,46.2,9.6,3.6,1.4,6.0,1.7\n4607062,Brandon,MB,30,x,0,0,0,0,0\n"
    with pytest.raises(ImportRejected) as rejected:
        value_import(
            actor=operator_user(),
            source=io.BytesIO((header + body).encode()),
            file_name="r.csv",
            format="statcan",
        )
    assert [(e.line, e.value) for e in rejected.value.errors] == [(3, "?")]
    assert not IndicatorValue.objects.filter(indicator__code="religious-diversity").exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("definitions", "geography")
def test_the_census_extract_brings_municipal_values_credited_to_the_municipal_profile() -> None:
    header = "csduid,csd_name,prov,unemployment,tenant_burden,owner_burden,commute_transit_pct\n"
    body = '4607062,"Brandon, City (CY)",MB,7.5,29.1,8.1,3.5\n1307045,"Dieppe, City (C)",NB,,,,\n'
    report = value_import(
        actor=operator_user(),
        source=io.BytesIO((header + body).encode()),
        file_name="extract.csv",
        format="statcan",
    )
    assert report.values_created == 4  # blank cells are suppressed figures: no value
    batch = ImportBatch.objects.get(pk=report.batch_id)
    assert "98-401-X2021005" in batch.provenance and batch.licence
    brandon = IndicatorValue.objects.get(
        community__code="4607062", indicator__code="commuters-public-transit"
    )
    assert brandon.value == 3.5
