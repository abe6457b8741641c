"""Search 100,000 bilingual services across Canada; print the latency percentiles.

    python bench/directory_search.py [--services 100000] [--queries 1000] [--backend BACKEND]
        [--mode both|selector|http] [--keep DIR] [--reindex]

Without `--backend`, runs itself once on SQLite (a fresh file) and once on PostgreSQL (a fresh
database `--database` on DATABASE_URL's server, default postgres://postgres@127.0.0.1:5432/,
skipped when it cannot be reached). Each run builds a seeded synthetic directory (every service
is marked as a synthetic sample): services at the points of real 2021 census subdivisions
(`src/welcoming/data/geo/csd_points_2021/`), a third of them in English only, tagged with the
newcomer-services taxonomy, with languages, costs, hours and some online; then asks 1,000 mixed
queries (words in English or French, with or without accents, some misspelt; filters; near a
place, with or without words) at the selector (`service_search`) and over HTTP (the search page,
through Django's test client, no network). Targets (issue 18): p95 under 30 ms at the selector,
under 100 ms over HTTP.

Figures are printed per kind of query (words; words and a filter; filters only; near a place;
open now, asked at `--at`, a weekday morning by default) and overall: wall-clock median and p95,
and CPU time of this process (the database server's time on PostgreSQL is not in it). `--keep
DIR` keeps the SQLite file in DIR and the PostgreSQL database between runs and builds the
directory only when it is empty (the search rows are rewritten when `--reindex` is given or
their count is not the services').
"""

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from datetime import time as clock
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CSD_POINTS = ROOT / "src/welcoming/data/geo/csd_points_2021/csd_points_2021.csv"
SEED = 2026

# (taxonomy code, English name, French name, words a person types in English, in French)
NEEDS = [
    ("settlement", "Settlement help", "Aide à l'établissement", "settlement", "établissement"),
    (
        "language-linc-clic",
        "English classes (LINC)",
        "Cours de français (CLIC)",
        "english",
        "cours",
    ),
    ("employment-job-search", "Job search help", "Aide à la recherche d'emploi", "job", "emploi"),
    (
        "employment-credentials",
        "Credential recognition",
        "Reconnaissance des titres",
        "credentials",
        "titres",
    ),
    ("housing-search", "Housing help", "Aide au logement", "housing", "logement"),
    (
        "health-community-centre",
        "Community health centre",
        "Centre de santé communautaire",
        "health",
        "santé",
    ),
    (
        "health-mental-health",
        "Mental health support",
        "Soutien en santé mentale",
        "mental",
        "mentale",
    ),
    (
        "education-swis",
        "Settlement Workers in Schools",
        "Travailleurs d'établissement dans les écoles",
        "schools",
        "écoles",
    ),
    (
        "libraries",
        "Library settlement partnership",
        "Partenariat bibliothèque-établissement",
        "library",
        "bibliothèque",
    ),
    (
        "legal-immigration",
        "Immigration legal clinic",
        "Clinique juridique en immigration",
        "legal",
        "juridique",
    ),
    (
        "interpretation",
        "Interpretation services",
        "Services d'interprétation",
        "interpretation",
        "interprétation",
    ),
    ("welcome-centres", "Welcome Centre", "Centre d'accueil", "welcome", "accueil"),
    (
        "connections-mentoring",
        "Mentoring for newcomers",
        "Mentorat pour nouveaux arrivants",
        "mentoring",
        "mentorat",
    ),
    (
        "families-parenting",
        "Parenting and early years",
        "Parentalité et petite enfance",
        "parenting",
        "parentalité",
    ),
    ("youth", "Newcomer youth program", "Programme jeunesse", "youth", "jeunesse"),
    ("seniors", "Seniors' circle", "Cercle des aînés", "seniors", "aînés"),
    ("women", "Newcomer women's group", "Groupe de femmes nouvelles arrivantes", "women", "femmes"),
    ("refugees", "Refugee support", "Soutien aux réfugiés", "refugee", "réfugiés"),
]
LANGUAGES = ["ara", "spa", "zho", "pan", "tgl", "ukr", "fas", "por", "som", "tir", "urd", "hin"]
TYPOS = {"housing": "housng", "logement": "logment", "emploi": "emploie", "health": "helth"}


