"""Finding services: by words, need, language, eligibility, cost, opening hours and place.

`service_search` is the one reader behind the search page, the printable listing, the
`welcoming directory search` command and the Welcome Centre pages. It stays fast on 100,000
services (bench/directory_search.py) because every step is bounded: the filters narrow the
search table (`search_index.ServiceSearchEntry`) through indexed tables, text search ranks at
most `CANDIDATES` services (`welcoming.core.search`), a place narrows to a bounding box on the
indexed point before the exact distance is computed for the few left, and only the page shown
is loaded with its details.

A search that finds nothing says what would: the same search farther away, in other languages,
without one of its filters, and the nearest Welcome Centre. Each is a bounded count on the data
(`_count`: at most `CANDIDATES` rows, unranked), never another ranked search, and the words'
condition is worked out once for all of them.
"""

import math
import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from welcoming.core.models import Community
from welcoming.core.postal import PostalCodeError, fsa_point
from welcoming.core.search import Matches, search, search_filter
from welcoming.core.text import fold

from .models import Attribute, Language, Service, ServiceAtLocation, TaxonomyTerm
from .search_index import DAY, SERVICE_INDEX, ServiceSearchEntry, ServiceSearchHours

CANDIDATES = 1000
PER_PAGE = 20
DEFAULT_RADIUS_KM = 25
RADII_KM = (5, 10, 25, 50, 100, 250, 500)
EARTH_RADIUS_KM = 6371.0
WELCOME_CENTRES = "welcome-centres"  # the taxonomy term of Welcome Centres (data/directory/)
# The newcomer-services taxonomy's terms for who a service is for (its "eligibility").
AUDIENCES = ("refugees", "youth", "seniors", "women", "2slgbtqi", "children-families")
# What a result (a card, a printed line, a sheet item) shows of a service and of its addresses.
RESULT_FIELDS = (
    "hsds_id", "name_en", "name_fr", "url", "status", "organization__hsds_id",
    "organization__name_en", "organization__name_fr",
)  # fmt: skip
# What a result shows of its addresses (through its sites, in their order).
ADDRESS_FIELDS = ("address_1", "city", "state_province", "postal_code")
_COORDINATES = re.compile(r"\s*(-?\d{1,2}(?:\.\d+)?)\s*[,; ]\s*(-?\d{1,3}(?:\.\d+)?)\s*")

UNKNOWN_PLACE = _(
    "“%(value)s” is not a postal code, a community or coordinates that we know. Write a postal "
    "code (A1A 1A1), a community's name, or a latitude and longitude (45.42, -75.69)."
)


class PlaceError(ValueError):
    """A place that cannot be located; the message is for the person."""


class Sort:
    RELEVANCE = "relevance"
    DISTANCE = "distance"
    NAME = "name"
    CHOICES = (
        (RELEVANCE, _("Best match")),
        (DISTANCE, _("Nearest first")),
        (NAME, _("Name")),
    )


@dataclass(frozen=True)
class Place:
    """A point to search around, with what the person typed and how precise it is."""

    latitude: float
    longitude: float
    label: str
    community: Community | None = None


@dataclass(frozen=True)
class ServiceQuery:
    """What a person asks for; the web form, the API and the command line all build one."""

    text: str = ""
    category: str = ""  # a taxonomy term code; its children count too
    offered_in: str = ""  # an ISO 639-3 language code
    eligibility: str = ""  # one of AUDIENCES
    free: bool = False
    open_now: bool = False
    online: bool = False
    near: Place | None = None
    radius_km: int = DEFAULT_RADIUS_KM
    sort: str = ""  # default: relevance with words, else distance near a place, else name
    page: int = 1
    per_page: int = PER_PAGE

    @property
    def effective_sort(self) -> str:
        if self.sort == Sort.DISTANCE and self.near is None:
            return Sort.RELEVANCE if self.text.strip() else Sort.NAME
        if self.sort in (Sort.RELEVANCE, Sort.DISTANCE, Sort.NAME):
            return self.sort
        if self.text.strip():
            return Sort.RELEVANCE
        return Sort.DISTANCE if self.near is not None else Sort.NAME


