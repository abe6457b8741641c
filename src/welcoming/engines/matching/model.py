"""The matching problem and its result as frozen dataclasses: the contract with the Django side.

Field names are agreed with the connections app (docs/matching.md); optional fields may be added
with defaults, never renamed or removed. Validation in `__post_init__` is limited to what is cheap
and always wrong (a negative capacity, a level outside 1..4, a latitude of 200), so that a bad row
fails where it is built rather than deep inside the solver.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Solver = Literal["optimal", "stable"]

# Weekly availability: 7 days x 3 parts of day (morning, afternoon, evening) = 21 bits,
# bit (day * 3 + part), Monday = 0. Overlap = a & b != 0.
AVAILABILITY_SLOTS = 21
AVAILABILITY_ALL = (1 << AVAILABILITY_SLOTS) - 1

LANGUAGE_LEVEL_MIN = 1
LANGUAGE_LEVEL_MAX = 4


def _check_place(who: str, latitude: float, longitude: float, availability: int) -> None:
    if not -90.0 <= latitude <= 90.0:
        raise ValueError(f"{who}: latitude {latitude} is outside -90..90")
    if not -180.0 <= longitude <= 180.0:
        raise ValueError(f"{who}: longitude {longitude} is outside -180..180")
    if not 0 <= availability <= AVAILABILITY_ALL:
        raise ValueError(f"{who}: availability {availability} is not a 21-bit mask")


@dataclass(frozen=True, slots=True)
class LanguageSkill:
    code: str  # ISO 639-3, e.g. "eng", "fra", "tir"
    level: int  # 1 basic, 2 conversational, 3 fluent, 4 native or first language

    def __post_init__(self) -> None:
        if not LANGUAGE_LEVEL_MIN <= self.level <= LANGUAGE_LEVEL_MAX:
            raise ValueError(f"language {self.code}: level {self.level} is outside 1..4")


@dataclass(frozen=True, slots=True)
class Newcomer:
    id: str
    community: str  # partition key (e.g. the community's SGC code)
    latitude: float
    longitude: float
    languages: tuple[LanguageSkill, ...]
    availability: int  # 21-bit mask
    online_ok: bool
    tags: frozenset[str] = frozenset()  # eligibility facts: "children_under_6", "senior", ...
    requires: frozenset[str] = frozenset()  # a host must offer all of these
    noc_code: str | None = None  # NOC 2021 unit group, 5 digits
    interests: frozenset[str] = frozenset()
    children_ages: tuple[int, ...] = ()
    priority: frozenset[str] = frozenset()  # "refugee", "isolated_senior", "single_parent"
    waiting_days: int = 0

    def __post_init__(self) -> None:
        _check_place(f"newcomer {self.id}", self.latitude, self.longitude, self.availability)
        if self.waiting_days < 0:
            raise ValueError(f"newcomer {self.id}: waiting_days {self.waiting_days} is negative")


@dataclass(frozen=True, slots=True)
class Host:
    id: str
    community: str
    latitude: float
    longitude: float
    languages: tuple[LanguageSkill, ...]
    availability: int
    online_ok: bool
    capacity: int  # >= 0; groups/networks > 1
    max_distance_km: float
    screened_until: date | None  # police check expiry; None = never screened
    trained: bool
    offers: frozenset[str] = frozenset()
    noc_code: str | None = None
    interests: frozenset[str] = frozenset()
    children_ages: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        _check_place(f"host {self.id}", self.latitude, self.longitude, self.availability)
        if self.capacity < 0:
            raise ValueError(f"host {self.id}: capacity {self.capacity} is below 0")
        if not self.max_distance_km >= 0.0:  # also rejects NaN
            raise ValueError(f"host {self.id}: max_distance_km {self.max_distance_km} is below 0")


@dataclass(frozen=True, slots=True)
class Weights:  # per program, documented defaults in docs/matching.md
    occupation: float = 3.0
    interests: float = 2.0
    distance: float = 2.0
    household: float = 1.0
    language: float = 2.0
    waiting: float = 1.0
    priority: float = 2.0
    distance_scale_km: float = 10.0

    def __post_init__(self) -> None:
        for name in (
            "occupation",
            "interests",
            "distance",
            "household",
            "language",
            "waiting",
            "priority",
        ):
            value = getattr(self, name)
            if not value >= 0.0:
                raise ValueError(f"weight {name} {value} is below 0")
        if not self.distance_scale_km > 0.0:
            raise ValueError(f"distance_scale_km {self.distance_scale_km} must be above 0")


@dataclass(frozen=True, slots=True)
class Program:
    id: str
    min_language_level: int = 2
    requires_tags: frozenset[str] = frozenset()  # a newcomer is eligible if tags ⊇ requires_tags
    team_size: tuple[int, int] | None = None  # team programs: (3, 5) volunteers per household
    weights: Weights = field(default_factory=Weights)
    max_candidates: int = 50  # K nearest feasible hosts per newcomer

    def __post_init__(self) -> None:
        if not LANGUAGE_LEVEL_MIN <= self.min_language_level <= LANGUAGE_LEVEL_MAX:
            raise ValueError(f"min_language_level {self.min_language_level} is outside 1..4")
        if self.team_size is not None:
            low, high = self.team_size
            if not 1 <= low <= high:
                raise ValueError(f"team_size {self.team_size} needs 1 <= low <= high")
        if self.max_candidates < 1:
            raise ValueError(f"max_candidates {self.max_candidates} must be at least 1")


@dataclass(frozen=True, slots=True)
class Problem:
    program: Program
    newcomers: tuple[Newcomer, ...]
    hosts: tuple[Host, ...]
    today: date
    active: tuple[tuple[str, str], ...] = ()  # (newcomer_id, host_id) kept in incremental runs
    seed: int = 0


@dataclass(frozen=True, slots=True)
class Term:  # one term of a proposal's score
    name: str  # "occupation", "interests", "distance", "household", "language", "waiting", ...
    value: float  # 0..1 before weighting
    weight: float


@dataclass(frozen=True, slots=True)
class Proposal:
    newcomer_id: str
    host_id: str
    score: float
    terms: tuple[Term, ...]


@dataclass(frozen=True, slots=True)
class Exclusion:  # why candidates were removed for an unmatched newcomer
    constraint: str  # "eligibility","screening","language","distance","availability",...
    removed: int  # how many candidate hosts this constraint removed
    detail: str  # machine-readable detail, e.g. "tir" for a language, "25" for km


@dataclass(frozen=True, slots=True)
class Unmatched:
    newcomer_id: str
    exclusions: tuple[Exclusion, ...]
    considered: int = 0  # hosts the exclusions account for (see `radius_km`)
    radius_km: float = 0.0  # in-person hosts of the community within this radius were considered


@dataclass(frozen=True, slots=True)
class Result:
    solver: Solver
    proposals: tuple[Proposal, ...]
    unmatched: tuple[Unmatched, ...]
    total_score: float
    blocking_pairs: tuple[tuple[str, str], ...]
    proven_optimal: bool = True  # False only if a team program hit the solver's work limit
