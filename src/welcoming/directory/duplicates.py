"""Which services look like the same service listed twice (two feeds, or a feed and a steward):
names, addresses and phones compared with rapidfuzz. Pure: plain data in, scored pairs out.

A pair is only ever offered to a steward, who merges it or not; nothing here changes a record.
Only services sharing a municipality, a site, a postal code or a phone number are compared
(blocking),
so the work grows with the size of each community, not with the square of the directory.
"""

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from welcoming.core.text import fold

# A name this close (0-100, word order ignored) is the same name written differently.
NAME_SAME = 90
# Below this, two names are different services even at the same address and phone (a Welcome
# Centre's LINC classes and its employment counselling share both).
NAME_RELATED = 70
ADDRESS_SAME = 85
_DIGITS = re.compile(r"\D+")
_CHUNK = 500  # names compared at once against a whole block (500 × 10,000 bytes = 5 MB)


@dataclass(frozen=True)
class ServiceDigest:
    """What duplicate detection compares of one service."""

    pk: int
    names: tuple[str, ...]  # English and French, as given
    addresses: tuple[str, ...] = ()  # "street, city"
    postal_codes: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    communities: tuple[int, ...] = ()
    sites: tuple[int, ...] = ()  # locations (two services at one site)


@dataclass(frozen=True)
class DuplicatePair:
    first: int
    second: int
    name: float
    address: float  # 0 when either has no address
    same_phone: bool
    score: float


def phone_key(number: str) -> str:
    """The last ten digits: "+1 (506) 555-0100" and "506.555.0100" are one number."""
    return _DIGITS.sub("", number)[-10:]


def postal_key(code: str) -> str:
    return "".join(code.split()).upper()


def _best(first: Iterable[str], second: Iterable[str], scorer: object) -> float:
    a = [fold(x) for x in first if x and x.strip()]
    b = [fold(y) for y in second if y and y.strip()]
    return max((scorer(x, y) for x in a for y in b), default=0.0)  # type: ignore[operator]


def compare(a: ServiceDigest, b: ServiceDigest) -> DuplicatePair | None:
    """The pair scored, or None when the two are not likely the same service."""
    name = _best(a.names, b.names, fuzz.token_sort_ratio)
    if name < NAME_RELATED:
        return None
    address = _best(a.addresses, b.addresses, fuzz.token_sort_ratio)
    phones_a = {phone_key(p) for p in a.phones} - {""}
    same_phone = bool(phones_a & ({phone_key(p) for p in b.phones} - {""}))
    same_place = address >= ADDRESS_SAME
    likely = name >= NAME_SAME and (same_place or same_phone or not (a.addresses and b.addresses))
    if not (likely or (same_place and same_phone)):
        return None
    score = 0.6 * name + 0.25 * address + (15.0 if same_phone else 0.0)
    first, second = sorted((a.pk, b.pk))
    return DuplicatePair(first, second, round(name, 1), round(address, 1), same_phone,
                         round(score, 1))  # fmt: skip


def _blocks(services: Iterable[ServiceDigest]) -> Iterator[list[ServiceDigest]]:
    blocks: dict[tuple[str, str], list[ServiceDigest]] = defaultdict(list)
    for service in services:
        keys = {("community", str(c)) for c in service.communities}
        keys |= {("site", str(s)) for s in service.sites}
        keys |= {("postal", postal_key(p)) for p in service.postal_codes if p.strip()}
        keys |= {("phone", phone_key(p)) for p in service.phones if phone_key(p)}
        for key in keys:
            blocks[key].append(service)
    yield from blocks.values()


def _candidates(
    block: list[ServiceDigest], involving: set[int] | None
) -> Iterator[tuple[int, int]]:
    """Pairs of the block (as indexes) whose names are at least NAME_RELATED alike, found with
    rapidfuzz's C++ matrix in row chunks: a city of thousands of services stays fast and small."""
    names: list[str] = []
    owners: list[int] = []
    for index, service in enumerate(block):
        for name in service.names:
            if name and name.strip():
                names.append(fold(name))
                owners.append(index)
    rows = [r for r, o in enumerate(owners) if involving is None or block[o].pk in involving]
    for start in range(0, len(rows), _CHUNK):
        chunk = rows[start : start + _CHUNK]
        scores = process.cdist(
            [names[r] for r in chunk],
            names,
            scorer=fuzz.token_sort_ratio,
            score_cutoff=NAME_RELATED,
            dtype=np.uint8,
            workers=1,
        )
        for row, column in zip(*np.nonzero(scores), strict=True):
            first, second = owners[chunk[row]], owners[column]
            if first != second:
                yield first, second


def find_duplicates(
    services: Iterable[ServiceDigest], *, involving: set[int] | None = None
) -> list[DuplicatePair]:
    """Likely duplicates, best first. With `involving`, only pairs with one of those services
    (a steward's own) are scored."""
    seen: set[tuple[int, int]] = set()
    found: list[DuplicatePair] = []
    for block in _blocks(services):
        for i, j in _candidates(block, involving):
            a, b = block[i], block[j]
            key = (min(a.pk, b.pk), max(a.pk, b.pk))
            if key in seen or a.pk == b.pk:
                continue
            seen.add(key)
            pair = compare(a, b)
            if pair is not None:
                found.append(pair)
    return sorted(found, key=lambda p: (-p.score, p.first, p.second))
