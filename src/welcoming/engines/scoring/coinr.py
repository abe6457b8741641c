"""COINr interoperability: read iData/iMeta, score as COINr does, write a flat CSV.

Lets analysts who keep their data in COINr's layout get COINr's numbers from us, so they can
check ours against theirs. What "as COINr does" means is listed in `score_table`.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TextIO

import numpy as np

from .model import (
    AggregateMethod,
    Dataset,
    FloatArray,
    Framework,
    IndicatorMeta,
    Node,
    NormaliseMethod,
    ScoringOptions,
    UncertaintyOptions,
    frozen_array,
)
from .pipeline import score
from .uncertainty import monte_carlo

Source = str | Path | TextIO  # a path, CSV text (a str with a line break) or an open stream

_MISSING = {"", "NA", "NaN", "nan", "N/A"}
# COINr's defaults: n_minmax l_u = c(0, 100), n_zscore m_sd = c(0, 1), n_prank on [0, 1].
_DEFAULT_PARAMS: dict[str, tuple[float, float]] = {
    "minmax": (0.0, 100.0),
    "zscore": (0.0, 1.0),
    "pctrank": (0.0, 1.0),
}


def _num(text: str | None, where: str = "") -> float:
    if text is None or text.strip() in _MISSING:
        return math.nan
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"{where}{text.strip()!r} is not a number") from None


def _read_rows(source: Source, what: str) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) of every non-blank row. A row whose number of fields differs from
    the header's, or a quote left open, is refused with its line number: a short row read as
    missing values would be scored silently and wrongly."""
    if isinstance(source, str) and "\n" in source:
        return _rows_of(io.StringIO(source.lstrip("\ufeff")), what)
    if isinstance(source, str | Path):
        with Path(source).open(newline="", encoding="utf-8-sig") as fh:
            return _rows_of(fh, what)
    return _rows_of(source, what)


def _rows_of(stream: TextIO, what: str) -> list[tuple[int, dict[str, str]]]:
    reader = csv.reader(stream, strict=True)
    rows: list[tuple[int, dict[str, str]]] = []
    header: list[str] | None = None
    while True:
        line = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            return rows
        except csv.Error as error:
            raise ValueError(f"{what} line {line}: {error}") from None
        if not fields or all(not f.strip() for f in fields):
            continue
        if header is None:
            header = [f.strip() for f in fields]
            continue
        if len(fields) != len(header):
            raise ValueError(
                f"{what} line {line}: {len(fields)} fields where the header has {len(header)}"
            )
        rows.append((line, dict(zip(header, fields, strict=True))))


def _level(text: str | None, where: str) -> int:
    """COINr's Level, also when a spreadsheet wrote it as "2.0"."""
    value = _num(text, where)
    if math.isnan(value) or value != int(value):
        raise ValueError(f"{where}Level must be a whole number, not {text!r}")
    return int(value)


def read_coinr(idata: Source, imeta: Source) -> tuple[Dataset, Framework]:
    """Read COINr's iData (one row per unit: `uCode` plus indicator columns; other columns are
    ignored) and iMeta (`iCode, Level, Parent, Direction, Weight, Type`). Type "Indicator" rows
    are the indicators (level 1), "Aggregate" rows the higher levels; other types (groups,
    denominators...) are ignored. A malformed row is refused with its line number."""
    indicators: list[IndicatorMeta] = []
    nodes: list[Node] = []
    for line, row in _read_rows(imeta, "iMeta"):
        where = f"iMeta line {line}: "
        kind = (row.get("Type") or "").strip()
        code = (row.get("iCode") or "").strip()
        parent = (row.get("Parent") or "").strip() or None
        weight = _num(row.get("Weight"), where)
        weight = 1.0 if math.isnan(weight) else weight
        if kind == "Indicator":
            if parent is None:
                raise ValueError(f"{where}{code}: indicator without parent")
            direction = _num(row.get("Direction"), where)
            target = _num(row.get("Target"), where)
            indicators.append(
                IndicatorMeta(
                    code=code,
                    parent=parent,
                    direction=1 if math.isnan(direction) else int(direction),
                    weight=weight,
                    target=None if math.isnan(target) else target,
                )
            )
        elif kind == "Aggregate":
            level = _level(row.get("Level"), where)
            nodes.append(Node(code=code, parent=parent, weight=weight, level=level))
    framework = Framework(tuple(indicators), tuple(nodes))
    rows = _read_rows(idata, "iData")
    if not rows or "uCode" not in rows[0][1]:
        raise ValueError("iData needs a uCode column and at least one row")
    codes = framework.indicator_codes
    absent = [c for c in codes if c not in rows[0][1]]
    if absent:
        raise ValueError(f"iData lacks indicator columns: {absent}")
    units = tuple(r["uCode"].strip() for _line, r in rows)
    values = np.array(
        [[_num(r[c], f"iData line {line}, {c}: ") for c in codes] for line, r in rows],
        dtype=np.float64,
    )
    return Dataset(units=units, indicators=codes, values=values), framework