@dataclass(frozen=True)
class Point:
    name: str
    latitude: float
    longitude: float


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"])
    parser.add_argument("--database", default="welcoming_bench_directory", help="dropped, created")
    parser.add_argument("--mode", choices=["both", "selector", "http"], default="both")
    parser.add_argument("--keep", type=Path, help="keep the databases (SQLite file in this folder)")
    parser.add_argument("--reindex", action="store_true", help="rewrite the search rows (--keep)")
    parser.add_argument(
        "--at",
        default="2026-12-08T11:00",
        help="the local time 'open now' is asked at (default: a Tuesday morning, most open)",
    )
    args = parser.parse_args()
    if args.backend is None:
        for backend in ("sqlite", "postgresql"):
            subprocess.run([sys.executable, __file__, *sys.argv[1:], "--backend", backend])
        return
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="welcoming-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    if args.backend == "postgresql":
        server = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
        server = server.rsplit("/", 1)[0]
        try:
            import psycopg

            with psycopg.connect(f"{server}/postgres", autocommit=True) as db:
                exists = db.execute(
                    "SELECT 1 FROM pg_database WHERE datname = %s", [args.database]
                ).fetchone()
                if not (args.keep and exists):
                    db.execute(f'DROP DATABASE IF EXISTS "{args.database}"')
                    db.execute(f'CREATE DATABASE "{args.database}"')
        except Exception as error:  # no server: say so, the SQLite figures stand
            print(f"PostgreSQL: skipped ({error})")
            return
        url = f"{server}/{args.database}"
    else:
        url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.update(
        DATABASE_URL=url,
        WELCOMING_DATA_DIR=str(workdir),
        DJANGO_SETTINGS_MODULE="welcoming.config.settings.test",
        ALLOWED_HOSTS="testserver",
    )
    # This folder's matching.py would hide the `matching` package that the app imports.
    sys.path[:] = [str(ROOT / "src")] + [p for p in sys.path if Path(p).resolve() != ROOT / "bench"]
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from welcoming.directory.models import Service
    from welcoming.directory.search_index import ServiceSearchEntry, service_search_entries_refresh

    rng = random.Random(SEED)
    points = _csd_points()
    started = time.perf_counter()
    if not Service.objects.exists():
        _build(args.services, points, rng)
        print(f"{args.backend}: built {args.services:,} services in {_since(started)}")
    elif args.reindex or ServiceSearchEntry.objects.count() != Service.objects.count():
        service_search_entries_refresh()
        print(f"{args.backend}: reindexed in {_since(started)}")
    if args.backend == "postgresql":
        # What autovacuum does on a live server after a bulk load: the planner's figures, and
        # the visibility map that lets the filters read the search rows' covering index alone.
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    rng = random.Random(SEED + 1)  # the queries: the same whether the directory was kept or built
    queries = [_query(rng, points) for _ in range(args.queries)]
    from unittest import mock

    from django.utils import timezone

    # "Open now" at a fixed moment, so that runs at any hour compare (a weekday morning, when
    # most services are open, is the costliest); the clock is only read by the search here.
    moment = timezone.make_aware(datetime.fromisoformat(args.at))
    print(f"{args.backend}: open now at {moment:%A %H:%M} ({timezone.get_current_timezone_name()})")
    with mock.patch("django.utils.timezone.now", return_value=moment):
        _measure(args.backend, queries, args.mode)


def _since(started: float) -> str:
    return f"{time.perf_counter() - started:.0f} s"


def _csd_points() -> list[Point]:
    with CSD_POINTS.open(encoding="utf-8", newline="") as handle:
        return [
            Point(row["CSDNAME"], float(row["interior_lat"]), float(row["interior_lon"]))
            for row in csv.DictReader(handle)
        ]