@dataclass(frozen=True)
class ServiceHit:
    """A result: the service (its names, organization and id only), how far it is, and the
    addresses (`ADDRESS_FIELDS`) and language codes a result shows, read as plain values."""

    service: Service
    distance_km: float | None
    addresses: list[dict[str, Any]] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Suggestion:
    """Something to try when nothing was found, with what it would find.

    `kind`: "wider" (search within `radius_km`), "language" (any language), "drop" (without the
    filter `filter_name`), "welcome-centre" (the nearest Welcome Centre, `service`)."""

    kind: str
    count: int
    radius_km: int | None = None
    filter_name: str = ""
    service: Service | None = None
    distance_km: float | None = None


@dataclass(frozen=True)
class ServiceResults:
    query: ServiceQuery
    hits: list[ServiceHit]
    total: int
    complete: bool  # False: more than `total` services match (the candidate bound)
    approximate: bool  # some results come from typo tolerance
    page: int
    pages: int
    suggestions: list[Suggestion] = field(default_factory=list)


def place_resolve(value: str) -> Place:
    """A postal code, coordinates or a community's name to a point; PlaceError otherwise."""
    text = value.strip()
    coordinates = _COORDINATES.fullmatch(text)
    if coordinates:
        latitude, longitude = float(coordinates.group(1)), float(coordinates.group(2))
        if -90 <= latitude <= 90 and -180 <= longitude <= 180:
            return Place(latitude=latitude, longitude=longitude, label=text)
    try:
        point = fsa_point(text)
    except PostalCodeError:
        pass
    else:
        return Place(latitude=point.latitude, longitude=point.longitude, label=point.fsa)
    community = _community_named(text)
    if community is None or community.latitude is None or community.longitude is None:
        raise PlaceError(UNKNOWN_PLACE % {"value": text[:60]})
    return Place(
        latitude=community.latitude,
        longitude=community.longitude,
        label=community.name,
        community=community,
    )


def _community_named(text: str) -> Community | None:
    """The most populous located community whose name is `text` (or starts with it)."""
    folded = fold(text)
    if not folded:
        return None
    located = Community.objects.filter(latitude__isnull=False, longitude__isnull=False).order_by(
        "-population", "code"
    )
    return (
        located.filter(Q(search_text=folded) | Q(search_text__startswith=f"{folded} ")).first()
        or located.filter(search_text__startswith=folded).first()
    )


def service_search(query: ServiceQuery, *, now: datetime | None = None) -> ServiceResults:
    """One page of the services that answer `query`, with suggestions when there are none."""
    ranked, complete, approximate = _candidates(query, now=now)
    total = len(ranked)
    pages = max(1, math.ceil(total / query.per_page))
    page = min(max(1, query.page), pages)
    start = (page - 1) * query.per_page
    return ServiceResults(
        query=query,
        hits=service_hits(ranked[start : start + query.per_page]),
        total=total,
        complete=complete,
        approximate=approximate,
        page=page,
        pages=pages,
        suggestions=[] if total else _suggestions(query, now=now),
    )


def _candidates(
    query: ServiceQuery, *, now: datetime | None
) -> tuple[list[tuple[int, float | None]], bool, bool]:
    """Every candidate (id, distance in km) in the query's order, whether that is all, and
    whether typo tolerance found some."""
    rows = _filtered(query, now=now)
    radius = float(query.radius_km)
    if query.near is not None:
        rows, radius = _narrowed_to_nearest(rows, query.near, radius, text=query.text)
    text = query.text.strip()
    names: dict[int, str] | None = None
    points: list[tuple[int, float | None, float | None]] | None = None
    if text:
        matches = search(SERVICE_INDEX, text=text, within=rows, candidates=CANDIDATES)
    else:
        # The sort name (and the point) come with the ids: no second read of the candidates.
        found = rows.order_by("pk").values_list("pk", _sort_key(), "latitude", "longitude")
        rows_found = list(found[:CANDIDATES])
        names = {pk: name for pk, name, _lat, _lon in rows_found}
        points = [(pk, latitude, longitude) for pk, _name, latitude, longitude in rows_found]
        ids = [pk for pk, *_rest in rows_found]
        matches = Matches(ids=ids, ranks=[0.0] * len(ids), complete=len(ids) < CANDIDATES)
    distances = _distances(matches.ids, query.near, points)
    order = list(zip(matches.ids, matches.ranks, strict=True))
    if query.near is not None:
        order = [(pk, rank) for pk, rank in order if distances[pk] <= radius]
    sort = query.effective_sort
    if sort == Sort.DISTANCE:
        order.sort(key=lambda pair: (distances[pair[0]], pair[0]))
    elif sort == Sort.NAME:
        names = names if names is not None else _names([pk for pk, _rank in order])
        order.sort(key=lambda pair: (names.get(pair[0], ""), pair[0]))
    ranked = [(pk, distances.get(pk)) for pk, _rank in order]
    return ranked, matches.complete, matches.approximate


