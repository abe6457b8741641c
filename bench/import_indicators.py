"""Import 1,000,000 tidy indicator values through the real importer; print values/s and memory.

    python bench/import_indicators.py --database sqlite      # a fresh SQLite file in a temp dir
    python bench/import_indicators.py --database postgres    # a fresh database welcoming_bench

Targets (issue): at least 50,000 values/s on PostgreSQL and 25,000/s on SQLite, under 1 GB peak.
The communities and indicators are synthetic and named so; the data are random numbers.
"""

import argparse
import csv
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

COMMUNITIES, INDICATORS, PERIODS = 5_000, 20, 10


def _database_url(kind: str, workdir: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{workdir / 'bench.sqlite3'}"
    import psycopg

    with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
        db.execute("DROP DATABASE IF EXISTS welcoming_bench")
        db.execute("CREATE DATABASE welcoming_bench")
    return "postgres://postgres@127.0.0.1:5432/welcoming_bench"


def _write_file(path: Path, values: int) -> None:
    rng = random.Random(2026)
    periods = [str(2015 + p) for p in range(PERIODS)]
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["community_code", "indicator_code", "period", "value", "status"])
        written = 0
        for c in range(COMMUNITIES):
            for i in range(INDICATORS):
                for period in periods:
                    if written == values:
                        return
                    out.writerow(
                        [f"9{c:06d}", f"bench-{i:02d}", period, f"{rng.uniform(0, 100):.2f}", ""]
                    )
                    written += 1


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--values", type=int, default=COMMUNITIES * INDICATORS * PERIODS)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="welcoming-bench-"))
    os.environ["DATABASE_URL"] = _database_url(args.database, workdir)
    os.environ["WELCOMING_DATA_DIR"] = str(workdir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "welcoming.config.settings.local"
    os.environ["DEBUG"] = "false"
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    from synthetic import synthetic_communities, synthetic_indicator
    from welcoming.accounts.services import operator_user
    from welcoming.core.models import Community
    from welcoming.framework.models import QolrsCategory
    from welcoming.framework.services import framework_load
    from welcoming.indicators.models import Indicator, IndicatorValue
    from welcoming.indicators.services import value_import

    call_command("migrate", verbosity=0)
    framework_load(actor=operator_user())
    category = QolrsCategory.objects.get(code="demographics")
    Community.objects.bulk_create(synthetic_communities(COMMUNITIES), batch_size=1000)
    Indicator.objects.bulk_create([synthetic_indicator(i, category) for i in range(INDICATORS)])
    path = workdir / "values.csv"
    _write_file(path, args.values)
    size_mb = path.stat().st_size / 1e6

    started = time.perf_counter()
    report = value_import(actor=operator_user(), source=path, file_name=path.name, format="tidy")
    first = time.perf_counter() - started
    started = time.perf_counter()
    again = value_import(actor=operator_user(), source=path, file_name=path.name, format="tidy")
    second = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert report.values_created == args.values == IndicatorValue.objects.count()
    assert again.values_created == again.values_updated == 0
    print(f"database: {args.database}; file: {args.values:,} values, {size_mb:.0f} MB")
    print(f"first import: {first:.1f} s = {args.values / first:,.0f} values/s")
    print(
        f"same file again (nothing to write): {second:.1f} s = {args.values / second:,.0f} values/s"
    )
    print(f"peak memory (whole process): {peak_mb:,.0f} MB")


if __name__ == "__main__":
    main()