def parse_normalise_spec(spec: str) -> tuple[NormaliseMethod, tuple[float, float] | None]:
    """Parse the CLI's --normalise: "minmax", "minmax:1,100", "zscore", "zscore:10,2", "pctrank".
    Parameters are None when not given (`score_table` then uses COINr's defaults)."""
    name, _, params = spec.strip().partition(":")
    name = name.strip().lower()
    if name == "pctrank" and not params:
        return "pctrank", None
    if name not in ("minmax", "zscore"):
        if name == "pctrank":
            raise ValueError("pctrank takes no parameters")
        raise ValueError(f"unknown normalisation {name!r}: use minmax, zscore or pctrank")
    method: NormaliseMethod = "minmax" if name == "minmax" else "zscore"
    if not params:
        return method, _DEFAULT_PARAMS[name]
    parts = [p.strip() for p in params.split(",")]
    if len(parts) != 2:
        example = "1,100" if name == "minmax" else "0,1"
        raise ValueError(f"{name} takes two numbers, e.g. {name}:{example}")
    a, b = float(parts[0]), float(parts[1])
    if name == "minmax" and not a < b:
        raise ValueError("minmax needs L < U")
    if name == "zscore" and not b > 0:
        raise ValueError("zscore needs S > 0")
    return method, (a, b)


def read_weights(source: Source) -> dict[str, float]:
    """Weights file: CSV with columns iCode, Weight (COINr's weights table layout)."""
    rows = _read_rows(source, "weights")
    if not rows:
        raise ValueError("the weights file has no weights: give rows of iCode, Weight")
    if not {"iCode", "Weight"} <= set(rows[0][1]):
        raise ValueError("the weights file needs the columns iCode and Weight")
    out: dict[str, float] = {}
    for line, row in rows:
        code = row["iCode"].strip()
        if code:
            weight = _num(row["Weight"], f"weights line {line}, {code}: ")
            if math.isnan(weight):
                raise ValueError(f"weights line {line}, {code}: the weight is missing")
            out[code] = weight
    return out


@dataclass(frozen=True)
class ScoreTable:
    """Like COINr's Aggregated data set: per unit, normalised indicators then every aggregate."""

    units: tuple[str, ...]
    columns: tuple[str, ...]
    values: FloatArray
    notes: tuple[str, ...] = ()  # indicators that cannot count: no value, or no spread

    def column(self, code: str) -> FloatArray:
        return np.asarray(self.values[:, self.columns.index(code)])

    def rows(self) -> list[dict[str, str | float]]:
        """One dict per unit: uCode and every column (NaN where missing)."""
        return [
            {"uCode": unit, **{c: float(self.values[i, j]) for j, c in enumerate(self.columns)}}
            for i, unit in enumerate(self.units)
        ]


