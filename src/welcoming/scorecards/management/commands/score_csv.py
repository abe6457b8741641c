"""`welcoming score-csv`: score any indicator data set kept in COINr's iData/iMeta layout.

Works on files alone (no database), so an analyst who moves from COINr gets the same numbers.
"""

import csv
import io
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from welcoming.engines.scoring import (
    UncertaintyOptions,
    parse_normalise_spec,
    rank_intervals,
    read_coinr,
    read_weights,
    score_table,
    write_score_csv,
)


class Command(BaseCommand):
    help = "Normalise and aggregate a COINr-layout data set; write uCode and every aggregate."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data", type=Path, required=True, help="iData CSV (uCode + indicators)"
        )
        parser.add_argument(
            "--meta",
            type=Path,
            required=True,
            help="iMeta CSV (iCode, Level, Parent, Direction, Weight, Type)",
        )
        parser.add_argument(
            "--normalise",
            default="minmax",
            help="minmax[:L,U] (default 0,100), zscore[:M,S] or pctrank",
        )
        parser.add_argument("--aggregate", choices=["arith", "geom"], default="arith")
        parser.add_argument("--weights", type=Path, help="CSV with iCode, Weight")
        parser.add_argument(
            "--uncertainty",
            type=int,
            metavar="DRAWS",
            help="Instead of scores, write each unit's rank interval of the top aggregate over "
            "DRAWS draws of the weights (methods fixed), as COINr's get_sensitivity does",
        )
        parser.add_argument(
            "--weight-noise",
            choices=["uniform", "dirichlet"],
            default="uniform",
            help="uniform: COINr's noise, each weight × (1 + f·(2u − 1)) (default); dirichlet: "
            "Dirichlet around the weights, concentration 50",
        )
        parser.add_argument(
            "--noise-factor", type=float, default=0.25, help="f of COINr's noise (default 0.25)"
        )
        parser.add_argument("--seed", type=int, default=0, help="Random seed (default 0)")
        parser.add_argument(
            "--out",
            type=Path,
            help="Output CSV (default: standard output); notes, if any, go beside it in "
            "OUT.notes.txt",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for name in ("data", "meta", "weights"):
            path = options[name]
            if path is not None and not path.is_file():
                raise CommandError(_("No such file: %(path)s") % {"path": path})
        try:
            method, bounds = parse_normalise_spec(options["normalise"])
            data, meta = read_coinr(options["data"], options["meta"])
            weights = read_weights(options["weights"]) if options["weights"] else None
            if options["uncertainty"] is not None:
                mc = UncertaintyOptions(
                    draws=options["uncertainty"],
                    seed=options["seed"],
                    weight_noise=options["weight_noise"],
                    noise_factor=options["noise_factor"],
                )
                rows = rank_intervals(
                    data,
                    meta,
                    mc,
                    normalise=method,
                    bounds=bounds,
                    aggregate=options["aggregate"],
                    weights=weights,
                )
                self._write_rows(rows, options["out"])
                return
            table = score_table(
                data,
                meta,
                normalise=method,
                bounds=bounds,
                aggregate=options["aggregate"],
                weights=weights,
            )
        except (ValueError, KeyError) as error:
            raise CommandError(str(error)) from error
        for note in table.notes:
            self.stderr.write(_("Warning: %(note)s") % {"note": note})
        if options["out"]:
            write_score_csv(table, options["out"])
            notes = options["out"].with_suffix(".notes.txt")
            if table.notes:
                notes.write_text("".join(f"{note}\n" for note in table.notes), encoding="utf-8")
            else:  # never leave the notes of an earlier run beside this one's scores
                notes.unlink(missing_ok=True)
            return
        buffer = io.StringIO()
        write_score_csv(table, buffer)
        self.stdout.write(buffer.getvalue(), ending="")

    def _write_rows(self, rows: list[list[str]], out: Path | None) -> None:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        if out:
            out.write_text(buffer.getvalue(), encoding="utf-8")
        else:
            self.stdout.write(buffer.getvalue(), ending="")
