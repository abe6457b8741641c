"""Random small matching problems for hypothesis, and a plain-Python reading of the constraints.

The reference checks are written independently of the engine's arrays (haversine, sets, loops),
so a test that compares the two catches a mistake in either.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from hypothesis import strategies as st

from welcoming.engines.matching import Host, LanguageSkill, Newcomer, Problem, Program

TODAY = date(2026, 12, 6)
LANGUAGES = ("eng", "fra", "tir", "ara")
WORDS = ("walks", "cooking", "chess", "music")
OFFERS = ("women_only", "car", "childcare")


def haversine_km(a: Newcomer, b: Host) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def reference_feasible(problem: Problem, n: Newcomer, h: Host, capacity_left: int) -> bool:
    level = problem.program.min_language_level
    return (
        problem.program.requires_tags <= n.tags
        and h.screened_until is not None
        and h.screened_until >= problem.today
        and h.trained
        and any(
            s.code == t.code and s.level >= level and t.level >= level
            for s in n.languages
            for t in h.languages
        )
        and (
            (n.online_ok and h.online_ok)
            or (n.community == h.community and haversine_km(n, h) <= h.max_distance_km)
        )
        and n.availability & h.availability != 0
        and n.requires <= h.offers
        and capacity_left > 0
    )


def near_radius(n: Newcomer, h: Host) -> bool:
    """Pairs within a metre of the host's radius: the two distance formulas may disagree."""
    return abs(haversine_km(n, h) - h.max_distance_km) < 1e-3


skills = st.lists(
    st.builds(LanguageSkill, st.sampled_from(LANGUAGES), st.integers(1, 4)),
    min_size=1,
    max_size=3,
    unique_by=lambda s: s.code,
).map(tuple)
latitude = st.floats(45.0, 45.3)
longitude = st.floats(-75.3, -75.0)
availability = st.integers(1, 7)  # three slots: plenty of overlaps and misses
words = st.frozensets(st.sampled_from(WORDS), max_size=3)
noc = st.none() | st.sampled_from(("21231", "21232", "21211", "22220", "41200", "00012"))
ages = st.lists(st.integers(0, 17), max_size=3).map(tuple)


def _person(draw: st.DrawFn, person_id: str) -> dict[str, Any]:
    """What newcomers and hosts both have."""
    return {
        "id": person_id,
        "community": draw(st.sampled_from("AB")),
        "latitude": draw(latitude),
        "longitude": draw(longitude),
        "languages": draw(skills),
        "availability": draw(availability),
        "online_ok": draw(st.booleans()),
        "noc_code": draw(noc),
        "interests": draw(words),
        "children_ages": draw(ages),
    }


@st.composite
def newcomers(draw: st.DrawFn, index: int) -> Newcomer:
    return Newcomer(
        **_person(draw, f"n{index}"),
        tags=draw(st.frozensets(st.sampled_from(("youth", "senior")), max_size=2)),
        requires=draw(st.frozensets(st.sampled_from(OFFERS), max_size=1)),
        priority=draw(st.frozensets(st.sampled_from(("refugee", "single_parent")), max_size=2)),
        waiting_days=draw(st.integers(0, 400)),
    )


@st.composite
def hosts(draw: st.DrawFn, index: int) -> Host:
    return Host(
        **_person(draw, f"h{index}"),
        capacity=draw(st.integers(0, 3)),
        max_distance_km=draw(st.sampled_from((5.0, 15.0, 40.0))),
        screened_until=draw(st.sampled_from((None, date(2026, 1, 1), date(2027, 6, 1)))),
        trained=draw(st.booleans() | st.just(True)),
        offers=draw(st.frozensets(st.sampled_from(OFFERS), max_size=3)),
    )


@st.composite
def problems(
    draw: st.DrawFn,
    max_newcomers: int = 8,
    max_hosts: int = 6,
    team_size: tuple[int, int] | None = None,
    max_candidates: int = 50,
) -> Problem:
    n = draw(st.integers(1, max_newcomers))
    m = draw(st.integers(1, max_hosts))
    program = Program(
        id="p",
        min_language_level=draw(st.integers(1, 3)),
        requires_tags=draw(st.sampled_from((frozenset(), frozenset({"youth"})))),
        team_size=team_size,
        max_candidates=max_candidates,
    )
    return Problem(
        program=program,
        newcomers=tuple(draw(newcomers(i)) for i in range(n)),
        hosts=tuple(draw(hosts(j)) for j in range(m)),
        today=TODAY,
        seed=draw(st.integers(0, 3)),
    )
