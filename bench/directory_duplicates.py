"""The duplicates page of an installation-wide steward: what one page reads and costs, against
comparing the whole directory at once (what the page did before it was grouped by place).

    python bench/directory_duplicates.py [--services 20000] [--communities 200]

SQLite in a fresh file. A seeded synthetic directory (every name marks it as a synthetic
sample): services spread over synthetic municipalities, one in ten entered twice with another
spelling at the same site. Prints wall and CPU time (user+sys of this process), queries and
services read for page 1 of the grouped page, and for the whole directory compared at once.

Measured 2026-12-06 on the shared 2-core machine (load average 6-9):

    5,000 services:  page 1 of 6 (38 places)  1.5 s wall, 0.57 s CPU, 13 queries
                     whole directory          7.5 s wall, 2.46 s CPU (12,565 pairs to sort)
    20,000 services: page 1 of 22 (10 places) 3.0 s wall, 0.86 s CPU, 13 queries
                     whole directory          fails on SQLite (the query naming every service
                                              is too large), after 11 s wall, 3.9 s CPU
"""

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = 2026


def _cpu() -> float:
    times = os.times()
    return times.user + times.system


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--services", type=int, default=20_000)
    parser.add_argument("--communities", type=int, default=200)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="bench-duplicates-")
    os.environ.update(
        DATABASE_URL=f"sqlite:///{folder}/bench.sqlite3",
        DJANGO_SETTINGS_MODULE="welcoming.config.settings.test",
    )
    sys.path[0] = str(ROOT)  # bench/matching.py would hide the matching package
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    from bench.synthetic import synthetic_communities

    from welcoming.accounts.models import Membership, Role
    from welcoming.accounts.services import operator_user
    from welcoming.core.models import Community, Organization
    from welcoming.directory import steward_selectors
    from welcoming.directory.duplicates import find_duplicates
    from welcoming.directory.models import Location, Service, ServiceAtLocation

    rng = random.Random(SEED)
    Community.objects.bulk_create(synthetic_communities(args.communities))
    places = list(Community.objects.order_by("pk"))
    agency = Organization.objects.create(name_en="Synthetic agency", name_fr="Organisme fictif")
    sites = Location.objects.bulk_create(
        Location(organization=agency, community=rng.choice(places), name_en=f"Synthetic site {n}")
        for n in range(args.services // 5)
    )
    services, links = [], []
    for n in range(args.services):
        name = f"Synthetic service {n} {rng.choice(['drop-in', 'clinic', 'classes', 'help'])}"
        if n % 10 == 9:
            name = services[-1].name_en.lower().replace("-", " ")
        services.append(Service(organization=agency, name_en=name, name_fr=""))
    Service.objects.bulk_create(services, batch_size=2_000)
    for n, service in enumerate(services):
        site = links[-1].location if n % 10 == 9 else rng.choice(sites)
        links.append(ServiceAtLocation(service=service, location=site))
    ServiceAtLocation.objects.bulk_create(links, batch_size=2_000)
    home = Organization.objects.create(
        name_en="Synthetic installation", name_fr="Installation fictive", is_installation=True
    )
    steward = operator_user()
    Membership.objects.create(user=steward, organization=home, role=Role.DATA_STEWARD)

    def measure(label: str, work) -> None:
        wall, cpu = time.perf_counter(), _cpu()
        with CaptureQueriesContext(connection) as queries:
            try:
                found = work()
            except Exception as error:  # the whole directory at once may not fit in one query
                found = f"failed: {error}"
        print(
            f"{label}: {time.perf_counter() - wall:.2f} s wall, {_cpu() - cpu:.2f} s CPU, "
            f"{len(queries)} queries, {found}"
        )

    def grouped() -> str:
        page = steward_selectors.duplicate_offers(user=steward, page=1)
        return f"page 1 of {page.count}, {len(page.places)} places, {len(page.offers)} pairs shown"

    def whole() -> str:
        everything = Service.objects.all()
        pairs = find_duplicates(steward_selectors._digests(everything))
        return f"{everything.count()} services read, {len(pairs)} pairs found"

    print(f"{args.services} services, {args.communities} municipalities, os.getloadavg() = "
          f"{tuple(round(x, 2) for x in os.getloadavg())}")  # fmt: skip
    measure("grouped page 1", grouped)
    measure("whole directory", whole)


if __name__ == "__main__":
    main()
