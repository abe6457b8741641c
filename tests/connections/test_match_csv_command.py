"""`welcoming match-csv`: both modes, line-numbered errors, nothing written on error."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

NEWCOMERS = """id,community,latitude,longitude,languages,availability
n1,3520005,43.70,-79.40,tir:4;eng:2,mon-am
n2,3520005,43.71,-79.41,ara:4,sat-eve
"""
HOSTS = (
    "id,community,latitude,longitude,languages,availability,"
    "capacity,max_distance_km,screened_until,trained\n"
    """h1,3520005,43.72,-79.40,eng:4;tir:3,mon-am,1,25,2027-06-01,yes
"""
)


def write(tmp_path: Path, **files: str) -> dict[str, str]:
    paths = {}
    for name, text in files.items():
        path = tmp_path / f"{name}.csv"
        path.write_text(text, encoding="utf-8")
        paths[name] = str(path)
    return paths


def test_people_mode_writes_proposals_and_unmatched_reasons(tmp_path: Path) -> None:
    paths = write(tmp_path, newcomers=NEWCOMERS, hosts=HOSTS)
    out = tmp_path / "out.csv"
    err = io.StringIO()
    call_command(
        "match_csv",
        "--newcomers", paths["newcomers"],
        "--hosts", paths["hosts"],
        "--out", str(out),
        "--today", "2026-12-06",
        stderr=err,
    )  # fmt: skip
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [(r["newcomer_id"], r["host_id"], r["status"]) for r in rows] == [
        ("n1", "h1", "proposed"),
        ("n2", "", "unmatched"),
    ]
    assert "language[ara]=1" in rows[1]["explanation"]
    assert "Total score" in err.getvalue()


def test_edges_mode_writes_pairs_and_the_total_on_standard_error(tmp_path: Path) -> None:
    paths = write(
        tmp_path,
        edges="newcomer_id,host_id,score\na,x,1\nb,x,1\na,y,0\n",
        capacities="host_id,capacity\nx,1\ny,1\nz,0\n",
    )
    out = tmp_path / "out.csv"
    err = io.StringIO()
    call_command(
        "match_csv",
        "--edges", paths["edges"],
        "--capacities", paths["capacities"],
        "--out", str(out),
        stderr=err,
    )  # fmt: skip
    assert out.read_text(encoding="utf-8") == "newcomer_id,host_id,score\nb,x,1\na,y,0\n"
    assert "Total score: 1.000000" in err.getvalue()


def test_bad_rows_of_every_file_are_named_and_nothing_is_written(tmp_path: Path) -> None:
    paths = write(
        tmp_path,
        newcomers=NEWCOMERS + "n1,3520005,43.7,-79.4,zzz:2,mon-am\n",
        hosts=HOSTS.replace(",1,25,", ",-1,25,"),
    )
    out = tmp_path / "out.csv"
    with pytest.raises(CommandError) as caught:
        call_command(
            "match_csv",
            "--newcomers", paths["newcomers"],
            "--hosts", paths["hosts"],
            "--out", str(out),
        )  # fmt: skip
    message = str(caught.value)
    assert "newcomers: line 4: id 'n1' is a duplicate" in message
    assert (
        "newcomers: line 4: languages 'zzz:2': 'zzz' is not an ISO 639-3 language code" in message
    )
    assert "hosts: line 2: capacity '-1': is below 0" in message
    assert not out.exists()
    assert list(tmp_path.glob("*.part")) == []


def test_the_two_modes_are_not_mixed(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="either"):
        call_command("match_csv", "--newcomers", "a.csv", "--edges", "b.csv", "--out", "o.csv")


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No such file"):
        call_command(
            "match_csv",
            "--edges", str(tmp_path / "nowhere.csv"),
            "--capacities", str(tmp_path / "nowhere.csv"),
            "--out", str(tmp_path / "o.csv"),
        )  # fmt: skip
