"""The offline batch's CSV files (docs/matching.md): read and validate every row, write results.

Readers collect every bad row with its line number (line 1 is the header) before failing, so a
file is fixed in one pass; they raise `CsvErrors` and return nothing partial. Hostile files are
bounded: a line longer than MAX_LINE_CHARS is reported and skipped without being held in memory,
at most MAX_ROWS data rows are read (more is an error), and at most MAX_REPORTED messages are
kept (the rest are counted). One record per line: quoted fields may not span lines.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Callable, Container, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TextIO, TypeVar

import pycountry

from .model import (
    AVAILABILITY_SLOTS,
    Host,
    LanguageSkill,
    Newcomer,
    Program,
    Result,
    Weights,
)

MAX_LINE_CHARS = 8192
MAX_ROWS = 5_000_000
MAX_REPORTED = 1000
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PARTS = ("am", "pm", "eve")
YES = {"yes", "true", "1", "y", "oui"}
NO = {"no", "false", "0", "n", "non", ""}
ROW_FIELDS = ("newcomer_id", "host_id", "score")

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class CsvError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class CsvErrors(ValueError):
    """Every problem found in a file; nothing was read from it."""

    def __init__(self, name: str, errors: Sequence[CsvError], more: int = 0) -> None:
        self.name = name
        self.errors = tuple(errors)
        self.more = more
        lines = [f"{name}: {error}" for error in self.errors]
        if more:
            lines.append(f"{name}: and {more} more errors")
        super().__init__("\n".join(lines))


@dataclass
class _Collector:
    name: str
    errors: list[CsvError] = field(default_factory=list)
    more: int = 0

    def add(self, line: int, message: str) -> None:
        if len(self.errors) < MAX_REPORTED:
            self.errors.append(CsvError(line, message))
        else:
            self.more += 1

    def check(self) -> None:
        if self.errors:
            raise CsvErrors(self.name, self.errors, self.more)


def _lines(stream: TextIO, errors: _Collector) -> Iterator[tuple[int, str]]:
    """Physical lines, each read with a bounded buffer; overlong ones are reported and skipped."""
    number = 0
    while True:
        line = stream.readline(MAX_LINE_CHARS + 1)
        if not line:
            return
        number += 1
        if len(line) > MAX_LINE_CHARS and not line.endswith("\n"):
            errors.add(number, f"line is longer than {MAX_LINE_CHARS} characters")
            while line and not line.endswith("\n"):
                line = stream.readline(MAX_LINE_CHARS)
            continue
        yield number, line


def _records(
    stream: TextIO,
    errors: _Collector,
    required: Sequence[str],
    optional: Sequence[str] = (),
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row as a dict) for each data row, after checking the header."""
    lines = _lines(stream, errors)
    first = next(lines, None)
    if first is None:
        errors.add(1, "the file is empty; expected a header row")
        return
    header = [name.strip() for name in next(csv.reader([first[1]]), [])]
    missing = [name for name in required if name not in header]
    unknown = [name for name in header if name not in required and name not in optional]
    if missing:
        errors.add(first[0], f"missing column(s): {', '.join(missing)}")
    if unknown:
        errors.add(first[0], f"unknown column(s): {', '.join(unknown)}")
    if len(set(header)) != len(header):
        errors.add(first[0], "a column is named twice")
    if missing or unknown or len(set(header)) != len(header):
        return
    rows = 0
    for number, text in lines:
        if not text.strip():
            continue
        rows += 1
        if rows > MAX_ROWS:
            errors.add(number, f"more than {MAX_ROWS} rows; split the file")
            return
        values = next(csv.reader([text]), [])
        if len(values) != len(header):
            errors.add(number, f"expected {len(header)} fields, found {len(values)}")
            continue
        yield number, {name: value.strip() for name, value in zip(header, values, strict=True)}


def _parse(
    errors: _Collector, line: int, column: str, raw: str, read: Callable[[str], T]
) -> T | None:
    try:
        return read(raw)
    except ValueError as error:
        errors.add(line, f"{column} {raw!r}: {error}")
        return None


