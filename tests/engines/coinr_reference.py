"""An oracle: a deliberately naive, loop-based transcription of COINr's R algorithms (plain Python,
no numpy), to check the vectorised engine against an independent implementation.

Transcribed from COINr (GitHub bluefoxr/COINr):
- R/normalise.R: `Normalise.numeric` (x * direction first), `n_minmax`, `n_zscore`, `n_prank`;
- R/aggregate.R: `Aggregate.coin` (level by level: each aggregate of level `lev` from the rows of
  iMeta at level `lev - 1` whose Parent it is), `a_amean`, `a_gmean`;
- R/treat.R: `Treat.data.frame` defaults, `winsorise`, `log_CT`, `skew`, `kurt`, `check_SkewKurt`;
- ranks as COINr's results tables: `rank(-x, ties.method = "min", na.last = "keep")`.
R's `NA` is Python's NaN here.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

NA = float("nan")


def is_na(x: float) -> bool:
    return x != x


def present(x: list[float]) -> list[float]:
    return [v for v in x if not is_na(v)]


# ---------------------------------------------------------------- R/normalise.R


def n_minmax(x: list[float], l_u: tuple[float, float] = (0.0, 100.0)) -> list[float]:
    # (x - minx) / (maxx - minx) * (l_u[2] - l_u[1]) + l_u[1], min/max with na.rm = TRUE
    minx, maxx = min(present(x)), max(present(x))
    out = []
    for v in x:
        if is_na(v) or maxx == minx:  # R: NA stays NA; a zero range gives 0/0 = NaN
            out.append(NA)
        else:
            out.append((v - minx) / (maxx - minx) * (l_u[1] - l_u[0]) + l_u[0])
    return out


def n_zscore(x: list[float], m_sd: tuple[float, float] = (0.0, 1.0)) -> list[float]:
    # (x - mean(x, na.rm = TRUE)) / sd(x, na.rm = TRUE) * m_sd[2] + m_sd[1]; sd divides by n - 1
    vals = present(x)
    mean = sum(vals) / len(vals)
    sd = math.sqrt(sum((v - mean) ** 2 for v in vals) / (len(vals) - 1))
    return [NA if is_na(v) or sd == 0 else (v - mean) / sd * m_sd[1] + m_sd[0] for v in x]


def r_rank_min(x: list[float]) -> list[float]:
    # rank(x, ties.method = "min", na.last = "keep"): 1 + number of values strictly below
    vals = present(x)
    return [NA if is_na(v) else 1.0 + sum(1 for u in vals if u < v) for v in x]


def n_prank(x: list[float]) -> list[float]:
    # rx <- rank(x, ties.method = "min", na.last = "keep"); (rx - 1) / (sum(!is.na(x)) - 1)
    n = len(present(x))
    return [NA if is_na(r) else (r - 1) / (n - 1) for r in r_rank_min(x)]


def normalise_numeric(
    x: list[float], direction: float, method: str, para: tuple[float, float]
) -> list[float]:
    # Normalise.numeric: x <- x * direction, then the normalisation function
    x = [v * direction for v in x]
    if method == "minmax":
        return n_minmax(x, para)
    if method == "zscore":
        return n_zscore(x, para)
    return n_prank(x)


# ---------------------------------------------------------------- R/aggregate.R


def a_amean(x: list[float], w: list[float]) -> float:
    # w <- w[!is.na(x)]; x <- x[!is.na(x)]; if (length(x) == 0) NA; w <- w/sum(w); sum(w*x)
    w = [wi for wi, xi in zip(w, x, strict=True) if not is_na(xi)]
    x = present(x)
    if not x:
        return NA
    total = sum(w)
    w = [wi / total for wi in w]
    return sum(wi * xi for wi, xi in zip(w, x, strict=True))


def a_gmean(x: list[float], w: list[float]) -> float:
    # if any x <= 0: stop; w[is.na(x)] <- NA; exp(sum(w * log(x), na.rm) / sum(w, na.rm))
    if not present(x):
        return NA
    if any(v <= 0 for v in present(x)):
        raise ValueError("Negative or zero values found when applying geometric mean.")
    num = sum(wi * math.log(xi) for wi, xi in zip(w, x, strict=True) if not is_na(xi))
    den = sum(wi for wi, xi in zip(w, x, strict=True) if not is_na(xi))
    return math.exp(num / den)


def aggregate_coin(
    columns: dict[str, list[float]], imeta: list[dict[str, str]], mean: str
) -> dict[str, list[float]]:
    # for (lev in 2:nlev): tapply(iCodes of level lev - 1, their Parent, f_ag with their weights)
    out = dict(columns)
    rows = [r for r in imeta if r["Type"] in ("Indicator", "Aggregate")]
    nlev = max(int(r["Level"]) for r in rows)
    n_units = len(next(iter(columns.values())))
    for lev in range(2, nlev + 1):
        below = [r for r in rows if int(r["Level"]) == lev - 1]
        for parent in dict.fromkeys(r["Parent"] for r in below):
            kids = [r for r in below if r["Parent"] == parent]
            weights = [float(r["Weight"]) for r in kids]
            f = a_amean if mean == "arith" else a_gmean
            out[parent] = [f([out[r["iCode"]][u] for r in kids], weights) for u in range(n_units)]
    return out


def rank_desc(x: list[float]) -> list[float]:
    # rank(-x, ties.method = "min", na.last = "keep"): 1 = highest
    return r_rank_min([NA if is_na(v) else -v for v in x])


# ---------------------------------------------------------------- R/treat.R


def skew(x: list[float]) -> float:
    # e1071 type 2: sqrt(n) * sum(x^3) / sum(x^2)^(3/2) * sqrt(n * (n - 1)) / (n - 2)
    x = present(x)
    n = len(x)
    if n < 3:
        return NA
    mean = sum(x) / n
    d = [v - mean for v in x]
    s2 = sum(v**2 for v in d)
    if s2 == 0:
        return NA
    y = math.sqrt(n) * sum(v**3 for v in d) / s2**1.5
    return y * math.sqrt(n * (n - 1)) / (n - 2)


def kurt(x: list[float]) -> float:
    # r <- n * sum(x^4) / sum(x^2)^2; ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))
    x = present(x)
    n = len(x)
    if n < 4:
        return NA
    mean = sum(x) / n
    d = [v - mean for v in x]
    s2 = sum(v**2 for v in d)
    if s2 == 0:
        return NA
    r = n * sum(v**4 for v in d) / s2**2
    return ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))


def check_skew_kurt(x: list[float], skew_thresh: float = 2, kurt_thresh: float = 3.5) -> bool:
    # (abs(sk) < skew_thresh) | (kt < kurt_thresh); NA makes Treat return x untreated
    sk, kt = skew(x), kurt(x)
    if is_na(sk) or is_na(kt):
        return True
    return abs(sk) < skew_thresh or kt < kurt_thresh


def winsorise(x: list[float], winmax: int = 5) -> tuple[list[float], int, list[str]]:
    x = list(x)
    passing = check_skew_kurt(x)
    nwin = 0
    imax: list[int] = []
    imin: list[int] = []
    while not passing and nwin < winmax:
        if skew(x) >= 0:
            top = max(present(x))
            imax = [i for i, v in enumerate(x) if v == top]
            repl = max(v for i, v in enumerate(x) if i not in imax and not is_na(v))
            for i in imax:
                x[i] = repl
        else:
            bottom = min(present(x))
            imin = [i for i, v in enumerate(x) if v == bottom]
            repl = min(v for i, v in enumerate(x) if i not in imin and not is_na(v))
            for i in imin:
                x[i] = repl
        nwin = len(imax) + len(imin)
        passing = check_skew_kurt(x)
    treated = ["winhi" if i in imax else "winlo" if i in imin else "" for i in range(len(x))]
    return x, nwin, treated


def log_ct(x: list[float]) -> list[float]:
    # log(x - min(x) + 0.01 * (max(x) - min(x)))
    lo, hi = min(present(x)), max(present(x))
    return [NA if is_na(v) else math.log(v - lo + 0.01 * (hi - lo)) for v in x]


def treat_default(x: list[float]) -> tuple[list[float], int, bool]:
    """Treat's default: winsorise (winmax 5); if still failing, log_CT of the original x."""
    if check_skew_kurt(x):
        return list(x), 0, False
    wins, nwin, _ = winsorise(x)
    if check_skew_kurt(wins):
        return wins, nwin, False
    return log_ct(x), 0, True


# ---------------------------------------------------------------- the ASEM files


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def coinr_pipeline(
    idata: Path, imeta: Path, method: str, para: tuple[float, float], mean: str
) -> dict[str, list[float]]:
    """{code: one value per iData row} for every normalised indicator and every aggregate."""
    meta = read_csv(imeta)
    rows = read_csv(idata)
    columns: dict[str, list[float]] = {}
    for m in meta:
        if m["Type"] == "Indicator":
            raw = [NA if r[m["iCode"]] in ("", "NA") else float(r[m["iCode"]]) for r in rows]
            columns[m["iCode"]] = normalise_numeric(raw, float(m["Direction"]), method, para)
    return aggregate_coin(columns, meta, mean)
