"""`welcoming match-csv`: the matching engine on CSV files alone (no database); docs/matching.md.

Two modes: people (`--newcomers F --hosts F`) proposes matches with their explanations; edges
(`--edges F --capacities F`) solves an assignment for given scored pairs and prints the total
score on standard error. Every bad row of every file is reported with its line number, and the
output file is only created, whole, when everything was read and solved.
"""

import os
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TextIO, TypeVar

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from welcoming.engines.matching import Problem, Program, solve, solve_edges
from welcoming.engines.matching.csvio import (
    CsvErrors,
    read_capacities,
    read_edges,
    read_hosts,
    read_newcomers,
    read_program,
    write_pairs,
    write_result,
)

T = TypeVar("T")


def _read(path: Path, reader: Callable[[TextIO], T]) -> T:
    if not path.is_file():
        raise CommandError(_("No such file: %(path)s") % {"path": path})
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return reader(stream)


def _gather(problems: list[str], path: Path, reader: Callable[[TextIO], T]) -> T | None:
    """Read one file, keeping its errors with the others' so that one run reports them all."""
    try:
        return _read(path, reader)
    except CsvErrors as error:
        problems.append(str(error))
        return None


def _write_atomically(path: Path, write: Callable[[TextIO], None]) -> None:
    """Write beside the target, then rename: never half a file; on failure, no file at all."""
    handle, temporary = tempfile.mkstemp(dir=path.parent or Path(), suffix=".part")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            write(stream)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class Command(BaseCommand):
    help = (
        "Match newcomers with hosts from CSV files (--newcomers, --hosts), or solve an assignment "
        "from scored pairs (--edges, --capacities); see docs/matching.md for the columns."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--newcomers", type=Path, help="newcomers CSV")
        parser.add_argument("--hosts", type=Path, help="hosts CSV")
        parser.add_argument("--edges", type=Path, help="CSV newcomer_id,host_id,score")
        parser.add_argument("--capacities", type=Path, help="CSV host_id,capacity")
        parser.add_argument("--out", type=Path, required=True, help="output CSV")
        parser.add_argument("--solver", choices=["optimal", "stable"], default="optimal")
        parser.add_argument("--program-config", type=Path, help="program JSON (weights, ...)")
        parser.add_argument(
            "--today", type=date.fromisoformat, help="date screenings are checked on (ISO)"
        )
        parser.add_argument("--seed", type=int, default=0, help="tie-breaking seed (default 0)")
        parser.add_argument("--processes", type=int, default=1, help="worker processes")

    def handle(self, *args: Any, **options: Any) -> None:
        given = {name for name in ("newcomers", "hosts", "edges", "capacities") if options[name]}
        if given not in ({"newcomers", "hosts"}, {"edges", "capacities"}):
            raise CommandError(
                _("Give either --newcomers and --hosts, or --edges and --capacities.")
            )
        try:
            if "edges" in given:
                self._edges(options)
            else:
                self._people(options)
        except ValueError as error:  # CsvErrors too: every bad row, with its line number
            raise CommandError(str(error)) from None

    def _people(self, options: dict[str, Any]) -> None:
        problems: list[str] = []
        newcomers = _gather(problems, options["newcomers"], read_newcomers)
        hosts = _gather(problems, options["hosts"], read_hosts)
        program = Program(id="csv")
        if options["program_config"] is not None:
            program = _gather(problems, options["program_config"], read_program) or program
        if problems or newcomers is None or hosts is None:
            raise CommandError("\n".join(problems))
        problem = Problem(
            program=program,
            newcomers=newcomers,
            hosts=hosts,
            today=options["today"] or date.today(),
            seed=options["seed"],
        )
        result = solve(problem, solver=options["solver"], processes=options["processes"])
        _write_atomically(options["out"], lambda stream: write_result(result, stream))
        self.stderr.write(_("Total score: %(total)s") % {"total": f"{result.total_score:.6f}"})

    def _edges(self, options: dict[str, Any]) -> None:
        problems: list[str] = []
        capacities = _gather(problems, options["capacities"], read_capacities)
        pairs = _gather(problems, options["edges"], lambda stream: read_edges(stream, capacities))
        if problems or capacities is None or pairs is None:
            raise CommandError("\n".join(problems))
        found = solve_edges(pairs, capacities)
        _write_atomically(options["out"], lambda stream: write_pairs(found.pairs, stream))
        self.stderr.write(_("Total score: %(total)s") % {"total": f"{found.total_score:.6f}"})