def _build(count: int, points: list[Point], rng: random.Random) -> None:
    """Bulk-write the synthetic directory, then index it through the real refresh."""
    from welcoming.core.models import Organization
    from welcoming.directory import models as d
    from welcoming.directory.search_index import service_search_entries_refresh
    from welcoming.directory.taxonomy import NEWCOMER_TAXONOMY_CODE, hsds_id

    # The newcomer-services taxonomy's id: the search form offers its needs only.
    taxonomy = d.Taxonomy.objects.create(
        hsds_id=hsds_id(NEWCOMER_TAXONOMY_CODE),
        name_en="Sample taxonomy",
        name_fr="Taxonomie fictive",
    )
    terms = {
        code: d.TaxonomyTerm.objects.create(taxonomy=taxonomy, code=code, name_en=en, name_fr=fr)
        for code, en, fr, _word_en, _word_fr in NEEDS
    }
    organizations = Organization.objects.bulk_create(
        Organization(name_en=f"Synthetic agency {n}", name_fr=f"Organisme fictif {n}")
        for n in range(max(1, count // 20))
    )
    # Cities take most services: a point is drawn with a weight for the first third of the list.
    weights = [3 if i % 3 == 0 else 1 for i in range(len(points))]
    places = rng.choices(points, weights=weights, k=count)
    services, locations = [], []
    for n, place in enumerate(places):
        code, en, fr, _word_en, _word_fr = NEEDS[n % len(NEEDS)]
        english_only = rng.random() < 0.33
        services.append(
            d.Service(
                organization=organizations[n % len(organizations)],
                name_en=f"{en} – {place.name} (sample {n})",
                name_fr="" if english_only else f"{fr} – {place.name} (échantillon {n})",
                description_en=f"Synthetic sample service: {en.lower()} for newcomers.",
                description_fr="" if english_only else f"Service fictif : {fr.lower()}.",
                source="bench",
                source_id=str(n),
            )
        )
        locations.append(
            d.Location(
                name_en=place.name,
                latitude=place.latitude + rng.uniform(-0.05, 0.05),
                longitude=place.longitude + rng.uniform(-0.05, 0.05),
                source="bench",
                source_id=str(n),
            )
        )
    d.Service.objects.bulk_create(services, batch_size=2000)
    d.Location.objects.bulk_create(locations, batch_size=2000)
    children: dict[str, list[Any]] = {name: [] for name in ("sal", "lang", "attr", "cost", "hour")}
    weekdays = clock(9), clock(17)
    for n, (service, location) in enumerate(zip(services, locations, strict=True)):
        children["sal"].append(d.ServiceAtLocation(service=service, location=location))
        spoken = ["eng", "fra"] if n % 4 else ["eng"]
        spoken += rng.sample(LANGUAGES, rng.randint(0, 2))
        children["lang"] += [d.Language(service=service, code=code) for code in spoken]
        code = NEEDS[n % len(NEEDS)][0]
        children["attr"].append(
            d.Attribute(taxonomy_term=terms[code], service=service, link_entity="service")
        )
        if n % 7 == 0:
            children["attr"].append(
                d.Attribute(taxonomy_term=terms["refugees"], service=service, link_entity="service")
            )
        amount = Decimal(0) if rng.random() < 0.6 else Decimal(rng.choice([10, 25, 60]))
        children["cost"].append(d.CostOption(service=service, amount=amount, currency="CAD"))
        days = "MO,TU,WE,TH,FR" if n % 5 else "SA,SU"
        children["hour"].append(
            d.Schedule(
                service=service,
                freq="WEEKLY",
                byday=days,
                opens_at=weekdays[0],
                closes_at=weekdays[1],
            )
        )
    # One service in eleven is also offered online, with the same mix of needs and of weekday
    # and weekend hours as the rest (every tenth was, and all of those kept weekend hours).
    offered_online = range(3, count, 11)
    online = [
        d.Location(
            location_type="virtual", name_en="Online", source="bench-online", source_id=str(n)
        )
        for n in offered_online
    ]
    d.Location.objects.bulk_create(online, batch_size=2000)
    children["sal"] += [
        d.ServiceAtLocation(service=services[n], location=site)
        for n, site in zip(offered_online, online, strict=True)
    ]
    for model, rows in zip(
        (d.ServiceAtLocation, d.Language, d.Attribute, d.CostOption, d.Schedule),
        children.values(),
        strict=True,
    ):
        model.objects.bulk_create(rows, batch_size=2000)
    indexed = time.perf_counter()
    service_search_entries_refresh()
    print(f"indexed in {time.perf_counter() - indexed:.0f} s")


def _query(rng: random.Random, points: list[Point]) -> dict[str, Any]:
    """One query as the search form sends it: a mix of words, filters and places."""
    code, _en, _fr, word_en, word_fr = rng.choice(NEEDS)
    word = rng.choice([word_en, word_fr, word_fr.replace("é", "e"), word_en.upper()])
    if rng.random() < 0.05:
        word = TYPOS.get(word, word)
    place = rng.choice(points)
    near = f"{place.latitude:.4f}, {place.longitude:.4f}"
    kind = rng.random()
    if kind < 0.30:
        return {"q": word if rng.random() < 0.7 else f"{word} {rng.choice(NEEDS)[3]}"}
    if kind < 0.50:
        return {"q": word, **rng.choice([_need(code), {"language": "fra"}])}
    if kind < 0.65:
        return {**_need(code), "language": rng.choice(["fra", "ara", "spa"]), "free": "1"}
    if kind < 0.90:
        extra = {"q": word} if rng.random() < 0.5 else {}
        return {"near": near, "radius": rng.choice(["10", "25", "50"]), **extra}
    return {**_need(code), "open_now": "1", "online": rng.choice(["", "1"])}


def _kind(params: dict[str, Any]) -> str:
    """The kind of a query, for the figures by kind."""
    if params.get("open_now"):
        return "open now + need"
    if params.get("near"):
        return "near + words" if params.get("q") else "near"
    if params.get("q"):
        return "words + filter" if len(params) > 1 else "words"
    return "filters"


def _need(code: str) -> dict[str, str]:
    """The form field of a taxonomy code: who a service is for, or what it does."""
    from welcoming.directory.search import AUDIENCES

    return {"eligibility" if code in AUDIENCES else "category": code}


def _measure(backend: str, queries: list[dict[str, Any]], mode: str) -> None:
    from django.db import connection, reset_queries
    from django.test import Client

    from welcoming.directory.search import service_search
    from welcoming.directory.search_forms import ServiceSearchForm

    kinds = [_kind(params) for params in queries]
    if mode in ("both", "selector"):
        wall: list[float] = []
        cpu: list[float] = []
        empty: list[bool] = []
        for params in queries:
            form = ServiceSearchForm(params)
            assert form.is_valid(), form.errors
            started, used = time.perf_counter(), time.process_time()
            results = service_search(form.search_query())
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - used) * 1000)
            empty.append(not results.total)
            reset_queries()
        print(f"{backend} selector: {sum(empty)} of {len(empty)} queries found nothing")
        _report(f"{backend} selector", kinds, wall, cpu, 30)
        _report(
            f"{backend} selector, empty results",
            ["empty" for is_empty in empty if is_empty],
            [time for time, is_empty in zip(wall, empty, strict=True) if is_empty],
            [time for time, is_empty in zip(cpu, empty, strict=True) if is_empty],
            30,
        )
    if mode in ("both", "http"):
        client = Client()
        wall, cpu = [], []
        for params in queries:
            started, used = time.perf_counter(), time.process_time()
            response = client.get("/en/directory/", params)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - used) * 1000)
            assert response.status_code == 200, (params, response.status_code)
        _report(f"{backend} HTTP page", kinds, wall, cpu, 100)
    connection.close()


def _report(name: str, kinds: list[str], wall: list[float], cpu: list[float], target: int) -> None:
    """Median and p95 of wall-clock and CPU time, per kind of query and overall."""
    groups: dict[str, list[int]] = {}
    for n, kind in enumerate(kinds):
        groups.setdefault(kind, []).append(n)
    print(f"{name} (target p95 {target} ms; ms, wall / CPU of this process):")
    for kind, members in [*sorted(groups.items()), ("all", list(range(len(wall))))]:
        if not members:
            continue
        walls = sorted(wall[n] for n in members)
        cpus = sorted(cpu[n] for n in members)
        print(
            f"  {kind:<16} n={len(members):>4}  median {_p(walls, 0.5):6.1f} / {_p(cpus, 0.5):6.1f}"
            f"  p95 {_p(walls, 0.95):6.1f} / {_p(cpus, 0.95):6.1f}  max {walls[-1]:6.0f}"
        )


def _p(timings: list[float], share: float) -> float:
    return timings[int(share * (len(timings) - 1))]


if __name__ == "__main__":
    main()