def score_table(
    data: Dataset,
    meta: Framework,
    normalise: NormaliseMethod = "minmax",
    bounds: tuple[float, float] | None = None,
    aggregate: AggregateMethod = "arith",
    weights: Mapping[str, float] | None = None,
) -> ScoreTable:
    """Score exactly as COINr's Normalise + Aggregate (checked to 1e-9 on COINr's ASEM example).

    `bounds` are (l, u) for minmax and pctrank, (m, s) for zscore; None takes COINr's defaults.
    As in COINr: direction −1 flips the sign first; statistics use non-missing values; an
    indicator without spread becomes missing (0/0); means run over the present children with
    their weights rescaled to sum to 1; no coverage threshold (COINr's dat_thresh = NULL).
    """
    opts = _coinr_options(normalise, bounds, aggregate, weights)
    result = score(data, meta, opts)
    return ScoreTable(
        units=result.units,
        columns=tuple(c for lvl in result.levels for c in lvl.codes),
        values=frozen_array(np.hstack([lvl.scores for lvl in result.levels])),
        notes=indicator_notes(data, meta),
    )


def rank_intervals(
    data: Dataset,
    meta: Framework,
    mc: UncertaintyOptions,
    normalise: NormaliseMethod = "minmax",
    bounds: tuple[float, float] | None = None,
    aggregate: AggregateMethod = "arith",
    weights: Mapping[str, float] | None = None,
) -> list[list[str]]:
    """COINr-style uncertainty on the weights alone: the methods stay those of `score_table`, the
    weights vary as `mc` says (e.g. `weight_noise="uniform"`, COINr's noise). Header plus one row
    per unit: uCode, nominal rank, median rank, 5th and 95th percentile of the top aggregate."""
    opts = _coinr_options(normalise, bounds, aggregate, weights)
    only_weights = replace(
        mc, normalisations=(normalise,), aggregations=(aggregate,), imputations=("exclude",)
    )
    found = monte_carlo(data, meta, opts, only_weights)
    columns = (found.nominal_rank, found.median_rank, found.rank_p05, found.rank_p95)
    out = [["uCode", "nominal_rank", "median_rank", "rank_p05", "rank_p95"]]
    for i, unit in enumerate(found.units):
        out.append([unit, *("" if math.isnan(c[i]) else repr(float(c[i])) for c in columns)])
    return out


def indicator_notes(data: Dataset, meta: Framework) -> tuple[str, ...]:
    """Indicators that say nothing about the units: no value for any unit, or one value for all
    (min-max and z-score then give 0/0, a missing value, for every unit, as COINr does)."""
    raw = data.aligned(meta)
    notes = []
    for j, code in enumerate(meta.indicator_codes):
        present = raw[~np.isnan(raw[:, j]), j]
        if present.size == 0:
            notes.append(f"{code}: no unit has a value; the indicator counts in no aggregate")
        elif np.ptp(present) == 0:
            notes.append(
                f"{code}: every unit with a value has the same one ({present[0]:g}); it cannot "
                "tell units apart (min-max and z-score give 0/0, a missing value, as in COINr)"
            )
    return tuple(notes)


def _coinr_options(
    normalise: NormaliseMethod,
    bounds: tuple[float, float] | None,
    aggregate: AggregateMethod,
    weights: Mapping[str, float] | None,
) -> ScoringOptions:
    """COINr's semantics as engine options (see `score_table`)."""
    params = bounds if bounds is not None else _DEFAULT_PARAMS.get(normalise)
    return ScoringOptions(
        normalise=normalise,
        bounds=params if normalise != "zscore" and params else (0.0, 100.0),
        zscore=params if normalise == "zscore" and params else (0.0, 1.0),
        constant="formula",
        aggregate=aggregate,
        min_coverage=0.0,
        weights=weights,
    )


def to_csv_rows(table: ScoreTable) -> list[list[str]]:
    """Header plus one row per unit; floats at full precision (repr), missing as ""."""
    out = [["uCode", *table.columns]]
    for i, unit in enumerate(table.units):
        out.append([unit, *("" if math.isnan(v) else repr(float(v)) for v in table.values[i])])
    return out


def write_score_csv(table: ScoreTable, path_or_stream: str | Path | TextIO) -> None:
    """Write `to_csv_rows(table)` to a file path or an open text stream."""
    if isinstance(path_or_stream, str | Path):
        with Path(path_or_stream).open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh, lineterminator="\n").writerows(to_csv_rows(table))
    else:
        csv.writer(path_or_stream, lineterminator="\n").writerows(to_csv_rows(table))
