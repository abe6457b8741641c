"""Benchmark of the matching engine on seeded synthetic instances in real communities.

Communities are the 50 most populous 2021 census subdivisions (interior points and populations
from src/welcoming/data/geo), people are scattered around each centre in proportion to its size,
and languages follow a settlement-like mix (Arabic, Tagalog, Punjabi, Spanish, Ukrainian,
Tigrinya, Dari, Mandarin, Urdu, French; hosts speak English, or French in Quebec, often with a
second language). Synthetic people, not real ones.

1. 100,000 newcomers x 20,000 hosts (capacity 1-5), K = 50: candidates + scoring + optimal solve
   + blocking pairs + explanations, wall and CPU time per stage (the CPU of this process's
   threads and of its finished workers) and peak memory (ru_maxrss).
   Target: under 10 s wall and 1.5 GB on 2 cores.
2. 10,000 x 2,500: the optimal (min-cost flow) and stable (`matching`'s hospital-resident) runs
   on the same candidates, times and totals side by side.

Run: PYTHONPATH=src python bench/matching.py [--processes N] [--small-only]
(--processes defaults to 2: the target is for 2 cores.)
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

# Run as a script, this file's folder comes first on sys.path, and its name would hide the
# `matching` package the engine uses: drop the folder before importing the engine.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from welcoming.engines.matching import (  # noqa: E402 - after the sys.path fix above
    Host,
    LanguageSkill,
    Newcomer,
    Problem,
    Program,
    Result,
    Solver,
    solve,
)

GEO = Path(__file__).resolve().parents[1] / "src" / "welcoming" / "data" / "geo"
TODAY = date(2026, 12, 6)
FIRST_LANGUAGES = {
    "ara": 0.18,
    "tgl": 0.11,
    "pan": 0.11,
    "spa": 0.11,
    "ukr": 0.11,
    "tir": 0.06,
    "prs": 0.05,
    "cmn": 0.07,
    "urd": 0.06,
    "fra": 0.06,
    "eng": 0.08,
}
NOC_UNIT_GROUPS = (
    "21231", "21232", "21211", "21300", "31301", "31102", "32101", "41200", "41221", "42202",
    "43100", "64100", "65200", "72310", "73300", "75101", "11100", "12200", "13110", "14400",
    "22220", "33102", "44101", "62020", "63200", "94140", "95100", "00012", "10010", "51111",
)  # fmt: skip
INTERESTS = (
    "cooking", "soccer", "music", "hiking", "chess", "gardening", "reading", "cricket",
    "crafts", "volunteering", "faith", "technology",
)  # fmt: skip


def communities(count: int) -> list[Site]:
    """(CSDUID, latitude, longitude, population, in Quebec) of the most populous CSDs."""
    with (GEO / "csd_cma_2021" / "csd_to_cmaca_2021.csv").open(encoding="utf-8") as f:
        population = {r["CSDUID"]: int(r["population_2021"] or 0) for r in csv.DictReader(f)}
    with (GEO / "csd_points_2021" / "csd_points_2021.csv").open(encoding="utf-8") as f:
        points = {
            r["CSDUID"]: (float(r["interior_lat"]), float(r["interior_lon"]), r["PRUID"] == "24")
            for r in csv.DictReader(f)
        }
    largest = sorted(points, key=lambda uid: -population.get(uid, 0))[:count]
    return [(uid, *points[uid][:2], population[uid], points[uid][2]) for uid in largest]


Site = tuple[str, float, float, int, bool]


def _places(
    rng: np.random.Generator, sites: list[Site], n: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    weight = np.array([site[3] for site in sites], dtype=float) ** 0.7
    which = rng.choice(len(sites), size=n, p=weight / weight.sum())
    spread_km = np.array([3.0 + np.sqrt(site[3]) / 150.0 for site in sites])[which]
    lat0 = np.array([site[1] for site in sites])[which]
    lon0 = np.array([site[2] for site in sites])[which]
    lat = lat0 + rng.normal(0, 1, n) * spread_km / 111.0
    lon = lon0 + rng.normal(0, 1, n) * spread_km / (111.0 * np.cos(np.radians(lat0)))
    return which, np.clip(lat, -90, 90), np.clip(lon, -180, 180)


def _availability(rng: np.random.Generator, n: int) -> np.ndarray:
    bits = rng.random((n, 21)) < 0.35
    bits[np.arange(n), rng.integers(0, 21, n)] = True  # everyone is free at least once a week
    return (bits * (1 << np.arange(21))).sum(axis=1)


def _words(rng: np.random.Generator, vocabulary: tuple[str, ...], most: int) -> frozenset[str]:
    return frozenset(rng.choice(vocabulary, size=int(rng.integers(0, most + 1)), replace=False))


def _ages(rng: np.random.Generator, share: float) -> tuple[int, ...]:
    if rng.random() >= share:
        return ()
    return tuple(int(a) for a in rng.integers(0, 18, size=int(rng.integers(1, 4))))


def instance(newcomers: int, hosts: int, sites_count: int, seed: int) -> Problem:
    rng = np.random.default_rng(seed)
    sites = communities(sites_count)
    codes = list(FIRST_LANGUAGES)
    share = np.array(list(FIRST_LANGUAGES.values()))
    out_n = []
    which, lat, lon = _places(rng, sites, newcomers)
    availability = _availability(rng, newcomers)
    first = rng.choice(len(codes), size=newcomers, p=share / share.sum())
    for i in range(newcomers):
        skills = [LanguageSkill(codes[first[i]], 4)]
        if codes[first[i]] != "eng" and rng.random() < 0.75:
            skills.append(LanguageSkill("eng", int(rng.integers(1, 4))))
        if sites[which[i]][4] and codes[first[i]] != "fra" and rng.random() < 0.5:
            skills.append(LanguageSkill("fra", int(rng.integers(1, 4))))
        out_n.append(
            Newcomer(
                id=f"N{i:06d}",
                community=sites[which[i]][0],
                latitude=float(lat[i]),
                longitude=float(lon[i]),
                languages=tuple(skills),
                availability=int(availability[i]),
                online_ok=bool(rng.random() < 0.2),
                requires=frozenset({"women_only"}) if rng.random() < 0.05 else frozenset(),
                noc_code=str(rng.choice(NOC_UNIT_GROUPS)) if rng.random() < 0.7 else None,
                interests=_words(rng, INTERESTS, 4),
                children_ages=_ages(rng, 0.35),
                priority=_words(rng, ("refugee", "single_parent", "isolated_senior"), 1)
                if rng.random() < 0.35
                else frozenset(),
                waiting_days=int(rng.integers(0, 365)),
            )
        )
    out_h = []
    which, lat, lon = _places(rng, sites, hosts)
    availability = _availability(rng, hosts)
    screened = rng.choice(3, size=hosts, p=[0.9, 0.05, 0.05])
    for j in range(hosts):
        quebec = sites[which[j]][4]
        skills = [LanguageSkill("fra" if quebec else "eng", 4)]
        if rng.random() < 0.5:
            skills.append(LanguageSkill("eng" if quebec else "fra", int(rng.integers(2, 5))))
        if rng.random() < 0.35:
            extra = str(rng.choice(codes[:10], p=share[:10] / share[:10].sum()))
            if extra not in {s.code for s in skills}:
                skills.append(LanguageSkill(extra, int(rng.integers(2, 5))))
        out_h.append(
            Host(
                id=f"H{j:06d}",
                community=sites[which[j]][0],
                latitude=float(lat[j]),
                longitude=float(lon[j]),
                languages=tuple(skills),
                availability=int(availability[j]),
                online_ok=bool(rng.random() < 0.3),
                capacity=int(rng.choice([1, 2, 3, 4, 5], p=[0.35, 0.25, 0.2, 0.1, 0.1])),
                max_distance_km=float(rng.choice([5.0, 10.0, 15.0, 25.0, 40.0])),
                screened_until=(
                    TODAY + timedelta(days=400),
                    TODAY - timedelta(days=10),
                    None,
                )[screened[j]],
                trained=bool(rng.random() < 0.95),
                offers=frozenset({"women_only"}) if rng.random() < 0.3 else frozenset(),
                noc_code=str(rng.choice(NOC_UNIT_GROUPS)) if rng.random() < 0.8 else None,
                interests=_words(rng, INTERESTS, 4),
                children_ages=_ages(rng, 0.3),
            )
        )
    return Problem(Program("bench"), tuple(out_n), tuple(out_h), TODAY, seed=seed)


def peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024.0


def cpu_seconds() -> float:
    """CPU time of this process and its finished children: under contention, closer than wall
    time to what an idle machine would take."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run(
    problem: Problem, solver: Solver, processes: int, stage_cpu: dict[str, float] | None = None
) -> tuple[float, dict[str, float], Result, float]:
    timings: dict[str, float] = {}
    start, cpu = time.perf_counter(), cpu_seconds()
    result = solve(
        problem, solver=solver, processes=processes, timings=timings, cpu_timings=stage_cpu
    )
    return time.perf_counter() - start, timings, result, cpu_seconds() - cpu


