"""The offline batch's CSV files: every bad row reported by line, bounded reading, writers."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from welcoming.engines.matching import Problem, Program, solve
from welcoming.engines.matching.csvio import (
    MAX_LINE_CHARS,
    CsvErrors,
    read_capacities,
    read_edges,
    read_hosts,
    read_newcomers,
    read_program,
    write_pairs,
    write_result,
)

NEWCOMERS = (
    "id,community,latitude,longitude,languages,availability,online_ok,noc_code,waiting_days\n"
    """n1,3520005,43.70,-79.40,tir:4;eng:2,mon-am;tue-pm,no,21231,120
n2,3520005,43.71,-79.41,ara:4,sat-eve,yes,,10
"""
)
HOSTS = (
    "id,community,latitude,longitude,languages,availability,"
    "capacity,max_distance_km,screened_until,trained\n"
    """h1,3520005,43.72,-79.40,eng:4;tir:3,mon-am,1,25,2027-06-01,yes
h2,3520005,43.72,-79.40,fra:4,sat-eve,2,25,,no
"""
)


def errors_of(reader, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    with pytest.raises(CsvErrors) as caught:
        reader(io.StringIO(text))
    return [str(error) for error in caught.value.errors]


def test_people_are_read_with_every_column() -> None:
    newcomers = read_newcomers(io.StringIO(NEWCOMERS))
    assert newcomers[0].languages[0].code == "tir"
    assert newcomers[0].availability == 0b1 | 0b10000  # monday morning, tuesday afternoon
    assert newcomers[0].waiting_days == 120
    assert newcomers[1].online_ok
    hosts = read_hosts(io.StringIO(HOSTS))
    assert hosts[0].screened_until == date(2027, 6, 1)
    assert hosts[1].screened_until is None
    assert not hosts[1].trained


def test_every_bad_row_is_reported_with_its_line_number() -> None:
    text = HOSTS + (
        "h1,3520005,93.0,-79.40,xxq:4,mon-am,-1,25,,yes\n"
        "h4,3520005,43.7,-79.40,eng:9,mon-noon,2,ten,2027-02-30,maybe\n"
    )
    errors = errors_of(read_hosts, text)
    assert errors == [
        "line 4: id 'h1' is a duplicate",
        "line 4: latitude '93.0': is outside -90..90",
        "line 4: languages 'xxq:4': 'xxq' is not an ISO 639-3 language code",
        "line 4: capacity '-1': is below 0",
        "line 5: languages 'eng:9': the level of eng must be 1, 2, 3 or 4",
        "line 5: availability 'mon-noon': 'mon-noon' is not a slot like mon-am, tue-pm or sun-eve",
        "line 5: max_distance_km 'ten': is not a number",
        "line 5: screened_until '2027-02-30': day is out of range for month",
        "line 5: trained 'maybe': is not yes or no",
    ]


def test_headers_are_checked_before_any_row() -> None:
    assert errors_of(read_newcomers, "id,community,latitude\n") == [
        "line 1: missing column(s): longitude, languages, availability"
    ]
    assert errors_of(read_edges_anywhere, "newcomer_id,host_id,score,colour\n") == [
        "line 1: unknown column(s): colour"
    ]
    assert errors_of(read_newcomers, "") == ["line 1: the file is empty; expected a header row"]


def read_edges_anywhere(stream: io.StringIO) -> object:
    return read_edges(stream, None)


def test_edges_and_capacities_are_validated() -> None:
    text = "newcomer_id,host_id,score\na,x,1.5\na,x,2\nb,y,abc\nc,z,nan\nd,w,1\n"
    assert errors_of(lambda s: read_edges(s, {"x", "y", "z"}), text) == [
        "line 3: pair (a, x) is a duplicate",
        "line 4: score 'abc': is not a number",
        "line 5: score 'nan': is not a finite number",
        "line 6: host_id 'w' is not in the capacities file",
    ]
    assert errors_of(read_capacities, "host_id,capacity\nx,0\nx,1\ny,-2\nz,1.5\n") == [
        "line 3: host_id 'x' is a duplicate",
        "line 4: capacity '-2': is below 0",
        "line 5: capacity '1.5': is not a whole number",
    ]
    assert read_capacities(io.StringIO("host_id,capacity\nx,0\n")) == {"x": 0}


def test_an_overlong_line_is_reported_and_skipped_without_reading_it_whole() -> None:
    text = "host_id,capacity\n" + "x" * (MAX_LINE_CHARS * 5) + ",1\ny,2\n"
    assert errors_of(read_capacities, text) == [
        f"line 2: line is longer than {MAX_LINE_CHARS} characters"
    ]


def test_too_many_rows_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("welcoming.engines.matching.csvio.MAX_ROWS", 2)
    assert errors_of(read_capacities, "host_id,capacity\na,1\nb,1\nc,1\n") == [
        "line 4: more than 2 rows; split the file"
    ]


def test_the_number_of_kept_messages_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("welcoming.engines.matching.csvio.MAX_REPORTED", 3)
    with pytest.raises(CsvErrors) as caught:
        read_capacities(io.StringIO("host_id,capacity\n" + "a,-1\n" * 10))
    assert len(caught.value.errors) == 3
    assert caught.value.more == 7
    assert "and 7 more errors" in str(caught.value)


def test_a_program_is_read_from_json() -> None:
    program = read_program(
        io.StringIO('{"id": "t", "team_size": [3, 5], "weights": {"distance": 0.5}}')
    )
    assert program.team_size == (3, 5)
    assert program.weights.distance == 0.5
    with pytest.raises(CsvErrors, match="unknown key"):
        read_program(io.StringIO('{"colour": 1}'))
    with pytest.raises(CsvErrors, match="team_size"):
        read_program(io.StringIO('{"team_size": [5, 3]}'))


def test_results_are_written_with_their_explanations() -> None:
    problem = Problem(
        Program("csv"),
        read_newcomers(io.StringIO(NEWCOMERS)),
        read_hosts(io.StringIO(HOSTS)),
        date(2026, 12, 6),
    )
    out = io.StringIO()
    write_result(solve(problem), out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows[0]["status"] == "proposed"
    assert rows[0]["explanation"].startswith("occupation=")
    assert rows[1] == {
        "newcomer_id": "n2",
        "host_id": "",
        "score": "",
        "status": "unmatched",
        "explanation": "considered=2;radius_km=25;screening[unscreened]=1;language[ara]=1",
    }


def test_pairs_are_written_as_newcomer_host_score() -> None:
    out = io.StringIO()
    write_pairs([("a", "x", 1.5), ("b", "y", 0.1)], out)
    assert out.getvalue() == "newcomer_id,host_id,score\na,x,1.5\nb,y,0.1\n"
