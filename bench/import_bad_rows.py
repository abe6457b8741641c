"""What a hostile file costs to refuse: peak memory and time, through the service and the API.

    python bench/import_bad_rows.py            # files of 50 MB; a fresh SQLite file in a temp dir
    python bench/import_bad_rows.py --mb 20

Each case runs in a fresh process, so that its peak resident memory (ru_maxrss) is its own; the
figure printed beside it is the peak minus the process's memory just before the import (Django,
the database's codes, and through the API the request body the test client holds). Target
(issue 16): a 50 MB file of bad rows refused in under 300 MB. A good file of the same size, read
as a dry run, is the yardstick: refusing should cost no more than reading.
The communities and indicators are synthetic and named so.

Measured on a shared 2-core machine (loaded by other jobs), 2026-12-06, files of 50 MB:

    case                         through   seconds  peak MB    +MB  outcome
    bad rows (CSV)               service      17.9      100      3  refused: 5,320,000 errors
    bad rows (CSV)               api          16.0      254     98  HTTP 422, 107 KB answered
    good rows, dry run (CSV)     service      30.5      703    606  read 1,673,000 rows
    good rows, dry run (CSV)     api          33.4      857    701  HTTP 200
    one line of commas (CSV)     service       0.3      100      3  refused at line 2
    one line of commas (CSV)     api           0.8      253     98  HTTP 422
    unclosed quote (CSV)         service       0.1       51      2  refused at line 2
    unclosed quote (CSV)         api           0.1      109      1  HTTP 422
    300,000 bad rows (XLSX)      service      91.2      104     50  refused: 1,500,000 errors
    300,000 bad rows (XLSX)      api          80.5      158     46  HTTP 422, 100 KB answered

(Through the API, the test client holds the 50 MB request body, in the baseline and the peak.)
Before issue 16, a 10 MB file of bad rows peaked at 2.1 GB and answered 184 MB of errors.
"""

import argparse
import csv
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from welcoming.accounts.services import operator_user

COMMUNITIES, INDICATORS = 5_000, 20
HEADER = ["community_code", "indicator_code", "period", "value", "status"]


