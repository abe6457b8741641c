"""The problem as numpy arrays, so that constraints and scores are computed per edge in bulk.

Sets of words (tags, offers, interests) become bitsets over the problem's own vocabulary, languages
become small padded code/level tables, and places become unit vectors on the sphere: the chord
between two unit vectors is a monotone function of the great-circle distance, so a k-d tree over
them answers "the nearest hosts" and "hosts within r km" exactly, with no projection distortion
anywhere in Canada.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import numpy.typing as npt

from .model import LANGUAGE_LEVEL_MAX, Host, LanguageSkill, Newcomer, Problem

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
BitArray = npt.NDArray[np.uint64]

EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius
NO_CODE = -1
WORD_MASK = (1 << 64) - 1


def unit_vectors(latitude: FloatArray, longitude: FloatArray) -> FloatArray:
    lat = np.radians(latitude)
    lon = np.radians(longitude)
    cos_lat = np.cos(lat)
    return np.column_stack((cos_lat * np.cos(lon), cos_lat * np.sin(lon), np.sin(lat)))


def chord_for_km(km: float) -> float:
    """The chord (unit sphere) of a great-circle distance; half the globe or more is 2."""
    angle = min(km / EARTH_RADIUS_KM, np.pi)
    return float(2.0 * np.sin(angle / 2.0))


def km_for_chord(chord: FloatArray) -> FloatArray:
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.clip(chord / 2.0, 0.0, 1.0))


class Vocabulary:
    """Words numbered in order of first appearance, so arrays are deterministic for an input."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def add(self, words: Iterable[str]) -> None:
        for word in words:
            self.index.setdefault(word, len(self.index))

    @property
    def width(self) -> int:
        return max(1, (len(self.index) + 63) // 64)

    def bits(self, rows: Sequence[Iterable[str]]) -> BitArray:
        index = self.index
        masks = [sum(1 << index[word] for word in words) for words in rows]
        out = np.zeros((len(rows), self.width), dtype=np.uint64)
        for column in range(self.width):
            shift = 64 * column
            out[:, column] = [(mask >> shift) & WORD_MASK for mask in masks]
        return out


def _noc(code: str | None) -> int:
    return int(code) if code is not None and len(code) == 5 and code.isdigit() else NO_CODE


def _ragged(rows: Sequence[Sequence[object]]) -> tuple[list[int], list[int], int]:
    """Row and column of every item of a list of lists, and the widest row (at least 1)."""
    row = [r for r, items in enumerate(rows) for _ in items]
    column = [c for items in rows for c in range(len(items))]
    return row, column, max(max((len(items) for items in rows), default=0), 1)


def _padded_ages(rows: Sequence[tuple[int, ...]]) -> FloatArray:
    row, column, width = _ragged(rows)
    out = np.full((len(rows), width), np.nan)
    out[row, column] = [age for ages in rows for age in ages]
    return out


def _languages(
    rows: Sequence[tuple[LanguageSkill, ...]], codes: dict[str, int]
) -> tuple[IntArray, IntArray]:
    row, column, width = _ragged(rows)
    code = np.full((len(rows), width), NO_CODE, dtype=np.int64)
    level = np.zeros((len(rows), width), dtype=np.int64)
    code[row, column] = [
        codes.setdefault(skill.code, len(codes)) for skills in rows for skill in skills
    ]
    level[row, column] = [skill.level for skills in rows for skill in skills]
    return code, level


@dataclass(frozen=True, slots=True)
class Side:
    """What both sides have in common, one row per person."""

    ids: tuple[str, ...]
    xyz: FloatArray
    community: IntArray
    lang_code: IntArray
    lang_level: IntArray
    lang_bits: BitArray  # [level - 1, row, word]: languages spoken at that level or above
    availability: IntArray
    online: BoolArray
    interests: BitArray
    noc: IntArray
    children: FloatArray  # ages, NaN-padded


@dataclass(frozen=True, slots=True)
class Arrays:
    newcomers: Side
    hosts: Side
    requires: BitArray  # per newcomer, over the preference vocabulary
    offers: BitArray  # per host, same vocabulary
    eligible: BoolArray  # per newcomer: tags ⊇ program.requires_tags
    waiting_days: FloatArray
    priority_count: IntArray
    screening: IntArray  # per host: SCREEN_OK or the reason it is not usable
    capacity_left: IntArray  # per host, after active matches
    max_km: FloatArray
    language_names: tuple[str, ...]  # code index → ISO 639-3
    preference_names: tuple[str, ...]


SCREEN_OK = 0
SCREEN_NEVER = 1
SCREEN_EXPIRED = 2
SCREEN_UNTRAINED = 3
SCREENING_DETAIL = {
    SCREEN_NEVER: "unscreened",
    SCREEN_EXPIRED: "expired",
    SCREEN_UNTRAINED: "untrained",
}


def _screening(host: Host, today: date) -> int:
    if host.screened_until is None:
        return SCREEN_NEVER
    if host.screened_until < today:
        return SCREEN_EXPIRED
    return SCREEN_OK if host.trained else SCREEN_UNTRAINED


def _side(
    people: Sequence[Newcomer] | Sequence[Host],
    communities: dict[str, int],
    codes: dict[str, int],
    interests: Vocabulary,
) -> Side:
    latitude = np.array([p.latitude for p in people], dtype=np.float64)
    longitude = np.array([p.longitude for p in people], dtype=np.float64)
    lang_code, lang_level = _languages([p.languages for p in people], codes)
    return Side(
        ids=tuple(p.id for p in people),
        xyz=unit_vectors(latitude, longitude).reshape(len(people), 3),
        community=np.array(
            [communities.setdefault(p.community, len(communities)) for p in people], dtype=np.int64
        ),
        lang_code=lang_code,
        lang_level=lang_level,
        lang_bits=np.zeros((LANGUAGE_LEVEL_MAX, len(people), 1), dtype=np.uint64),
        availability=np.array([p.availability for p in people], dtype=np.int64),
        online=np.array([p.online_ok for p in people], dtype=np.bool_),
        interests=interests.bits([p.interests for p in people]),
        noc=np.array([_noc(p.noc_code) for p in people], dtype=np.int64),
        children=_padded_ages([p.children_ages for p in people]),
    )


def _with_language_bits(side: Side, codes: dict[str, int]) -> Side:
    """Bitsets per level threshold, so "share a language at level L" is one AND per pair."""
    width = max(1, (len(codes) + 63) // 64)
    bits = np.zeros((LANGUAGE_LEVEL_MAX, side.lang_code.shape[0], width), dtype=np.uint64)
    rows, columns = np.nonzero(side.lang_code >= 0)
    code = side.lang_code[rows, columns]
    word = code // 64
    bit = np.left_shift(np.uint64(1), (code % 64).astype(np.uint64))
    for level in range(1, LANGUAGE_LEVEL_MAX + 1):
        take = side.lang_level[rows, columns] >= level
        np.bitwise_or.at(bits[level - 1], (rows[take], word[take]), bit[take])
    return replace(side, lang_bits=bits)


def arrays_for(problem: Problem, active_per_host: dict[str, int]) -> Arrays:
    communities: dict[str, int] = {}
    codes: dict[str, int] = {}
    interests = Vocabulary()
    preferences = Vocabulary()
    for newcomer in problem.newcomers:
        interests.add(sorted(newcomer.interests))
        preferences.add(sorted(newcomer.requires))
    for host in problem.hosts:
        interests.add(sorted(host.interests))
        preferences.add(sorted(host.offers))
    newcomers = _with_language_bits(_side(problem.newcomers, communities, codes, interests), codes)
    hosts = _with_language_bits(_side(problem.hosts, communities, codes, interests), codes)
    needed = problem.program.requires_tags
    return Arrays(
        newcomers=newcomers,
        hosts=hosts,
        requires=preferences.bits([n.requires for n in problem.newcomers]),
        offers=preferences.bits([h.offers for h in problem.hosts]),
        eligible=np.array([needed <= n.tags for n in problem.newcomers], dtype=np.bool_),
        waiting_days=np.array([n.waiting_days for n in problem.newcomers], dtype=np.float64),
        priority_count=np.array([len(n.priority) for n in problem.newcomers], dtype=np.int64),
        screening=np.array([_screening(h, problem.today) for h in problem.hosts], dtype=np.int64),
        capacity_left=np.array(
            [max(h.capacity - active_per_host.get(h.id, 0), 0) for h in problem.hosts],
            dtype=np.int64,
        ),
        max_km=np.array([h.max_distance_km for h in problem.hosts], dtype=np.float64),
        language_names=tuple(sorted(codes, key=codes.__getitem__)),
        preference_names=tuple(sorted(preferences.index, key=preferences.index.__getitem__)),
    )
