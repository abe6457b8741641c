"""Serve the demo data as production does and load it with wrk; print what each page sustains.

    python bench/web_load.py [--workers 4] [--seconds 12] [--checkout PATH] [--pages NAME,...]

Starts gunicorn with the production settings (`welcoming.config.gunicorn`, static files served
by WhiteNoise) on PostgreSQL with the demo data, in a database of its own (`--database`, default
`welcoming_bench`: created, migrated and loaded with `welcoming demo` the first time, a few
minutes; reused after that) and a data directory of its own (`var/bench`: the scores cache and
the collected static files). It warms every page, then drives wrk (2 threads, 8 connections) at
each page alone and at a mix of them, and prints requests/s, the 50th/95th/99th percentile
latency and the errors (connection errors, timeouts and any answer other than 2xx/3xx): for each
page, for the mix, and for each page within the mix (its latency there is the server's own, from
gunicorn's access log). The last column, the CPU time gunicorn's processes spent per request
(from /proc, requests a run left queued included), hardly changes when other programs share the
machine, unlike requests/s and latencies: on two cores of its own, with PostgreSQL beside it,
the server sustains somewhat less than 2,000 / (CPU ms per request) requests/s.

`--checkout PATH` serves another checkout's code (e.g. a worktree of main, to compare before and
after) with the same database, data directory and load.

wrk rather than locust: on a 2-core machine a load generator competes with the server for the
cores, and locust's Python workers need about a core of their own to send 200 requests/s; wrk
(C, epoll) sends thousands with a few percent of one. The API's rate limit is turned off for the
run (every request comes from one address), and HTTPS redirection too (wrk speaks plain HTTP on
the loopback, where a proxy would have ended TLS).
"""

import argparse
import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FINDER = "employment-opportunities=3&affordable-housing=3&safety=2&public-transit=1&size=large"
# (name, path, weight in the mix): the pages, both languages, a few places of each kind.
PAGES = [
    ("home", "/en/", 12),
    ("search", "/en/communities/?q=Mont", 10),
    ("profile", "/en/communities/3520005/", 6),
    ("profile-fr", "/fr/communities/2466023/", 4),
    ("profile-cma", "/en/communities/933/", 4),
    ("scorecard-cma", "/en/communities/535/scorecard/", 8),
    ("scorecard-cma-fr", "/fr/communities/462/scorecard/", 5),
    ("scorecard-csd", "/en/communities/3520005/scorecard/", 8),
    ("scorecard-csd-fr", "/fr/communities/2466023/scorecard/", 5),
    ("compare", "/en/compare/?level=cma&province=35", 8),
    ("finder", f"/en/find-a-community/?{FINDER}", 8),
    ("api-scorecard", "/api/v1/scorecards/535", 10),
    ("api-scorecard-csd", "/api/v1/scorecards/4806016", 5),
    ("pdf", "/en/communities/535/scorecard.pdf", 1),
]
REPORT = """
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %f, "p50": %f, "p95": %f, "p99": %f, "errors": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.timeout + e.status))
end
"""
MIX = """
local paths = {%s}
local threads = 0
function setup(thread) threads = threads + 1; thread:set("id", threads) end
function init(args) math.randomseed(id * 7919) end
function request() return wrk.format("GET", paths[math.random(#paths)]) end
"""
ACCESS_FORMAT = '%(h)s "%(r)s" %(s)s %(B)s %(D)sus'  # config/gunicorn.py's, for any checkout
ACCESS_LINE = re.compile(r'"GET (\S+) HTTP/[\d.]+" (\d{3}) \S+ (\d+)us')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="welcoming_bench")
    parser.add_argument("--data-dir", type=Path, default=ROOT / "var" / "bench")
    parser.add_argument("--checkout", type=Path, default=ROOT, help="the code to serve")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=18_090)
    parser.add_argument("--seconds", type=int, default=12, help="per page, and for the mix")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--pages", default="", help="comma-separated names; default all")
    parser.add_argument("--no-mix", action="store_true")
    parser.add_argument(
        "--no-page-cache", action="store_true", help="draw every page (core/pages.py off)"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (apt-get install wrk).")
    pages = [p for p in PAGES if not args.pages or p[0] in args.pages.split(",")]
    env = _environment(args)
    _prepare(args, env)
    log = args.data_dir / "gunicorn-access.log"
    server = _start(args, env, log)
    try:
        base = f"http://127.0.0.1:{args.port}"
        print(f"Warming {len(PAGES)} pages on {args.workers} workers…", flush=True)
        _warm(base, args.workers)
        rows = []
        for name, path, _weight in pages:
            rows.append((name, _measured(args, server.pid, base, path)))
        _print_table(
            f"Each page alone ({args.threads} threads, {args.connections} connections)", rows
        )
        if not args.no_mix:
            offset = log.stat().st_size
            mix = _measured(args, server.pid, base, "/", script=_mix_script())
            _print_table("The mix (weights: " + _weights() + ")", [("mix", mix)])
            _print_table("Pages within the mix (server time)", _within_mix(log, offset, mix))
    finally:
        server.terminate()
        server.wait(timeout=60)


def _environment(args: argparse.Namespace) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="welcoming.config.settings.production",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{args.database}",
        WELCOMING_DATA_DIR=str(args.data_dir),
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        RATELIMIT_API="",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(args.checkout / "src"),
    )
    if args.no_page_cache:
        env["PAGES_CACHE_URL"] = "dummycache://"
    return env


def _welcoming(env: dict[str, str], *arguments: str) -> None:
    command = [sys.executable, "-m", "django", *arguments]
    subprocess.run(command, env=env, check=True, cwd=ROOT)