def _setup(workdir: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["WELCOMING_DATA_DIR"] = str(workdir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "welcoming.config.settings.local"
    os.environ["DEBUG"] = "false"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django

    django.setup()


def _write_csv(path: Path, size: int, row: "callable") -> None:  # type: ignore[valid-type]
    rng = random.Random(2026)
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        while handle.tell() < size:
            for _ in range(1000):
                out.writerow(row(rng))


def _bad_row(rng: random.Random) -> list[str]:
    """Every column wrong: an unknown community and indicator, a bad period, value, status."""
    return [f"8{rng.randrange(10**6):06d}", "no-such-indicator", "last year", "n/a", "maybe"]


def _good_rows() -> "callable":  # type: ignore[valid-type]
    """Rows with distinct keys: community, indicator and period counted through in turn."""
    counter = iter(range(10**9))

    def row(rng: random.Random) -> list[str]:
        n = next(counter)
        c, i, year = n % COMMUNITIES, (n // COMMUNITIES) % INDICATORS, 1900 + n // 100_000
        return [f"9{c:06d}", f"bench-{i:02d}", str(year), f"{rng.uniform(0, 100):.2f}", ""]

    return row


def _hostile_xlsx(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER)
    for _ in range(rows):
        sheet.append(["x", "y", "z", "w", "v"])
    book.save(path)


def _prepare(workdir: Path, size: int) -> dict[str, Path]:
    from django.core.management import call_command

    from synthetic import synthetic_communities, synthetic_indicator
    from welcoming.core.models import Community
    from welcoming.framework.models import QolrsCategory
    from welcoming.framework.services import framework_load

    call_command("migrate", verbosity=0)
    framework_load(actor=operator_user())
    category = QolrsCategory.objects.get(code="demographics")
    Community.objects.bulk_create(synthetic_communities(COMMUNITIES), batch_size=1000)
    from welcoming.indicators.models import Indicator

    Indicator.objects.bulk_create([synthetic_indicator(i, category) for i in range(INDICATORS)])
    files = {
        "bad rows (CSV)": workdir / "bad.csv",
        "good rows, dry run (CSV)": workdir / "good.csv",
        "one line of commas (CSV)": workdir / "commas.csv",
        "unclosed quote (CSV)": workdir / "quote.csv",
        "300,000 bad rows (XLSX)": workdir / "hostile.xlsx",
    }
    _write_csv(files["bad rows (CSV)"], size, _bad_row)
    _write_csv(files["good rows, dry run (CSV)"], size, _good_rows())
    files["one line of commas (CSV)"].write_text(",".join(HEADER) + "\n" + "," * size)
    files["unclosed quote (CSV)"].write_text(
        ",".join(HEADER) + '\n9000000,bench-00,2021,"1\n' + "9000000,bench-00,2021,1,\n" * 1000
    )
    _hostile_xlsx(files["300,000 bad rows (XLSX)"], 300_000)
    return files


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _run_case(path: Path, through: str) -> dict[str, object]:
    """In the child process: one import, its outcome, its time and its memory."""
    from welcoming.indicators.services import ImportRejected, value_import

    dry_run = path.name == "good.csv"
    raw = path.read_bytes()
    if through == "service":
        baseline = _rss_mb()
        started = time.perf_counter()
        try:
            report = value_import(
                actor=operator_user(),
                source=io.BytesIO(raw),
                file_name=path.name,
                format="tidy",
                dry_run=dry_run,
            )
            outcome = f"read {report.rows_read:,} rows"
        except ImportRejected as rejected:
            outcome = f"refused: {rejected.count:,} errors, {len(rejected.errors)} listed"
        elapsed = time.perf_counter() - started
        return {"outcome": outcome, "seconds": elapsed, "peak": _rss_mb(), "baseline": baseline}
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from welcoming.accounts.models import User
    from welcoming.accounts.services import api_token_create

    user = User.objects.filter(username="bench-operator").first()
    user = user or User.objects.create_superuser("bench-operator", password=None)
    _token, secret = api_token_create(user=user, name="bench")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    upload = SimpleUploadedFile(path.name, raw)
    del raw
    client.get("/api/v1/accounts/me")  # the first request imports every view: not the file's
    baseline = _rss_mb()
    started = time.perf_counter()
    response = client.post(
        "/api/v1/imports",
        {"file": upload, "format": "tidy", "dry_run": "true" if dry_run else "false"},
    )
    elapsed = time.perf_counter() - started
    body = response.content
    return {
        "outcome": f"HTTP {response.status_code}, {len(body) / 1e3:,.0f} KB answered",
        "seconds": elapsed,
        "peak": _rss_mb(),
        "baseline": baseline,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=50)
    parser.add_argument("--case", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--through", choices=["service", "api"], help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:  # a child: one case
        _setup(args.workdir)
        print(json.dumps(_run_case(args.case, args.through)))
        return
    if args.workdir:  # a child: the database and the files
        _setup(args.workdir)
        files = _prepare(args.workdir, args.mb * 1_000_000)
        print(json.dumps({name: str(path) for name, path in files.items()}))
        return
    # Linux keeps a process's peak memory across fork and exec: the parent stays small, so
    # that each child's peak is its own.
    workdir = Path(tempfile.mkdtemp(prefix="welcoming-bench-"))
    prepared = subprocess.run(
        [sys.executable, __file__, "--mb", str(args.mb), "--workdir", str(workdir)],
        capture_output=True,
        text=True,
        check=True,
    )
    files = {
        name: Path(path)
        for name, path in json.loads(prepared.stdout.strip().splitlines()[-1]).items()
    }
    print(f"files of {args.mb} MB (XLSX: {files['300,000 bad rows (XLSX)'].stat().st_size:,} B)")
    print(f"{'case':<28} {'through':<8} {'seconds':>8} {'peak MB':>8} {'+MB':>6}  outcome")
    for name, path in files.items():
        for through in ("service", "api"):
            child = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--case",
                    str(path),
                    "--through",
                    through,
                    "--workdir",
                    str(workdir),
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            figures = json.loads(child.stdout.strip().splitlines()[-1])
            grown = figures["peak"] - figures["baseline"]
            print(
                f"{name:<28} {through:<8} {figures['seconds']:>8.1f} {figures['peak']:>8.0f} "
                f"{grown:>6.0f}  {figures['outcome']}"
            )


if __name__ == "__main__":
    main()