def _filtered(query: ServiceQuery, *, now: datetime | None) -> QuerySet[ServiceSearchEntry]:
    """The active rows that pass the query's filters.

    Without a need: the flags are columns of the row; a language is often most services, and so
    is "open now" in the daytime, so they are checked row by row through an index (EXISTS) and
    the database stops at the candidate bound. With a need or an audience (a small set, read
    through its index): every other filter narrows that set first, each of its services looked
    up by id, and without words the first of them are given as ids (`_first_ids`). PostgreSQL
    otherwise joined the whole table, or every range open at that minute, to the need and
    walked it in id order (35 ms to 7 ms for one query)."""
    rows = ServiceSearchEntry.objects.filter(is_active=True)
    wanted = (("is_free", query.free), ("is_online", query.online))
    flags = {name: True for name, on in wanted if on}
    language = query.offered_in.lower()
    moment = timezone.localtime(now or timezone.now()) if query.open_now else None
    tagged = [_tagged(code) for code in (query.category, query.eligibility) if code]
    if not tagged:
        rows = rows.filter(**flags)
        if language:
            speaks = Language.objects.filter(code=language, service=OuterRef("pk"))
            rows = rows.filter(Exists(speaks))
        return rows if moment is None else rows.filter(_open_at(moment))
    narrowed = tagged[0]
    for other in tagged[1:]:
        narrowed = narrowed.filter(service_id__in=other)
    if language:
        speaks = Language.objects.filter(code=language, service=OuterRef("service_id"))
        narrowed = narrowed.filter(Exists(speaks))
    if moment is not None:
        narrowed = narrowed.filter(_open_at(moment, entry="service_id"))
    if query.text.strip():  # the words are looked for among every one of the need's services
        return rows.filter(pk__in=narrowed, **flags)
    # Each of the need's services is looked up in the flags' index by its id.
    entry = ServiceSearchEntry.objects.filter(pk=OuterRef("service_id"), is_active=True, **flags)
    return rows.filter(pk__any_of=_first_ids(narrowed.filter(Exists(entry))))


def _first_ids(services: QuerySet[Attribute, Any]) -> list[int]:
    """The ids of these services, in id order, up to one past the candidate bound: the
    candidates, as the bound keeps them. Given to the database as ids, each row is then looked
    up, where a subquery left PostgreSQL guessing the set's size and walking the search table
    in id order (60,000 rows for 300 services)."""
    first = services.order_by("service_id").values_list("service_id", flat=True).distinct()
    return list(first[: CANDIDATES + 1])


def _tagged(code: str) -> QuerySet[Attribute, Any]:
    """Services tagged with the term `code` or one of its children. The terms' ids are read
    first and given as numbers: the database then knows how many services each has, where a
    subquery left PostgreSQL guessing and walking every tagged service in id order."""
    terms = list(
        TaxonomyTerm.objects.filter(Q(code=code) | Q(parent__code=code)).values_list(
            "pk", flat=True
        )
    )
    return Attribute.objects.filter(taxonomy_term__in=terms, service__isnull=False).values(
        "service_id"
    )