def load() -> str:
    """The machine's load average (1, 5, 15 min): timings under contention overstate."""
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--small-only", action="store_true")
    options = parser.parse_args()
    if not options.small_only:
        start = time.perf_counter()
        problem = instance(100_000, 20_000, 50, seed=17)
        print(f"generated 100,000 x 20,000 in {time.perf_counter() - start:.1f} s (not counted)")
        print(f"  {load()} before")
        stage_cpu: dict[str, float] = {}
        wall, timings, result, cpu = run(problem, "optimal", options.processes, stage_cpu)
        print(f"  {'stage':<24} {'wall s':>7}   {'CPU s':>7}")
        for stage, seconds in timings.items():
            print(f"  {stage:<24} {seconds:7.2f}   {stage_cpu[stage]:7.2f}")
        print(
            f"  {'total':<24} {wall:7.2f} s   CPU {cpu:.2f} s   peak {peak_mb():.0f} MB   "
            f"processes {options.processes}"
        )
        print(
            f"  {len(result.proposals):,} proposals, {len(result.unmatched):,} unmatched with "
            f"explanations, total score {result.total_score:,.3f}, "
            f"{len(result.blocking_pairs):,} blocking pairs"
        )
        print(f"  {load()} after")
        del problem, result
    problem = instance(10_000, 2_500, 50, seed=17)
    print("10,000 x 2,500, same candidates:")
    header = ("solver", "wall s", "CPU s", "solve s", "total", "pairs", "blocking")
    print("  {:<10} {:>8} {:>8} {:>8} {:>14} {:>7} {:>9}".format(*header))
    solvers: tuple[Solver, ...] = ("optimal", "stable")
    for solver in solvers:
        wall, timings, result, cpu = run(problem, solver, 1)
        print(
            f"  {solver:<10} {wall:8.2f} {cpu:8.2f} {timings[f'solve ({solver})']:8.2f} "
            f"{result.total_score:14,.3f} {len(result.proposals):7,} "
            f"{len(result.blocking_pairs):9,}"
        )


if __name__ == "__main__":
    main()
