"""Before normalising: fill gaps (if asked) and tame outliers, as COINr's Impute and Treat do."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .model import (
    BoolArray,
    FloatArray,
    Framework,
    MissingPolicy,
    ScoringOptions,
    TreatmentReport,
)

# --------------------------------------------------------------------------- missing data


def impute_peer_median(values: FloatArray, peer_groups: tuple[str, ...] | None) -> FloatArray:
    """Fill gaps with the median of the unit's peers: similar places are the best available guess.

    Falls back to the median over all units when a whole peer group lacks the indicator (and when
    there are no peer groups at all).
    """
    out = np.array(values, dtype=np.float64, copy=True)
    missing = np.isnan(out)
    if not missing.any():
        return out
    overall = nanmedian_columns(values)
    if peer_groups is None:
        return np.where(missing, overall[None, :], out)
    labels = np.asarray(peer_groups, dtype=object)
    for label in dict.fromkeys(peer_groups):
        rows = np.flatnonzero(labels == label)
        block = out[rows]
        gaps = np.isnan(block)
        if gaps.any():
            med = nanmedian_columns(block)
            med = np.where(np.isnan(med), overall, med)
            out[rows] = np.where(gaps, med[None, :], block)
    return out


def nanmedian_columns(values: FloatArray) -> FloatArray:
    """Median of each column over its non-missing values (NaN for an empty column).

    One sort instead of numpy's nanmedian, which loops over columns when NaNs are present."""
    srt = np.sort(values, axis=0)  # NaN sorts last
    count = (~np.isnan(values)).sum(axis=0)
    cols = np.arange(values.shape[1])
    lo = np.maximum((count - 1) // 2, 0)
    hi = np.maximum(count // 2, 0)
    med = (srt[lo, cols] + srt[hi, cols]) / 2.0 if values.shape[0] else np.full(cols.size, np.nan)
    return np.where(count > 0, med, np.nan)


# --------------------------------------------------------------------------- outliers

SHAPE_DECIMALS = 9


def skew_kurt_columns(values: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Sample skewness and kurtosis per column over non-missing values, as COINr's `skew` and
    `kurt` (e1071 type 2, like Excel). NaN where undefined (fewer than 4 values, no spread)."""
    valid = ~np.isnan(values)
    n = valid.sum(axis=0).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(valid, values, 0.0).sum(axis=0) / n
    return _shape(np.where(valid, values - mean, 0.0), n)


def skew_kurt(x: FloatArray) -> tuple[float, float]:
    """Skewness and kurtosis of one indicator (see `skew_kurt_columns`)."""
    skew, kurt = skew_kurt_columns(np.asarray(x, dtype=np.float64).reshape(-1, 1))
    return float(skew[0]), float(kurt[0])


def _shape(d: FloatArray, n: FloatArray | float) -> tuple[FloatArray, FloatArray]:
    """Skewness and kurtosis along axis 0 from deviations from the mean (0 where missing)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        d2 = d * d
        s2 = d2.sum(axis=0)
        s3 = (d2 * d).sum(axis=0)
        s4 = (d2 * d2).sum(axis=0)
        skew = np.sqrt(n) * s3 / s2**1.5 * np.sqrt(n * (n - 1)) / (n - 2)
        r = n * s4 / s2**2
        kurt = ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))
    undefined = (n < 4) | (s2 <= 0)
    return np.where(undefined, np.nan, skew), np.where(undefined, np.nan, kurt)


def _skew_kurt_present(v: FloatArray) -> tuple[float, float]:
    """Skewness and kurtosis of values without gaps: the winsorising loop's hot path."""
    skew, kurt = _shape(v - v.mean(), float(v.size))
    return float(skew), float(kurt)


def _fails(skew: float, kurt: float, options: ScoringOptions) -> bool:
    """COINr's check_SkewKurt fails when neither |skew| < 2 nor kurtosis < 3.5 (NaN passes).

    Both are rounded to 9 decimals first: some columns sit exactly on a threshold (0, 0, 0, x
    has a skewness of 2), and the order of the units must not decide by rounding noise."""
    skew, kurt = round(abs(skew), SHAPE_DECIMALS), round(kurt, SHAPE_DECIMALS)
    return skew >= options.skew_threshold and kurt >= options.kurt_threshold


def _winsorise(
    x: FloatArray, shape: tuple[float, float], options: ScoringOptions
) -> tuple[FloatArray, BoolArray, tuple[float, float]]:
    """COINr `winsorise`: pull the extreme value(s) on the skewed side to the next value, one
    step at a time, until the check passes or `winsorise_max_points` points have been pulled.

    Works on the present values only; `shape` is their skewness and kurtosis, and the shape
    after the last step is returned with the values and the cells pulled."""
    ok = ~np.isnan(x)
    v = x[ok]
    high = np.zeros(v.shape, dtype=bool)
    low = np.zeros(v.shape, dtype=bool)
    while int(high.sum() + low.sum()) < options.winsorise_max_points:
        upper = shape[0] >= 0
        hit = v == (v.max() if upper else v.min())
        rest = v[~hit]
        if rest.size == 0:
            break
        v[hit] = rest.max() if upper else rest.min()
        if upper:
            high = hit
        else:
            low = hit
        shape = _skew_kurt_present(v)
        if not _fails(*shape, options):
            break
    out = x.copy()
    out[ok] = v
    changed = np.zeros(x.shape, dtype=bool)
    changed[ok] = high | low
    return out, changed, shape


def _log_ct(x: FloatArray) -> FloatArray:
    """COINr `log_CT`: log(x − min + 0.01·(max − min)); keeps order, shrinks the long tail."""
    lo, hi = np.nanmin(x), np.nanmax(x)
    return np.asarray(np.log(x - lo + 0.01 * (hi - lo)))


def treat_column(
    x: FloatArray,
    code: str,
    options: ScoringOptions,
    shape: tuple[float, float] | None = None,
) -> tuple[FloatArray, BoolArray, TreatmentReport]:
    """COINr `Treat` default on one indicator: winsorise; if that does not pass the skew/kurtosis
    check and `log_fallback` is on, log-transform the original values instead. A few outliers
    should not set the scale for everyone else. `shape`: skewness and kurtosis of `x`, when
    already known."""
    sk0, ku0 = shape if shape is not None else skew_kurt(x)
    out = np.array(x, dtype=np.float64, copy=True)
    changed = np.zeros(out.shape, dtype=bool)
    logged = False
    sk, ku = sk0, ku0
    failing = _fails(sk0, ku0, options)
    if failing:
        out, changed, (sk, ku) = _winsorise(out, (sk0, ku0), options)
        if _fails(sk, ku, options) and options.log_fallback:
            out = _log_ct(np.asarray(x, dtype=np.float64))
            changed = np.zeros(out.shape, dtype=bool)
            logged = True
            sk, ku = skew_kurt(out)
    report = TreatmentReport(
        code=code,
        skew_before=sk0,
        kurt_before=ku0,
        skew_after=sk,
        kurt_after=ku,
        treated=failing,
        points=int(changed.sum()),
        log_transformed=logged,
        fixed=not _fails(sk, ku, options),
    )
    return out, changed, report


def treat(
    values: FloatArray, codes: tuple[str, ...], options: ScoringOptions
) -> tuple[FloatArray, BoolArray, tuple[TreatmentReport, ...]]:
    """Treat every indicator: one vectorised pass measures the shape of every column, and
    `treat_column` is given it, so a column that passes the check is only copied."""
    out = np.array(values, dtype=np.float64, copy=True)
    changed = np.zeros(out.shape, dtype=bool)
    skews, kurts = skew_kurt_columns(out)
    reports: list[TreatmentReport] = []
    for j, code in enumerate(codes):
        shape = float(skews[j]), float(kurts[j])
        out[:, j], changed[:, j], report = treat_column(out[:, j], code, options, shape)
        reports.append(report)
    return out, changed, tuple(reports)


# --------------------------------------------------------------------------- both


@dataclass(frozen=True)
class Prepared:
    """Values ready to normalise, with which cells were imputed or winsorised."""

    treated: FloatArray
    imputed: BoolArray
    winsorised: BoolArray
    reports: tuple[TreatmentReport, ...]


def prepare(
    raw: FloatArray,
    framework: Framework,
    options: ScoringOptions,
    peer_groups: tuple[str, ...] | None,
    missing: MissingPolicy,
) -> Prepared:
    """Impute (if asked) then treat outliers: COINr's order, so treatment sees complete columns."""
    values = raw
    imputed = np.zeros(raw.shape, dtype=bool)
    if missing == "impute_peer_median":
        values = impute_peer_median(raw, peer_groups)
        imputed = np.isnan(raw) & ~np.isnan(values)
    winsorised = np.zeros(raw.shape, dtype=bool)
    reports: tuple[TreatmentReport, ...] = ()
    if options.winsorise:
        values, winsorised, reports = treat(values, framework.indicator_codes, options)
    return Prepared(values, imputed, winsorised, reports)