def _open_at(moment: datetime, entry: str = "pk") -> Q:
    """The row's service has a weekly opening that covers `moment` (local wall-clock time): the
    hours of the service, of the service at a site, or of the site (`ServiceSearchHours`).

    A range never leaves its day, so only the ranges that started on that day before the
    moment can hold it: one short range of the covering `(starts, ends, entry)` index, read
    first up to the candidate bound. None: nothing is open (before the day's first opening,
    after its last closing), and no row is checked. A few (a quiet hour): the services open now
    are that list (IN), so a quiet hour is not proven by checking every row or every service
    of a need. More: each row is checked (EXISTS on `(entry, starts)`) and the database stops at
    the candidate bound, instead of first listing every service open at noon."""
    minute = moment.weekday() * DAY + moment.hour * 60 + moment.minute
    day = moment.date()
    started = ServiceSearchHours.objects.filter(
        starts__gte=minute - minute % DAY, starts__lte=minute, ends__gt=minute
    )
    if not started.exists():
        return Q(pk__in=[])
    hours = started.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )
    if _more_than(started, CANDIDATES):
        return Q(Exists(hours.filter(entry=OuterRef(entry))))
    return Q(**{f"{entry}__in": hours.values("entry_id")})


def _box(rows: QuerySet[ServiceSearchEntry], place: Place, radius_km: float) -> QuerySet:
    """Rows whose point lies in the square around `place` that holds the circle of the radius."""
    dlat = radius_km / 111.0
    dlon = radius_km / (111.32 * max(math.cos(math.radians(place.latitude)), 0.01))
    return rows.filter(
        latitude__gte=place.latitude - dlat,
        latitude__lte=place.latitude + dlat,
        longitude__gte=place.longitude - dlon,
        longitude__lte=place.longitude + dlon,
    )


def _narrowed_to_nearest(
    rows: QuerySet[ServiceSearchEntry], place: Place, radius_km: float, *, text: str
) -> tuple[QuerySet[ServiceSearchEntry], float]:
    """The rows within the radius; without words, a smaller radius while the box holds more
    than the candidate bound, so that the candidates are the nearest and not any of them."""
    boxed = _box(rows, place, radius_km)
    while not text.strip() and radius_km > 1 and _more_than(boxed, CANDIDATES):
        radius_km /= 2
        boxed = _box(rows, place, radius_km)
    return boxed, radius_km


def _more_than(rows: QuerySet[Any], count: int) -> bool:
    return rows.order_by()[count : count + 1].exists()


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _distances(ids: list[int], place: Place | None, points: Any = None) -> dict[int, float]:
    """Great-circle distances from `place` to the services `ids` (their `points` when known)."""
    if place is None or not ids:
        return {}
    if points is None:
        points = ServiceSearchEntry.objects.filter(pk__in=ids).values_list(
            "pk", "latitude", "longitude"
        )
    return {
        pk: haversine_km(place.latitude, place.longitude, latitude, longitude)
        for pk, latitude, longitude in points
        if latitude is not None and longitude is not None
    }


def _sort_key() -> str:
    """The entry's folded name in the page's language (English when a record has no French)."""
    return "sort_fr" if (translation.get_language() or "en").startswith("fr") else "sort_en"


def _names(ids: list[int]) -> dict[int, str]:
    return dict(ServiceSearchEntry.objects.filter(pk__in=ids).values_list("pk", _sort_key()))


def services_by_id(ids: list[int]) -> dict[int, Service]:
    """Services with their names, organization and id (and only those), in one query."""
    services = Service.objects.filter(pk__in=ids).select_related("organization")
    return {service.pk: service for service in services.only(*RESULT_FIELDS)}


def service_hits(shown: list[tuple[int, float | None]]) -> list[ServiceHit]:
    """The results of these (id, distance) pairs, in their order: three queries, and model
    instances for the services only (a page's addresses and languages are plain values; their
    instances and prefetch querysets cost more than the rest of the page's reading)."""
    ids = [pk for pk, _distance in shown]
    services = services_by_id(ids)
    addresses: dict[int, list[dict[str, Any]]] = {pk: [] for pk in ids}
    through = "location__addresses__"
    sites = ServiceAtLocation.objects.filter(service_id__in=ids, **{f"{through}isnull": False})
    for row in sites.order_by("pk", f"{through}pk").values(
        "service_id", *(through + name for name in ADDRESS_FIELDS)
    ):
        addresses[row["service_id"]].append({name: row[through + name] for name in ADDRESS_FIELDS})
    languages: dict[int, list[str]] = {pk: [] for pk in ids}
    for service_id, code in Language.objects.filter(service_id__in=ids).values_list(
        "service_id", "code"
    ):
        languages[service_id].append(code)
    return [
        ServiceHit(services[pk], distance, addresses=addresses[pk], languages=languages[pk])
        for pk, distance in shown
        if pk in services
    ]


