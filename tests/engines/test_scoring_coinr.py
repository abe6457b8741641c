"""The engine reproduces COINr on COINr's own example (ASEM), at every level, to 1e-9.

The reference is `coinr_reference.py`, a naive transcription of COINr's R code; a few numbers are
also computed by hand below.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np
import pytest

from welcoming.engines.scoring import (
    Dataset,
    Framework,
    parse_normalise_spec,
    rank_desc,
    read_coinr,
    read_weights,
    score_table,
    to_csv_rows,
    write_score_csv,
)
from welcoming.engines.scoring.model import AggregateMethod, NormaliseMethod

from . import coinr_reference as ref

DATA = Path(__file__).parent / "data" / "coinr_asem"
IDATA = DATA / "asem_idata.csv"
IMETA = DATA / "asem_imeta.csv"


@pytest.fixture(scope="module")
def asem() -> tuple[Dataset, Framework]:
    return read_coinr(IDATA, IMETA)


def test_read_coinr_layout(asem: tuple[Dataset, Framework]) -> None:
    data, fw = asem
    assert data.values.shape == (51, 49)
    assert int(np.isnan(data.values).sum()) == 63
    assert fw.levels == (1, 2, 3, 4)
    assert fw.top == "Index"
    assert sum(i.direction == -1 for i in fw.indicators) == 14
    assert len(fw.nodes) == 11
    assert "GDP_group" not in fw.indicator_codes and "Population" not in fw.indicator_codes


def test_read_coinr_from_text() -> None:
    idata = "uCode,uName,a,b\nX,Ex,1,2\nY,Why,3,\n"
    imeta = (
        "iCode,Level,Parent,Direction,Weight,Type\n"
        "a,1,top,1,1,Indicator\nb,1,top,-1,2,Indicator\ntop,2,,1,1,Aggregate\n"
        "uName,,,,,Other\n"
    )
    data, fw = read_coinr(imeta=io.StringIO(imeta), idata=idata)
    assert data.units == ("X", "Y")
    assert fw.indicators[1].direction == -1 and fw.indicators[1].weight == 2.0
    assert np.isnan(data.values[1, 1])


CONFIGS: list[tuple[NormaliseMethod, tuple[float, float], AggregateMethod]] = [
    ("minmax", (0.0, 100.0), "arith"),  # (a)
    ("minmax", (1.0, 100.0), "geom"),  # (b)
    ("zscore", (0.0, 1.0), "arith"),  # (c)
    ("pctrank", (0.0, 1.0), "arith"),
]


@pytest.mark.parametrize(("method", "para", "mean"), CONFIGS)
def test_matches_reference_every_level(
    asem: tuple[Dataset, Framework],
    method: NormaliseMethod,
    para: tuple[float, float],
    mean: AggregateMethod,
) -> None:
    data, fw = asem
    table = score_table(data, fw, normalise=method, bounds=para, aggregate=mean)
    expected = ref.coinr_pipeline(IDATA, IMETA, method, para, mean)
    assert set(table.columns) == set(expected)
    assert len(table.columns) == 49 + 8 + 2 + 1
    for code in table.columns:
        ours = table.column(code)
        theirs = np.array(expected[code])
        np.testing.assert_array_equal(np.isnan(ours), np.isnan(theirs), err_msg=code)
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-9, err_msg=code)
    np.testing.assert_array_equal(
        rank_desc(table.column("Index")), ref.rank_desc(expected["Index"])
    )


def test_defaults_are_coinrs(asem: tuple[Dataset, Framework]) -> None:
    data, fw = asem
    expected = ref.coinr_pipeline(IDATA, IMETA, "minmax", (0.0, 100.0), "arith")
    np.testing.assert_allclose(score_table(data, fw).column("Index"), expected["Index"], atol=1e-9)
    pct = score_table(data, fw, normalise="pctrank").column("LPI")
    assert np.nanmin(pct) == 0.0 and np.nanmax(pct) == 1.0  # n_prank is on [0, 1]


def test_hand_spot_checks(asem: tuple[Dataset, Framework]) -> None:
    data, fw = asem
    table = score_table(data, fw)
    rows = ref.read_csv(IDATA)
    aut = table.units.index("AUT")
    # LPI, higher is better: Austria's 4.097985 between the smallest and largest LPI.
    lpi = [float(r["LPI"]) for r in rows if r["LPI"] not in ("", "NA")]
    assert table.column("LPI")[aut] == pytest.approx(
        (4.097985 - min(lpi)) / (max(lpi) - min(lpi)) * 100, abs=1e-12
    )
    # Tariff, lower is better: −x is min–maxed, so the smallest tariff scores 100.
    tariff = [math.nan if r["Tariff"] in ("", "NA") else float(r["Tariff"]) for r in rows]
    col = table.column("Tariff")
    assert col[int(np.nanargmin(tariff))] == 100.0 and col[int(np.nanargmax(tariff))] == 0.0
    assert col[aut] == pytest.approx((max(tariff) - 1.6) / (max(tariff) - min(tariff)) * 100)
    # Political has three equally weighted indicators: a unit missing one averages the other two.
    kids = np.column_stack([table.column(c) for c in ("Embs", "IGOs", "UNVote")])
    np.testing.assert_allclose(table.column("Political"), np.nanmean(kids, axis=1), atol=1e-12)
    # Index is the plain mean of its two sub-indices.
    np.testing.assert_allclose(
        table.column("Index"), (table.column("Conn") + table.column("Sust")) / 2, atol=1e-12
    )


def test_zscore_uses_the_sample_sd(asem: tuple[Dataset, Framework]) -> None:
    data, fw = asem
    z = score_table(data, fw, normalise="zscore").column("LPI")
    assert np.nanmean(z) == pytest.approx(0.0, abs=1e-12)
    assert np.nanstd(z, ddof=1) == pytest.approx(1.0, abs=1e-12)


def test_user_weights_change_the_index(asem: tuple[Dataset, Framework]) -> None:
    data, fw = asem
    weights = read_weights(io.StringIO("iCode,Weight\nConn,3\nSust,1\n"))
    table = score_table(data, fw, weights=weights)
    np.testing.assert_allclose(
        table.column("Index"), 0.75 * table.column("Conn") + 0.25 * table.column("Sust"), atol=1e-12
    )
    with pytest.raises(ValueError, match="unknown"):
        score_table(data, fw, weights={"Nope": 1.0})


def test_geometric_mean_refuses_zero(asem: tuple[Dataset, Framework]) -> None:
    data, fw = asem
    with pytest.raises(ValueError, match="positive"):
        score_table(data, fw, aggregate="geom")  # min–max [0, 100] has zeros, as in COINr


def test_indicator_without_spread_is_missing_as_in_coinr() -> None:
    data, fw = read_coinr(
        "uCode,a,b\nX,1,5\nY,2,5\nZ,4,5\n",
        "iCode,Level,Parent,Direction,Weight,Type\n"
        "a,1,top,1,1,Indicator\nb,1,top,1,1,Indicator\ntop,2,,1,1,Aggregate\n",
    )
    table = score_table(data, fw)
    assert np.isnan(table.column("b")).all()  # n_minmax: 0/0
    np.testing.assert_allclose(table.column("top"), table.column("a"))


def test_csv_output(asem: tuple[Dataset, Framework], tmp_path: Path) -> None:
    data, fw = asem
    table = score_table(data, fw, normalise="zscore")
    rows = to_csv_rows(table)
    assert rows[0] == ["uCode", *table.columns]
    assert len(rows) == 52
    out = tmp_path / "scores.csv"
    write_score_csv(table, out)
    back = ref.read_csv(out)
    for i, row in enumerate(back):
        for j, code in enumerate(table.columns):
            v = table.values[i, j]
            assert row[code] == "" if math.isnan(v) else float(row[code]) == v
    buf = io.StringIO()
    write_score_csv(table, buf)
    assert buf.getvalue() == out.read_text(encoding="utf-8")
    assert table.rows()[0]["uCode"] == table.units[0]


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("minmax", ("minmax", (0.0, 100.0))),
        ("minmax:1,100", ("minmax", (1.0, 100.0))),
        ("zscore", ("zscore", (0.0, 1.0))),
        ("zscore:100,10", ("zscore", (100.0, 10.0))),
        ("pctrank", ("pctrank", None)),
    ],
)
def test_parse_normalise_spec(spec: str, expected: tuple[str, object]) -> None:
    assert parse_normalise_spec(spec) == expected


@pytest.mark.parametrize("spec", ["minmax:100,1", "zscore:0,0", "pctrank:1,2", "foo", "minmax:1"])
def test_parse_normalise_spec_rejects(spec: str) -> None:
    with pytest.raises(ValueError):
        parse_normalise_spec(spec)