def _number(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise ValueError("is not a number") from None
    if not math.isfinite(value):
        raise ValueError("is not a finite number")
    return value


def _count(raw: str) -> int:
    if not raw.lstrip("-").isdigit():
        raise ValueError("is not a whole number")
    value = int(raw)
    if value < 0:
        raise ValueError("is below 0")
    return value


def _latitude(raw: str) -> float:
    value = _number(raw)
    if not -90.0 <= value <= 90.0:
        raise ValueError("is outside -90..90")
    return value


def _longitude(raw: str) -> float:
    value = _number(raw)
    if not -180.0 <= value <= 180.0:
        raise ValueError("is outside -180..180")
    return value


def _flag(raw: str) -> bool:
    lowered = raw.lower()
    if lowered in YES:
        return True
    if lowered in NO:
        return False
    raise ValueError("is not yes or no")


def _words(raw: str) -> frozenset[str]:
    return frozenset(word.strip() for word in raw.split(";") if word.strip())


def _languages(raw: str) -> tuple[LanguageSkill, ...]:
    skills = []
    seen = set()
    for item in (part.strip() for part in raw.split(";") if part.strip()):
        code, _, level = item.partition(":")
        code = code.strip().lower()
        if len(code) != 3 or pycountry.languages.get(alpha_3=code) is None:
            raise ValueError(f"{code!r} is not an ISO 639-3 language code")
        if level.strip() not in {"1", "2", "3", "4"}:
            raise ValueError(f"the level of {code} must be 1, 2, 3 or 4")
        if code in seen:
            raise ValueError(f"{code} is listed twice")
        seen.add(code)
        skills.append(LanguageSkill(code, int(level)))
    if not skills:
        raise ValueError("at least one language is needed, e.g. tir:4;eng:2")
    return tuple(skills)


def _availability(raw: str) -> int:
    mask = 0
    for item in (part.strip().lower() for part in raw.split(";") if part.strip()):
        day, _, part = item.partition("-")
        if day not in DAYS or part not in PARTS:
            raise ValueError(f"{item!r} is not a slot like mon-am, tue-pm or sun-eve")
        mask |= 1 << (DAYS.index(day) * len(PARTS) + PARTS.index(part))
    assert mask < 1 << AVAILABILITY_SLOTS
    return mask


def _ages(raw: str) -> tuple[int, ...]:
    ages = tuple(_count(part.strip()) for part in raw.split(";") if part.strip())
    if any(age > 120 for age in ages):
        raise ValueError("an age is above 120")
    return ages


def _noc(raw: str) -> str | None:
    if not raw:
        return None
    if len(raw) != 5 or not raw.isdigit():
        raise ValueError("is not a 5-digit NOC 2021 unit group")
    return raw


def _day(raw: str) -> date | None:
    return date.fromisoformat(raw) if raw else None


PEOPLE = ("id", "community", "latitude", "longitude", "languages", "availability")
PEOPLE_OPTIONAL = ("online_ok", "noc_code", "interests", "children_ages")
NEWCOMER_OPTIONAL = (*PEOPLE_OPTIONAL, "tags", "requires", "priority", "waiting_days")
HOST_REQUIRED = (*PEOPLE, "capacity", "max_distance_km")
HOST_OPTIONAL = (*PEOPLE_OPTIONAL, "screened_until", "trained", "offers")


def _common(
    errors: _Collector, line: int, row: dict[str, str], seen: set[str]
) -> dict[str, Any] | None:
    def get(column: str, read: Callable[[str], T]) -> T | None:
        return _parse(errors, line, column, row.get(column, ""), read)

    before = len(errors.errors) + errors.more
    person_id = row["id"]
    if not person_id:
        errors.add(line, "id is empty")
    elif person_id in seen:
        errors.add(line, f"id {person_id!r} is a duplicate")
    seen.add(person_id)
    if not row["community"]:
        errors.add(line, "community is empty")
    fields: dict[str, Any] = {
        "id": person_id,
        "community": row["community"],
        "latitude": get("latitude", _latitude),
        "longitude": get("longitude", _longitude),
        "languages": get("languages", _languages),
        "availability": get("availability", _availability),
        "online_ok": get("online_ok", _flag),
        "noc_code": get("noc_code", _noc),
        "interests": _words(row.get("interests", "")),
        "children_ages": get("children_ages", _ages),
    }
    return fields if len(errors.errors) + errors.more == before else None


def _read_people(
    stream: TextIO,
    name: str,
    columns: tuple[Sequence[str], Sequence[str]],
    build: Callable[[_Collector, int, dict[str, str], dict[str, Any]], T | None],
) -> tuple[T, ...]:
    """Rows of people: the shared columns checked by `_common`, the rest by `build`."""
    errors = _Collector(name)
    seen: set[str] = set()
    out = []
    for line, row in _records(stream, errors, *columns):
        common = _common(errors, line, row, seen)
        person = build(errors, line, row, common or {})
        if common is not None and person is not None:
            out.append(person)
    errors.check()
    return tuple(out)


def _newcomer(
    errors: _Collector, line: int, row: dict[str, str], common: dict[str, Any]
) -> Newcomer | None:
    waiting = _parse(errors, line, "waiting_days", row.get("waiting_days") or "0", _count)
    if not common or waiting is None:
        return None
    return Newcomer(
        **common,
        tags=_words(row.get("tags", "")),
        requires=_words(row.get("requires", "")),
        priority=_words(row.get("priority", "")),
        waiting_days=waiting,
    )


def _host(
    errors: _Collector, line: int, row: dict[str, str], common: dict[str, Any]
) -> Host | None:
    capacity = _parse(errors, line, "capacity", row["capacity"], _count)
    radius = _parse(errors, line, "max_distance_km", row["max_distance_km"], _number)
    if radius is not None and radius < 0:
        errors.add(line, f"max_distance_km {radius} is below 0")
    screened = _parse(errors, line, "screened_until", row.get("screened_until", ""), _day)
    trained = _parse(errors, line, "trained", row.get("trained", ""), _flag)
    if not common or capacity is None or radius is None or radius < 0 or trained is None:
        return None
    return Host(
        **common,
        capacity=capacity,
        max_distance_km=radius,
        screened_until=screened,
        trained=trained,
        offers=_words(row.get("offers", "")),
    )


def read_newcomers(stream: TextIO, name: str = "newcomers") -> tuple[Newcomer, ...]:
    return _read_people(stream, name, (PEOPLE, NEWCOMER_OPTIONAL), _newcomer)


def read_hosts(stream: TextIO, name: str = "hosts") -> tuple[Host, ...]:
    return _read_people(stream, name, (HOST_REQUIRED, HOST_OPTIONAL), _host)


def read_edges(
    stream: TextIO, known_hosts: Container[str] | None, name: str = "edges"
) -> tuple[tuple[str, str, float], ...]:
    """Scored pairs; a host missing from `known_hosts` (the capacities file, when it could be
    read) is a bad row."""
    errors = _Collector(name)
    seen: set[tuple[str, str]] = set()
    out = []
    for line, row in _records(stream, errors, ROW_FIELDS):
        newcomer_id, host_id = row["newcomer_id"], row["host_id"]
        score = _parse(errors, line, "score", row["score"], _number)
        if not newcomer_id or not host_id:
            errors.add(line, "newcomer_id and host_id may not be empty")
            continue
        if known_hosts is not None and host_id not in known_hosts:
            errors.add(line, f"host_id {host_id!r} is not in the capacities file")
            continue
        if (newcomer_id, host_id) in seen:
            errors.add(line, f"pair ({newcomer_id}, {host_id}) is a duplicate")
            continue
        seen.add((newcomer_id, host_id))
        if score is not None:
            out.append((newcomer_id, host_id, score))
    errors.check()
    return tuple(out)


def read_capacities(stream: TextIO, name: str = "capacities") -> dict[str, int]:
    errors = _Collector(name)
    out: dict[str, int] = {}
    for line, row in _records(stream, errors, ("host_id", "capacity")):
        capacity = _parse(errors, line, "capacity", row["capacity"], _count)
        if not row["host_id"]:
            errors.add(line, "host_id is empty")
        elif row["host_id"] in out:
            errors.add(line, f"host_id {row['host_id']!r} is a duplicate")
        elif capacity is not None:
            out[row["host_id"]] = capacity
    errors.check()
    return out


PROGRAM_KEYS = {
    "id",
    "min_language_level",
    "requires_tags",
    "team_size",
    "max_candidates",
    "weights",
}


def read_program(stream: TextIO, name: str = "program") -> Program:
    """A program as JSON: {"id": "...", "min_language_level": 2, "requires_tags": [...],
    "team_size": [3, 5], "max_candidates": 50, "weights": {"occupation": 3.0, ...}}."""
    text = stream.read(MAX_LINE_CHARS * 8 + 1)
    if len(text) > MAX_LINE_CHARS * 8:
        raise CsvErrors(name, [CsvError(1, "the program file is too large")])
    try:
        raw = json.loads(text)
        if not isinstance(raw, dict):
            raise ValueError("expected a JSON object")
        unknown = set(raw) - PROGRAM_KEYS
        if unknown:
            raise ValueError(f"unknown key(s): {', '.join(sorted(unknown))}")
        team = raw.get("team_size")
        return Program(
            id=str(raw.get("id", "csv")),
            min_language_level=int(raw.get("min_language_level", 2)),
            requires_tags=frozenset(str(tag) for tag in raw.get("requires_tags", [])),
            team_size=None if team is None else (int(team[0]), int(team[1])),
            max_candidates=int(raw.get("max_candidates", 50)),
            weights=Weights(**{str(k): float(v) for k, v in raw.get("weights", {}).items()}),
        )
    except (ValueError, TypeError, IndexError) as error:
        raise CsvErrors(name, [CsvError(1, str(error))]) from None


def _score(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".")


def write_result(result: Result, stream: TextIO) -> None:
    """One row per proposal (its score's terms) and per unmatched newcomer (its exclusions)."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(("newcomer_id", "host_id", "score", "status", "explanation"))
    for proposal in result.proposals:
        terms = ";".join(f"{t.name}={t.value:.3f}*{_score(t.weight)}" for t in proposal.terms)
        writer.writerow(
            (proposal.newcomer_id, proposal.host_id, _score(proposal.score), "proposed", terms)
        )
    for unmatched in result.unmatched:
        reasons = [f"considered={unmatched.considered}", f"radius_km={unmatched.radius_km:.0f}"]
        reasons += [f"{e.constraint}[{e.detail}]={e.removed}" for e in unmatched.exclusions]
        writer.writerow((unmatched.newcomer_id, "", "", "unmatched", ";".join(reasons)))


def write_pairs(pairs: Sequence[tuple[str, str, float]], stream: TextIO) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(ROW_FIELDS)
    writer.writerows((n, h, f"{s:.15g}") for n, h, s in pairs)