def _suggestions(query: ServiceQuery, *, now: datetime | None) -> list[Suggestion]:
    """What would find something: bounded counts on the data, one or a few per suggestion."""
    text = query.text.strip()
    words: list[Q] = []

    def matching(changed: ServiceQuery) -> QuerySet[ServiceSearchEntry]:
        if text and not words:
            # The words' condition once for every count, and only if something is counted: the
            # typo tolerance is worked out on every active row, not again for each count.
            active = ServiceSearchEntry.objects.filter(is_active=True)
            words.append(search_filter(SERVICE_INDEX, text=text, within=active))
        return _filtered(changed, now=now).filter(*words)

    def count(changed: ServiceQuery, radius_km: float) -> int:
        return _count(matching(changed), changed.near, radius_km)

    found: list[Suggestion] = []
    if query.near is not None:
        wider = _wider_radius(query, matching(query))
        if wider is not None:
            found.append(wider)
    if query.offered_in:
        number = count(replace(query, offered_in=""), query.radius_km)
        if number:
            found.append(Suggestion(kind="language", count=number, filter_name="offered_in"))
    for name in ("category", "eligibility", "free", "open_now", "online"):
        if getattr(query, name):
            cleared = replace(query, **{name: type(getattr(query, name))()})
            number = count(cleared, query.radius_km)
            if number:
                found.append(Suggestion(kind="drop", count=number, filter_name=name))
    centre = nearest_welcome_centre(query.near)
    if centre is not None:
        found.append(centre)
    return found


def _count(rows: QuerySet[ServiceSearchEntry], place: Place | None, radius_km: float) -> int:
    """How many of `rows` lie within `radius_km` of `place` (anywhere without a place), counted
    up to the candidate bound: the database stops there."""
    if place is None:
        return rows.order_by()[:CANDIDATES].count()
    points = _box(rows, place, radius_km).order_by().values_list("latitude", "longitude")
    return sum(
        1
        for latitude, longitude in points[:CANDIDATES]
        if haversine_km(place.latitude, place.longitude, latitude, longitude) <= radius_km
    )


def _wider_radius(query: ServiceQuery, rows: QuerySet[ServiceSearchEntry]) -> Suggestion | None:
    """The smallest of the usual radii, beyond the one asked, that finds something, with how
    many it finds: one EXISTS in the widest box first, as often nothing is there at all."""
    assert query.near is not None
    wider = [radius for radius in RADII_KM if radius > query.radius_km]
    if not wider or not _box(rows, query.near, wider[-1]).exists():
        return None
    for radius in wider:
        number = _count(rows, query.near, radius)
        if number:
            return Suggestion(kind="wider", count=number, radius_km=radius)
    return None


def nearest_welcome_centre(place: Place | None) -> Suggestion | None:
    """The Welcome Centre nearest to `place`, within the widest usual radius (None without a
    place or a Welcome Centre): one read of the centres' points in the box of that radius (a
    small set, read through the need's index), the nearest found in Python."""
    if place is None:
        return None
    centres = ServiceSearchEntry.objects.filter(is_active=True, pk__in=_tagged(WELCOME_CENTRES))
    points = (
        _box(centres, place, RADII_KM[-1]).order_by().values_list("pk", "latitude", "longitude")
    )
    nearest = min(
        (
            (haversine_km(place.latitude, place.longitude, latitude, longitude), pk)
            for pk, latitude, longitude in points
        ),
        default=None,
    )
    if nearest is None or nearest[0] > RADII_KM[-1]:
        return None
    distance, pk = nearest
    service = services_by_id([pk])[pk]
    return Suggestion(kind="welcome-centre", count=1, service=service, distance_km=distance)


def services_near(community: Community, *, radius_km: int) -> list[tuple[int, float | None]]:
    """Ids and distances of the active services in or around a community, nearest first."""
    if community.latitude is None or community.longitude is None:
        return []
    place = Place(community.latitude, community.longitude, community.name, community)
    query = ServiceQuery(near=place, radius_km=radius_km, sort=Sort.DISTANCE)
    return _candidates(query, now=None)[0]
