"""Serve scorecard pages from PostgreSQL at national scale; print the latency percentiles.

    python bench/scorecard_page.py [--communities 5000] [--indicators 60] [--periods 10]

Builds a fresh database (`--database`, default `welcoming_bench_pages`) with synthetic
communities and indicators (named as such, random values), imports the values through the real
importer, then requests the scorecard page of random communities through Django's test client
(no network), then the chart image of the same pages, which the browser fetches apart. Target
(issue): under 300 ms at the 95th percentile for the page. The first request after a change of
the data scores the whole level (seconds) and keeps it in the `scores` cache; it is reported on
its own line, and so is the first request of another process, which reads that cache.
"""

import argparse
import csv
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.test import Client


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--communities", type=int, default=5_000)
    parser.add_argument("--indicators", type=int, default=60)
    parser.add_argument("--periods", type=int, default=10)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--database", default="welcoming_bench_pages", help="dropped and created")
    args = parser.parse_args()
    database = args.database
    import psycopg

    with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{database}"')
        db.execute(f'CREATE DATABASE "{database}"')
    workdir = Path(tempfile.mkdtemp(prefix="welcoming-bench-"))
    os.environ.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{database}",
        WELCOMING_DATA_DIR=str(workdir),
        DJANGO_SETTINGS_MODULE="welcoming.config.settings.local",  # scores cached in files
        DEBUG="false",
        ALLOWED_HOSTS="testserver",
    )
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from synthetic import synthetic_communities, synthetic_indicator
    from welcoming.accounts.services import operator_user
    from welcoming.core.models import Community
    from welcoming.framework.models import Characteristic, QolrsCategory
    from welcoming.framework.services import framework_load
    from welcoming.indicators.services import value_import
    from welcoming.scorecards import memo

    call_command("migrate", verbosity=0)
    framework_load(actor=operator_user())
    provinces = [
        Community(
            code=f"{10 + p}",
            name_en=f"Synthetic province {p}",
            name_fr=f"Province fictive {p}",
            level="province",
        )
        for p in range(10)
    ]
    for province in provinces:
        province.refresh_derived_fields()
    Community.objects.bulk_create(provinces)
    provinces = list(Community.objects.filter(level="province"))
    rng = random.Random(2026)
    communities = synthetic_communities(
        args.communities,
        parent=lambda c: provinces[c % len(provinces)],
        population=lambda c: rng.randint(500, 500_000),
    )
    Community.objects.bulk_create(communities, batch_size=2000)
    measured = [c for c in Characteristic.objects.order_by("rank") if not c.survey_only]
    category = QolrsCategory.objects.first()
    for i in range(args.indicators):
        indicator = synthetic_indicator(i, category, "lower" if i % 4 == 0 else "higher")
        indicator.save()
        indicator.characteristics.set([measured[i % len(measured)]])
    path = workdir / "values.csv"
    with path.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["community_code", "indicator_code", "period", "value", "status"])
        for c in range(args.communities):
            for i in range(args.indicators):
                for p in range(args.periods):
                    if rng.random() > 0.05:
                        out.writerow(
                            [
                                f"9{c:06d}",
                                f"bench-{i:02d}",
                                2015 + p,
                                f"{rng.uniform(0, 100):.2f}",
                                "",
                            ]
                        )
    started = time.perf_counter()
    value_import(actor=operator_user(), source=path, file_name=path.name, format="tidy")
    print(f"import: {time.perf_counter() - started:.1f} s")
    client = Client()
    latest = str(2015 + args.periods - 1)
    first = time.perf_counter()
    client.get(f"/en/communities/9{0:06d}/scorecard/", {"period": latest})
    print(
        f"first request (scores the level, rank interval and trend): "
        f"{time.perf_counter() - first:.1f} s"
    )
    memo.forget_in_process()
    again = time.perf_counter()
    client.get(f"/en/communities/9{1:06d}/scorecard/", {"period": latest})
    print(
        "first request of another process (reads the scores the first one kept): "
        f"{time.perf_counter() - again:.2f} s"
    )
    codes = [f"9{rng.randrange(args.communities):06d}" for _ in range(args.requests)]
    for name, path in (
        ("scorecard page", "scorecard/"),
        ("its chart image", "scorecard/chart.svg"),
    ):
        timings = sorted(
            _elapsed_ms(client, f"/en/communities/{code}/{path}", latest) for code in codes
        )
        p95 = timings[int(0.95 * (len(timings) - 1))]
        print(
            f"{name}, {args.communities} communities × {args.indicators} indicators × "
            f"{args.periods} periods: median {statistics.median(timings):.0f} ms, "
            f"p95 {p95:.0f} ms, max {timings[-1]:.0f} ms over {len(timings)} requests"
        )


def _elapsed_ms(client: "Client", url: str, period: str) -> float:
    started = time.perf_counter()
    response = client.get(url, {"period": period})
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    return elapsed * 1000


if __name__ == "__main__":
    main()