def _prepare(args: argparse.Namespace, env: dict[str, str]) -> None:
    """The database (created and loaded once), the scores warmed, the static files collected."""
    import psycopg

    args.data_dir.mkdir(parents=True, exist_ok=True)
    server = "postgres://postgres@127.0.0.1:5432/"
    with psycopg.connect(server + "postgres", autocommit=True) as db:
        found = db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [args.database])
        if found.fetchone() is None:
            db.execute(f'CREATE DATABASE "{args.database}"')
    _welcoming(env, "migrate", "--no-input", "-v0")
    with psycopg.connect(server + args.database) as db:
        loaded = db.execute("SELECT count(*) FROM indicators_indicatorvalue").fetchone()
    if not loaded or not loaded[0]:
        print("Loading the demo data (a few minutes, once)…", flush=True)
        _welcoming(env, "demo", "--allow-production")
    _welcoming(env, "warm_scorecards")
    if not (args.data_dir / "static" / "staticfiles.json").exists():
        print("Collecting and compressing the static files (a minute or two, once)…", flush=True)
        _welcoming(env, "collectstatic", "--no-input", "-v0")


def _start(args: argparse.Namespace, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    config = args.checkout / "src" / "welcoming" / "config" / "gunicorn.py"
    command = [sys.executable, "-m", "gunicorn"]
    command += ["-c", "python:welcoming.config.gunicorn"] if config.exists() else []
    command += ["--bind", f"127.0.0.1:{args.port}", "--workers", str(args.workers)]
    command += ["--preload", "--timeout", "120", "--no-control-socket"]
    command += ["--access-logfile", str(log), "--access-logformat", ACCESS_FORMAT]
    command += ["welcoming.config.wsgi"]
    server = subprocess.Popen(command, env=env, cwd=ROOT)
    for _attempt in range(120):
        time.sleep(1)
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped at start (status {server.returncode}).")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{args.port}/en/", timeout=30):
                return server
        except OSError:
            continue
    server.terminate()
    sys.exit("gunicorn did not answer within two minutes.")


def _measured(
    args: argparse.Namespace, master: int, base: str, path: str, script: str = ""
) -> dict[str, float]:
    """One wrk run, with the server's CPU time per request (what contention does not change)."""
    cpu = _server_cpu_seconds(master)
    found = _wrk(args, base + path, seconds=args.seconds, script=script)
    _drain(base)
    found["cpu_ms"] = (_server_cpu_seconds(master) - cpu) * 1000 / max(found["requests"], 1)
    return found


def _warm(base: str, workers: int) -> None:
    """Each page several times per worker, waiting for every answer: a worker's first page of a
    level reads the level's scores (a second or so), its first chart starts the renderer."""

    def get(path: str) -> None:
        with urllib.request.urlopen(base + path, timeout=300) as response:
            response.read()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        for _name, path, _weight in PAGES:
            list(pool.map(get, [path] * workers * 3))


def _server_cpu_seconds(master: int) -> float:
    """CPU time (user + system) of gunicorn's master and its workers, from /proc (Linux)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        pid, parent = int(stat.parent.name), int(fields[1])
        if master in (pid, parent):
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def _drain(base: str) -> None:
    """Wait until the server has answered what an ended run left queued."""
    with urllib.request.urlopen(base + "/en/", timeout=600) as response:
        response.read()


def _wrk(args: argparse.Namespace, url: str, *, seconds: int, script: str = "") -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script + REPORT)
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{seconds}s"]
    command += ["--timeout", "10s", "-s", lua.name, url]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    Path(lua.name).unlink()
    found: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    found["rate"] = found["requests"] / found["seconds"]
    return found


def _mix_script() -> str:
    paths = [path for _name, path, weight in PAGES for _ in range(weight)]
    return MIX % ", ".join(json.dumps(p) for p in paths)


def _weights() -> str:
    total = sum(weight for _name, _path, weight in PAGES)
    return ", ".join(f"{name} {weight * 100 / total:.0f} %" for name, _path, weight in PAGES)


def _within_mix(log: Path, offset: int, mix: dict[str, float]) -> list[tuple[str, dict]]:
    names = {path: name for name, path, _weight in PAGES}
    times: dict[str, list[float]] = {name: [] for name, _path, _weight in PAGES}
    errors = dict.fromkeys(times, 0)
    with log.open() as handle:
        handle.seek(offset)
        for line in handle:
            found = ACCESS_LINE.search(line)
            if found is None or found.group(1) not in names:
                continue
            name = names[found.group(1)]
            times[name].append(int(found.group(3)) / 1000)
            errors[name] += found.group(2)[0] not in "23"
    rows = []
    for name, found in times.items():
        if not found:
            continue
        found.sort()
        rows.append(
            (
                name,
                {
                    "rate": len(found) / mix["seconds"],
                    "p50": statistics.median(found),
                    "p95": found[int(0.95 * (len(found) - 1))],
                    "p99": found[int(0.99 * (len(found) - 1))],
                    "errors": errors[name],
                },
            )
        )
    return rows


def _print_table(title: str, rows: list[tuple[str, dict]]) -> None:
    print(f"\n{title}")
    header = f"{'page':<20}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}"
    print(header + (f"{'CPU ms/req':>12}" if rows and "cpu_ms" in rows[0][1] else ""))
    for name, found in rows:
        cpu = f"{found['cpu_ms']:>12.1f}" if "cpu_ms" in found else ""
        print(
            f"{name:<20}{found['rate']:>9.0f}{found['p50']:>9.1f}{found['p95']:>9.1f}"
            f"{found['p99']:>9.1f}{int(found['errors']):>8}{cpu}"
        )


if __name__ == "__main__":
    main()
