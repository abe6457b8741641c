"""Benchmark of the scoring engine at national scale (seeded synthetic data).

5,000 units × 60 indicators (→ 17 characteristics → 4 groups → overall, plus a 6-category
secondary grouping) × 10 periods with ~5 % missing values. Every period runs the full pipeline
(peer-median imputation, outlier treatment, min–max, aggregation, ranks and peer ranks); then
look-alikes (k = 10 nearest by 6 demographic features) and 1,000 Monte Carlo draws on one period.
Prints wall time per stage, total wall and CPU time, and peak memory (ru_maxrss).
Target: under 3 s wall and 1.5 GB on 2 cores. Run: PYTHONPATH=src python bench/scoring.py
"""

from __future__ import annotations

import resource
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import numpy as np

from welcoming.engines.scoring import (
    Dataset,
    Framework,
    IndicatorMeta,
    Node,
    ScoringOptions,
    UncertaintyOptions,
    monte_carlo,
    score,
    similar_units,
)
from welcoming.engines.scoring import pipeline as stages

UNITS, INDICATORS, CHARACTERISTICS, GROUPS, PERIODS, DRAWS = 5000, 60, 17, 4, 10, 1000
SEED = 42

timings: dict[str, float] = defaultdict(float)


def timed(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            timings[name] += time.perf_counter() - start

    return wrapper


# The stages `score` runs, timed in place: the bench measures the real pipeline, once.
stages.prepare = timed("impute + treat", stages.prepare)
stages.normalise = timed("normalise", stages.normalise)
stages.aggregate_levels = timed("aggregate", stages.aggregate_levels)
stages.rank_levels = timed("ranks + peer ranks", stages.rank_levels)


def build(seed: int = SEED) -> tuple[Framework, list[Dataset], np.ndarray]:
    rng = np.random.default_rng(seed)
    nodes = [Node("overall", None, level=4)]
    nodes += [Node(f"G{g}", "overall", level=3) for g in range(GROUPS)]
    nodes += [Node(f"C{c:02d}", f"G{c % GROUPS}", level=2) for c in range(CHARACTERISTICS)]
    indicators = tuple(
        IndicatorMeta(
            f"I{i:02d}",
            parent=f"C{i % CHARACTERISTICS:02d}",
            direction=-1 if i % 5 == 0 else 1,
            weight=float(1 + i % 3),
            group=f"Q{i % 6}",
        )
        for i in range(INDICATORS)
    )
    framework = Framework(indicators, tuple(nodes))
    units = tuple(f"U{u:05d}" for u in range(UNITS))
    peers = tuple(f"P{int(p)}" for p in rng.integers(0, 8, UNITS))
    base = rng.lognormal(3.0, 0.6, (UNITS, INDICATORS))
    base[:, ::7] **= 1.6  # a few long-tailed indicators, for the outlier treatment to find
    periods = []
    for _ in range(PERIODS):
        values = base * rng.lognormal(0.0, 0.1, base.shape)
        values[rng.random(values.shape) < 0.05] = np.nan
        periods.append(Dataset(units, framework.indicator_codes, values, peers))
    demographics = rng.normal(size=(UNITS, 6)) * [1, 10, 100, 1, 5, 0.1]
    return framework, periods, demographics


def main() -> None:
    wall0, cpu0 = time.perf_counter(), time.process_time()
    framework, periods, demographics = build()
    timings["synthetic data"] = time.perf_counter() - wall0
    options = ScoringOptions(winsorise=True, missing="impute_peer_median")
    start = time.perf_counter()
    results = [score(data, framework, options) for data in periods]
    pipeline = time.perf_counter() - start
    start = time.perf_counter()
    look_alikes = similar_units(demographics, 10, periods[0].units)
    timings["look-alikes (k = 10)"] = time.perf_counter() - start
    start = time.perf_counter()
    mc = monte_carlo(periods[0], framework, options, UncertaintyOptions(draws=DRAWS, seed=1))
    timings[f"monte carlo × {DRAWS}"] = time.perf_counter() - start
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if sys.platform == "darwin":  # bytes there, kilobytes on Linux
        peak_mb /= 1024

    print(f"{UNITS} units × {INDICATORS} indicators × {PERIODS} periods, {DRAWS} draws")
    for name in ("synthetic data", "impute + treat", "normalise", "aggregate"):
        print(f"  {name:24s} {timings[name]:6.3f} s")
    print(f"  {'ranks + peer ranks':24s} {timings['ranks + peer ranks']:6.3f} s")
    print(f"  {'pipeline, all periods':24s} {pipeline:6.3f} s  ({pipeline / PERIODS:.3f} s/period)")
    for name in ("look-alikes (k = 10)", f"monte carlo × {DRAWS}"):
        print(f"  {name:24s} {timings[name]:6.3f} s")
    print(f"  {'total (wall)':24s} {wall:6.3f} s   cpu {cpu:.3f} s")
    print(f"  {'peak memory':24s} {peak_mb:6.0f} MB")
    treated = sum(r.treated for r in results[0].treatment)
    top = results[-1].score("overall")
    print(
        f"check: {treated} indicators treated; {int(np.isnan(top).sum())} units without an overall"
        f" score; neighbours {look_alikes.neighbours.shape}; sensitivity "
        + ", ".join(f"{k} {v:.3f}" for k, v in mc.sensitivity.items())
    )


if __name__ == "__main__":
    main()
