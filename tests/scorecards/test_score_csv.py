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


def _score(tmp_path: Path, *, data: str | None = None, meta: str | None = None, **files: str):
    """score-csv on the ASEM files, with `data` or `meta` text instead of the file if given."""
    paths = {"data": ASEM / "asem_idata.csv", "meta": ASEM / "asem_imeta.csv"}
    for name, text in (("data", data), ("meta", meta), *files.items()):
        if text is not None:
            paths[name] = tmp_path / f"{name}.csv"
            paths[name].write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    args = [item for name, path in paths.items() for item in (f"--{name}", str(path))]
    call_command("score_csv", *args, stdout=out, stderr=err)
    return list(csv.DictReader(io.StringIO(out.getvalue()))), err.getvalue()


def _asem_lines(name: str) -> list[str]:
    return (ASEM / name).read_text(encoding="utf-8").splitlines()


def test_a_short_data_row_is_refused_with_its_line_number(tmp_path: Path) -> None:
    lines = _asem_lines("asem_idata.csv")
    cyprus = next(n for n, line in enumerate(lines) if ',"CYP",' in line)
    lines[cyprus] = ",".join(lines[cyprus].split(",")[:-5])  # the last five fields lost
    with pytest.raises(CommandError, match=rf"iData line {cyprus + 1}: 55 fields .* 60"):
        _score(tmp_path, data="\n".join(lines) + "\n")


def test_an_unterminated_quote_is_refused_with_its_line_number(tmp_path: Path) -> None:
    lines = _asem_lines("asem_idata.csv")
    lines[3] = lines[3] + ',"'  # a quote opens at the end of line 4, never closed
    with pytest.raises(CommandError, match="iData line 4"):
        _score(tmp_path, data="\n".join(lines) + "\n")


def test_a_text_value_is_refused_with_its_line_and_column(tmp_path: Path) -> None:
    lines = _asem_lines("asem_idata.csv")
    fields = lines[2].split(",")
    lpi = _asem_lines("asem_idata.csv")[0].split(",").index('"LPI"')
    fields[lpi] = "high"
    lines[2] = ",".join(fields)
    with pytest.raises(CommandError, match="iData line 3, LPI: 'high' is not a number"):
        _score(tmp_path, data="\n".join(lines) + "\n")


def test_an_all_missing_or_constant_indicator_is_reported(tmp_path: Path) -> None:
    lines = _asem_lines("asem_idata.csv")
    header = lines[0].split(",")
    lpi, ship = header.index('"LPI"'), header.index('"Ship"')
    rows = []
    for line in lines[1:]:
        fields = line.split(",")
        fields[lpi], fields[ship] = "NA", "7"
        rows.append(",".join(fields))
    text = "\n".join([lines[0], *rows]) + "\n"
    scored, warnings = _score(tmp_path, data=text)
    assert len(scored) == 51  # scored all the same
    assert "LPI: no unit has a value" in warnings
    assert "Ship: every unit with a value has the same one (7)" in warnings
    out = tmp_path / "scores.csv"
    call_command(
        "score_csv", "--data", str(tmp_path / "data.csv"), "--meta",
        str(ASEM / "asem_imeta.csv"), "--out", str(out), stderr=io.StringIO(),
    )  # fmt: skip
    notes = out.with_suffix(".notes.txt").read_text(encoding="utf-8")
    assert "LPI: no unit has a value" in notes and "Ship:" in notes


def test_an_empty_weights_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no weights"):
        _score(tmp_path, weights="iCode,Weight\n")
    with pytest.raises(CommandError, match="no weights"):
        _score(tmp_path, weights="")


def test_a_weights_file_without_weight_says_so(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="columns iCode and Weight"):
        _score(tmp_path, weights="iCode,Wt\nConn,2\n")


def test_level_written_with_a_decimal_point_is_read(tmp_path: Path) -> None:
    lines = _asem_lines("asem_imeta.csv")
    decimal = [
        ("2.0" + line[1:] if line.startswith("2,") else line) for line in lines
    ]  # spreadsheets write whole numbers so
    assert decimal != lines
    rows, _warnings = _score(tmp_path, meta="\n".join(decimal) + "\n")
    expected, _ = _score(tmp_path)  # the unchanged files
    assert rows == expected


def test_rank_intervals_under_coinr_weight_noise_are_reproducible() -> None:
    coinr = _run("--uncertainty", "100", "--seed", "3")  # COINr's noise, f = 0.25
    assert len(coinr) == 51 and set(coinr[0]) == {
        "uCode", "nominal_rank", "median_rank", "rank_p05", "rank_p95",
    }  # fmt: skip
    assert all(
        float(r["rank_p05"]) <= float(r["median_rank"]) <= float(r["rank_p95"]) for r in coinr
    )
    assert coinr == _run("--uncertainty", "100", "--seed", "3")
    wider = _run("--uncertainty", "100", "--seed", "3", "--noise-factor", "0.9")
    spread = sum(float(r["rank_p95"]) - float(r["rank_p05"]) for r in coinr)
    assert sum(float(r["rank_p95"]) - float(r["rank_p05"]) for r in wider) > spread
    dirichlet = _run("--uncertainty", "100", "--seed", "3", "--weight-noise", "dirichlet")
    assert dirichlet != coinr
    with pytest.raises(CommandError, match="noise_factor"):
        _run("--uncertainty", "100", "--noise-factor", "1.5")
