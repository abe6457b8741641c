"""`welcoming score-csv` on COINr's own example: every level, one row per unit."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ASEM = Path(__file__).parents[1] / "engines" / "data" / "coinr_asem"


def _run(*options: str) -> list[dict[str, str]]:
    out = io.StringIO()
    call_command(
        "score_csv",
        "--data",
        str(ASEM / "asem_idata.csv"),
        "--meta",
        str(ASEM / "asem_imeta.csv"),
        *options,
        stdout=out,
    )
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def test_minmax_arithmetic_writes_every_aggregate_for_every_unit() -> None:
    rows = _run()
    assert len(rows) == 51
    assert {"uCode", "LPI", "Physical", "Conn", "Sust", "Index"} <= set(rows[0])
    index = [float(r["Index"]) for r in rows]
    assert all(0 <= v <= 100 for v in index)


def test_geometric_mean_on_minmax_one_to_hundred() -> None:
    rows = _run("--normalise", "minmax:1,100", "--aggregate", "geom")
    assert all(1 <= float(r["LPI"]) <= 100 for r in rows if r["LPI"])


def test_output_file_and_weights(tmp_path: Path) -> None:
    weights = tmp_path / "weights.csv"
    weights.write_text("iCode,Weight\nConn,2\nSust,1\n", encoding="utf-8")
    out = tmp_path / "scores.csv"
    call_command(
        "score_csv",
        "--data",
        str(ASEM / "asem_idata.csv"),
        "--meta",
        str(ASEM / "asem_imeta.csv"),
        "--weights",
        str(weights),
        "--out",
        str(out),
    )
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    aut = next(r for r in rows if r["uCode"] == "AUT")
    expected = (2 * float(aut["Conn"]) + float(aut["Sust"])) / 3
    assert float(aut["Index"]) == pytest.approx(expected)


def test_bad_normalisation_is_a_clear_error() -> None:
    with pytest.raises(CommandError, match="unknown normalisation"):
        _run("--normalise", "rescale")


def test_missing_file_is_named() -> None:
    with pytest.raises(CommandError, match="No such file"):
        call_command("score_csv", "--data", "nowhere.csv", "--meta", "nowhere.csv")
