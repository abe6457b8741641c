"""The directory as the HSDS 3.0 API (Open Referral's API reference), under /api/v1/hsds/.

Every path of the reference's OpenAPI document, with its `page`/`per_page` paging and its search
and filter parameters; every body is an HSDS object valid against the official schemas (the
document carries them as `hsds_*` components, welcoming.directory.openapi). Text comes in the
language of `lang` or of Accept-Language, the other language filling a field the record lacks;
the bilingual profile's `x-fr`/`x-en` carry the other language. Stewards write services and
organizations with a token of scope `write:directory` (or a signed-in session).
"""

import json
import math
import re
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import ACos, Cos, Least, Radians, Sin
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError as RequestInvalid
from pydantic import ConfigDict

from welcoming.accounts.auth import token_or_session
from welcoming.accounts.models import Scope, User
from welcoming.core.api import JsonObjectIn
from welcoming.core.locking import StaleEdit, Versioned
from welcoming.core.models import Organization
from welcoming.core.postal import PostalCodeError, fsa_point
from welcoming.core.search import search_filter

from .hsds import serialise
from .hsds.changes import (
    LANGUAGES,
    ChangeRefused,
    organization_changes,
    service_changes,
    uuids,
)
from .hsds.schema import validate
from .hsds.serialise import Record, Writer
from .models import Address, Attribute, Service, ServiceAtLocation, Taxonomy
from .openapi import body_of, component, page_of
from .organization_services import (
    organization_create,
    organization_deactivate,
    organization_update,
)
from .search_index import SERVICE_INDEX, ServiceSearchEntry
from .steward_services import service_create, service_update

router = Router(tags=["hsds"])

HSDS_VERSION = "3.0"
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
MAX_PAGE = 1_000_000  # with MAX_PER_PAGE, an offset every database holds
MAX_PROXIMITY = 1_000_000  # metres: a search around a place, not across the country
EARTH_RADIUS = 6_371_008.8  # metres, the mean radius
NDJSON = "application/x-ndjson"

Language = Literal["en", "fr"]


class Reading(Schema):
    lang: Language | None = Field(
        None,
        description="The language of the text: en or fr (default: the Accept-Language header). "
        "A field the record has only in the other language comes in that one.",
    )


class Paging(Reading):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="The page, from 1.")
    per_page: int = Field(
        DEFAULT_PER_PAGE,
        ge=1,
        le=MAX_PER_PAGE,
        description=f"Items per page (1-{MAX_PER_PAGE}; more is refused, not cut).",
    )
    format: Literal["json", "ndjson"] = Field(
        "json",
        description="`ndjson`: every matching item, one JSON object a line, without paging.",
    )


def _answers(description: str, schema: dict[str, Any], *, stream: bool = False) -> dict[str, Any]:
    content: dict[str, Any] = {"application/json": {"schema": schema}}
    if stream:
        content[NDJSON] = {"schema": schema["properties"]["contents"]["items"]}
    return {"responses": {200: {"description": description, "content": content}}}


def _one(name: str, description: str) -> dict[str, Any]:
    return _answers(description, {"$ref": component(name)})


def _paged(name: str, description: str) -> dict[str, Any]:
    return _answers(description, page_of(name), stream=True)


def _language(reading: Reading) -> str:
    return reading.lang or translation.get_language() or settings.LANGUAGE_CODE


def _json(reading: Reading, body: Callable[[], Any]) -> HttpResponse:
    language = _language(reading)
    with translation.override(language):
        response = JsonResponse(body(), safe=False)
    response["Content-Language"] = language
    patch_vary_headers(response, ["Accept-Language"])
    return response


def _page(paging: Paging, rows: QuerySet[Any], write: Callable[[Any], Record]) -> HttpResponseBase:
    """HSDS's page of `rows`, or all of them as NDJSON."""
    if paging.format == "ndjson":
        return _stream(_language(paging), rows, write)

    def body() -> Record:
        total = rows.count()
        start = (paging.page - 1) * paging.per_page
        contents = [write(row) for row in rows[start : start + paging.per_page]]
        pages = math.ceil(total / paging.per_page)
        return {
            "total_items": total,
            "total_pages": pages,
            "page_number": paging.page,
            "size": len(contents),
            "first_page": paging.page == 1,
            "last_page": paging.page >= pages,
            "empty": not contents,
            "contents": contents,
        }

    return _json(paging, body)


def _stream(
    language: str, rows: QuerySet[Any], write: Callable[[Any], Record]
) -> StreamingHttpResponse:
    def lines() -> Iterator[str]:
        with translation.override(language):
            for row in rows.iterator(chunk_size=500):
                yield json.dumps(write(row), cls=DjangoJSONEncoder, ensure_ascii=False) + "\n"

    response = StreamingHttpResponse(lines(), content_type=NDJSON)
    response["Content-Language"] = language
    patch_vary_headers(response, ["Accept-Language"])
    return response


def _found(rows: QuerySet[Any], hsds_id: str, message: str) -> Any:
    try:
        found = rows.filter(hsds_id=uuid.UUID(hsds_id)).first()
    except ValueError:
        found = None
    if found is None:
        raise Http404(message % {"id": hsds_id[:64]})
    return found


def _record(
    reading: Reading,
    rows: QuerySet[Any],
    hsds_id: str,
    message: str,
    write: Callable[[Any], Record],
) -> HttpResponse:
    """The record of `rows` with the HSDS id, written in the reader's language; 404 without."""
    found = _found(rows, hsds_id, message)
    response = _json(reading, lambda: write(found))
    if isinstance(found, Versioned):  # edited in place: its version, for a write to give back
        response["ETag"] = f'"{found.version}"'
    return response


def _words(text: str) -> list[str]:
    return text.split()[:10]


def _text_filter(rows: QuerySet[Any], text: str, fields: tuple[str, ...]) -> QuerySet[Any]:
    """Every word in one of the fields, in either language, case ignored."""
    for word in _words(text):
        match = Q()
        for name in fields:
            for code, _name in settings.LANGUAGES:
                match |= Q(**{f"{name}_{code}__icontains": word})
        rows = rows.filter(match)
    return rows


class ServiceFilters(Schema):
    search: str = Field(
        "",
        max_length=200,
        description="Words of the name, description, organization or needs, in English or "
        "French; accents and case do not matter, each word matches as a prefix, and small typos "
        "are forgiven when the words find almost nothing (the directory's search).",
    )
    taxonomy_term_id: uuid.UUID | None = Field(
        None, description="Only services with this taxonomy term."
    )
    taxonomy_id: uuid.UUID | None = Field(
        None, description="Only services with a term of this taxonomy."
    )
    organization_id: uuid.UUID | None = Field(
        None, description="Only the services of this organization."
    )
    modified_after: datetime | None = Field(
        None, description="Only services modified on or after this date and time (ISO 8601)."
    )
    full: bool = Field(False, description="Fully nested services, with every related object.")


def _services_filtered(rows: QuerySet[Service], filters: ServiceFilters) -> QuerySet[Service]:
    if filters.search.strip():
        # The search page's words, unranked and unbounded: every match, in the list's order
        # and pages. Inactive services have search rows too, as the list shows them.
        words = search_filter(SERVICE_INDEX, text=" ".join(_words(filters.search)))
        rows = rows.filter(pk__in=ServiceSearchEntry.objects.filter(words).values("pk"))
    if filters.taxonomy_term_id is not None:
        term = Attribute.objects.filter(
            service=OuterRef("pk"), taxonomy_term__hsds_id=filters.taxonomy_term_id
        )
        rows = rows.filter(Exists(term))
    if filters.taxonomy_id is not None:
        taxonomy = Attribute.objects.filter(
            service=OuterRef("pk"), taxonomy_term__taxonomy__hsds_id=filters.taxonomy_id
        )
        rows = rows.filter(Exists(taxonomy))
    if filters.organization_id is not None:
        rows = rows.filter(organization__hsds_id=filters.organization_id)
    if filters.modified_after is not None:
        rows = rows.filter(updated_at__gte=_in_utc(filters.modified_after))
    return rows


def _in_utc(moment: datetime) -> datetime:
    """The moment in UTC, which every database accepts (PostgreSQL refuses offsets beyond
    ±15:59, which ISO 8601 allows); a naive time is read as UTC, and one before year 1 in UTC
    as the earliest time there is."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        return datetime.min.replace(tzinfo=UTC)


@router.get(
    "/",
    summary="This API and its relationship with HSDS",
    openapi_extra=_answers(
        "The HSDS version, the profile and the OpenAPI document of this API.",
        {
            "type": "object",
            "properties": {
                "version": {"type": "string"},
                "profile": {"type": "string", "format": "uri"},
                "openapi_url": {"type": "string", "format": "uri"},
            },
            "required": ["version", "profile", "openapi_url"],
        },
    ),
)
def hsds_meta(request: HttpRequest) -> HttpResponse:
    return JsonResponse(
        {
            "version": HSDS_VERSION,
            "profile": request.build_absolute_uri(reverse("api-1:openapi-view")) + "#/hsds",
            "openapi_url": request.build_absolute_uri(reverse("api-1:openapi-json")),
        }
    )


@router.get(
    "/services",
    summary="Services, a page at a time",
    openapi_extra=_paged("service", "A page of services, each with its one-to-one fields."),
)
def service_list(
    request: HttpRequest,
    paging: Query[Paging],
    filters: Query[ServiceFilters],
    minimal: bool = Query(
        False,
        description="Each service with only `id`, `name`, `status` and `last_modified` (the "
        "fields a valid HSDS service needs, and the date to synchronise by).",
    ),
) -> HttpResponseBase:
    """Services by name; inactive ones too (their `status` says so), for clients that keep a
    copy in step with `modified_after`."""
    rows = _services_filtered(serialise.services(full=filters.full), filters)
    writer = Writer()
    if minimal:
        return _page(paging, rows.select_related(None).only(*_MINIMAL), _minimal)
    return _page(paging, rows, lambda service: writer.service(service, full=filters.full))


_MINIMAL = ("hsds_id", "name_en", "name_fr", "status", "updated_at")


def _minimal(service: Service) -> Record:
    return {
        "id": str(service.hsds_id),
        "name": str(service.localized("name")),
        "status": service.status,
        "last_modified": service.updated_at.isoformat(),
    }


@router.get(
    "/services/{id}",
    summary="A fully nested service",
    openapi_extra=_one("service", "The service with every related object."),
)
def service_detail(request: HttpRequest, id: str, reading: Query[Reading]) -> HttpResponse:
    return _record(
        reading,
        serialise.services(full=True),
        id,
        _("No service has the identifier %(id)s."),
        lambda service: Writer().service(service, full=True),
    )


class OrganizationFilters(Schema):
    search: str = Field("", max_length=200, description="Words of the name or description.")
    full: bool = Field(False, description="Fully nested organizations, with their services.")
    full_service: bool = Field(
        False, description="With `full`: each service fully nested, not only its own fields."
    )


@router.get(
    "/organizations",
    summary="Organizations, a page at a time",
    openapi_extra=_paged("organization", "A page of organizations."),
)
def organization_list(
    request: HttpRequest, paging: Query[Paging], filters: Query[OrganizationFilters]
) -> HttpResponseBase:
    """Organizations still listed: HSDS gives an organization no status to say one is gone
    from its feed, so the list leaves those out (as the public pages leave out inactive
    services); `/organizations/{id}` still answers for one, with `x-active: false`."""
    rows = serialise.organizations(full=filters.full, full_service=filters.full_service)
    rows = _text_filter(rows.filter(is_active=True), filters.search, ("name", "description"))
    writer = Writer()
    return _page(
        paging,
        rows,
        lambda o: writer.organization(o, full=filters.full, full_service=filters.full_service),
    )


@router.get(
    "/organizations/{id}",
    summary="A fully nested organization",
    openapi_extra=_one("organization", "The organization, its related objects and services."),
)
def organization_detail(
    request: HttpRequest,
    id: str,
    reading: Query[Reading],
    full_service: bool = Query(
        False, description="Each service fully nested, not only its own fields."
    ),
) -> HttpResponse:
    return _record(
        reading,
        serialise.organizations(full=True, full_service=full_service),
        id,
        _("No organization has the identifier %(id)s."),
        lambda o: Writer().organization(o, full=True, full_service=full_service),
    )


@router.get(
    "/taxonomies",
    summary="Taxonomies, a page at a time",
    openapi_extra=_paged("taxonomy", "A page of taxonomies."),
)
def taxonomy_list(
    request: HttpRequest,
    paging: Query[Paging],
    search: str = Query("", max_length=200, description="Words of the name or description."),
) -> HttpResponseBase:
    rows = _text_filter(Taxonomy.objects.order_by("name_en", "pk"), search, ("name", "description"))
    return _page(paging, rows, Writer().taxonomy)


@router.get(
    "/taxonomies/{id}",
    summary="A taxonomy",
    openapi_extra=_one("taxonomy", "The taxonomy."),
)
def taxonomy_detail(request: HttpRequest, id: str, reading: Query[Reading]) -> HttpResponse:
    message = _("No taxonomy has the identifier %(id)s.")
    return _record(reading, Taxonomy.objects.all(), id, message, Writer().taxonomy)


class TermFilters(Schema):
    search: str = Field("", max_length=200, description="Words of the name or description.")
    taxonomy_id: uuid.UUID | None = Field(None, description="Only the terms of this taxonomy.")
    top_only: bool = Field(False, description="Only the terms at the top (without a parent).")
    parent_id: uuid.UUID | None = Field(None, description="Only the children of this term.")


@router.get(
    "/taxonomy_terms",
    summary="Taxonomy terms, a page at a time",
    openapi_extra=_paged("taxonomy_term", "A page of taxonomy terms, by code."),
)
def taxonomy_term_list(
    request: HttpRequest, paging: Query[Paging], filters: Query[TermFilters]
) -> HttpResponseBase:
    rows = _text_filter(serialise.taxonomy_terms(), filters.search, ("name", "description"))
    if filters.taxonomy_id is not None:
        rows = rows.filter(taxonomy__hsds_id=filters.taxonomy_id)
    if filters.top_only:
        rows = rows.filter(parent__isnull=True)
    if filters.parent_id is not None:
        rows = rows.filter(parent__hsds_id=filters.parent_id)
    return _page(paging, rows, Writer().taxonomy_term)


@router.get(
    "/taxonomy_terms/{id}",
    summary="A taxonomy term",
    openapi_extra=_one("taxonomy_term", "The taxonomy term, with its taxonomy."),
)
def taxonomy_term_detail(request: HttpRequest, id: str, reading: Query[Reading]) -> HttpResponse:
    message = _("No taxonomy term has the identifier %(id)s.")
    return _record(reading, serialise.taxonomy_terms(), id, message, Writer().taxonomy_term)


class PlaceFilters(Schema):
    postcode: str | None = Field(
        None,
        max_length=10,
        description="A Canadian postal code (A1A 1A1) or its first three characters: the sites "
        "in that postal area, or with `proximity`, within that distance of its centre.",
    )
    proximity: float | None = Field(
        None,
        gt=0,
        le=MAX_PROXIMITY,
        description="With `postcode`: metres from the centre of the postal area, nearest first.",
    )


def _near(rows: QuerySet[ServiceAtLocation], place: PlaceFilters) -> QuerySet[ServiceAtLocation]:
    if place.postcode is None:
        if place.proximity is not None:
            raise _invalid("proximity", _("Give a postcode to measure the proximity from."))
        return rows
    try:
        point = fsa_point(place.postcode)
    except PostalCodeError as error:
        raise _invalid("postcode", str(error)) from error
    if place.proximity is None:
        addresses = Address.objects.filter(
            location=OuterRef("location"), postal_code__istartswith=point.fsa
        )
        return rows.filter(Exists(addresses))
    # A box around the point first (indexed), then the great-circle distance.
    degrees = math.degrees(place.proximity / EARTH_RADIUS)
    across = degrees / max(math.cos(math.radians(point.latitude)), 0.01)
    rows = rows.filter(
        location__latitude__range=(point.latitude - degrees, point.latitude + degrees),
        location__longitude__range=(point.longitude - across, point.longitude + across),
    )
    latitude, longitude = math.radians(point.latitude), math.radians(point.longitude)
    cosine = Sin(Radians(F("location__latitude"))) * math.sin(latitude) + Cos(
        Radians(F("location__latitude"))
    ) * math.cos(latitude) * Cos(Radians(F("location__longitude")) - longitude)
    distance = ACos(Least(cosine, 1.0)) * EARTH_RADIUS
    return (
        rows.alias(distance=distance)
        .filter(distance__lte=place.proximity)
        .order_by("distance", "pk")
    )


def _invalid(parameter: str, message: str) -> RequestInvalid:
    return RequestInvalid([{"type": "value_error", "loc": ["query", parameter], "msg": message}])


@router.get(
    "/service_at_locations",
    summary="Services at their locations, a page at a time",
    openapi_extra=_paged(
        "service_at_location", "A page of services at locations, each with its service and site."
    ),
)
def service_at_location_list(
    request: HttpRequest,
    paging: Query[Paging],
    filters: Query[ServiceFilters],
    place: Query[PlaceFilters],
) -> HttpResponseBase:
    rows = serialise.service_at_locations(full=filters.full)
    services = _services_filtered(Service.objects.all(), filters)
    rows = _near(rows.filter(service__in=services), place)
    writer = Writer()
    return _page(paging, rows, lambda sal: writer.service_at_location(sal, full=filters.full))


@router.get(
    "/service_at_locations/{id}",
    summary="A fully nested service at a location",
    openapi_extra=_one(
        "service_at_location", "The service at a location, with its service and its site."
    ),
)
def service_at_location_detail(
    request: HttpRequest, id: str, reading: Query[Reading]
) -> HttpResponse:
    return _record(
        reading,
        serialise.service_at_locations(full=True),
        id,
        _("No service at a location has the identifier %(id)s."),
        lambda sal: Writer().service_at_location(sal, full=True),
    )


# --- stewards' writes ---------------------------------------------------------------------------

WRITE = token_or_session(Scope.WRITE_DIRECTORY)
DETAIL = {
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "What happened, in the language asked."}
    },
    "required": ["detail"],
}


class HsdsObjectIn(JsonObjectIn):
    """An HSDS object; validated against the official schema of its kind, not by this class."""

    model_config = ConfigDict(extra="allow")


class Writing(Reading):
    version: int | None = Field(
        None,
        ge=1,
        description="The version of the record you read (the ETag of its GET): if it changed "
        "since, nothing is saved and the answer is 409. Without it, the last write wins.",
    )


def _writes(name: str, status: int, description: str, *, body: bool = True) -> dict[str, Any]:
    extra = _answers(description, {"$ref": component(name)})
    extra["responses"][status] = extra["responses"].pop(200)
    extra["responses"][409] = {
        "description": "The record changed since the version given: nothing was saved.",
        "content": {"application/json": {"schema": DETAIL}},
    }
    if body:
        extra["requestBody"] = {"content": {"application/json": {"schema": body_of(name)}}}
    return extra


def _body(request: HttpRequest) -> Record:
    """The object as sent: `HsdsObjectIn` checked that it is one, the HSDS schema checks it
    whole (a ninja schema would keep only the fields it names)."""
    body: Record = json.loads(request.body)
    return body


def _actor(request: HttpRequest) -> User:
    if not isinstance(request.user, User):  # never None: the service would skip its check
        raise PermissionDenied(_("You may not change this organization's records."))
    return request.user


def _refused(*problems: tuple[list[str | int], str]) -> RequestInvalid:
    return RequestInvalid(
        [{"type": "value_error", "loc": loc, "msg": msg} for loc, msg in problems]
    )


def _path(json_path: str) -> list[str | int]:
    """`$.phones[0].number` -> ["phones", 0, "number"]."""
    parts: list[str | int] = []
    for name, index in re.findall(r"\.([^.\[]+)|\[(\d+)\]", json_path):
        parts.append(int(index) if index else name)
    return parts


def _valid_hsds(entity: str, record: Record, hsds_id: str) -> None:
    """422 naming each field at fault unless the body is a valid HSDS `entity` (its `id` being
    the record's, given or not)."""
    given = record.get("id")
    if given is not None and given != hsds_id:
        raise _refused((["body", "id"], _("The id is the record's: %(id)s.") % {"id": hsds_id}))
    errors = validate(entity, {**record, "id": hsds_id})
    if errors:
        raise _refused(*((["body", *_path(e.path)], e.message) for e in errors))


def _model_refused(invalid: ValidationError, language: str) -> RequestInvalid:
    """The model's own refusals, each at the HSDS field (in `x-fr`/`x-en` for the other
    language's text)."""
    problems: list[tuple[list[str | int], str]] = []
    for name, messages in invalid.message_dict.items():
        field, _sep, code = name.rpartition("_")
        if code in LANGUAGES and field:
            loc: list[str | int] = (
                ["body", field] if code == language else ["body", f"x-{code}", field]
            )
        else:
            loc = ["body", name]
        problems += [(loc, message) for message in messages if (loc, message) not in problems]
    return _refused(*problems)


def _written(
    reading: Reading, record: Any, write: Callable[[Any], Record], status: int
) -> HttpResponse:
    response = _json(reading, lambda: write(record))
    response.status_code = status
    response["ETag"] = f'"{record.version}"'
    return response


def _saved(
    reading: Reading,
    save: Callable[[], Any],
    reread: Callable[[str], Any],
    write: Callable[[Any], Record],
    status: int = 200,
) -> HttpResponse:
    """Run a write service and answer the record as saved (re-read with what GET nests); its
    refusals become the API's: 409 for a stale version, 422 naming the field."""
    try:
        saved = save()
    except StaleEdit as stale:
        return JsonResponse({"detail": str(stale.message)}, status=409)
    except ChangeRefused as refused:
        raise _refused((refused.loc, refused.message)) from refused
    except ValidationError as invalid:
        raise _model_refused(invalid, _language(reading)) from invalid
    return _written(reading, reread(str(saved.hsds_id)), write, status)


def _service_writer(service: Service) -> Record:
    return Writer().service(service, full=True)


def _service(hsds_id: str) -> Service:
    found: Service = _found(
        serialise.services(full=True), hsds_id, _("No service has the identifier %(id)s.")
    )
    return found


@router.post(
    "/services",
    auth=WRITE,
    summary="Add a service (stewards)",
    openapi_extra=_writes("service", 201, "The service added, as GET answers it."),
)
def service_add(
    request: HttpRequest, reading: Query[Reading], record: HsdsObjectIn
) -> HttpResponse:
    """A new service of the organization `organization_id` names, which the person keeps; the
    directory gives it its `id` (leave it out)."""
    actor = _actor(request)
    if not actor.has_perm("directory.add_service"):
        raise PermissionDenied(_("You may not change this organization's records."))
    body = _body(request)
    if "id" in body:
        raise _refused(
            (["body", "id"], _("Leave out the id: the directory gives a new service its own."))
        )
    language = _language(reading)
    _valid_hsds("service", body, str(uuid.uuid4()))
    organization = Organization.objects.filter(
        hsds_id__in=uuids([body.get("organization_id")])
    ).first()
    if organization is None:
        raise _refused(
            (["body", "organization_id"], _("Give the id of the service's organization."))
        )

    def save() -> Service:
        changes = service_changes(body, language=language, current=None, service=None)
        return service_create(
            actor=actor,
            organization=organization,
            fields=changes.fields,
            term_ids=changes.term_ids or (),
            language_codes=changes.language_codes or (),
        )

    return _saved(reading, save, _service, _service_writer, 201)


@router.put(
    "/services/{id}",
    auth=WRITE,
    summary="Change a service (stewards)",
    openapi_extra=_writes("service", 200, "The service as saved, as GET answers it."),
)
def service_change(
    request: HttpRequest, id: str, writing: Query[Writing], record: HsdsObjectIn
) -> HttpResponse:
    """The body replaces the service's own fields (one left out is emptied) and, when given, its
    `languages` and newcomer-services `attributes`; what else it holds must be as read."""
    actor = _actor(request)
    service = _service(id)
    if not actor.has_perm("directory.change_service", service):
        raise PermissionDenied(_("You may not change this organization's records."))
    body = _body(request)
    language = _language(writing)
    _valid_hsds("service", body, id)
    with translation.override(language):
        current = _service_writer(service)

    def save() -> Service:
        changes = service_changes(body, language=language, current=current, service=service)
        return service_update(
            actor=actor,
            service=service,
            expected_version=service.version if writing.version is None else writing.version,
            fields=changes.fields,
            term_ids=changes.term_ids,
            language_codes=changes.language_codes,
        )

    return _saved(writing, save, _service, _service_writer)


@router.post(
    "/services/{id}/deactivate",
    auth=WRITE,
    summary="Make a service inactive (stewards)",
    openapi_extra=_writes("service", 200, "The service, inactive.", body=False),
)
def service_deactivate(request: HttpRequest, id: str, writing: Query[Writing]) -> HttpResponse:
    """The service stays, with the status `inactive`: nothing is deleted."""
    actor = _actor(request)
    service = _service(id)
    return _saved(
        writing,
        lambda: service_update(
            actor=actor,
            service=service,
            expected_version=service.version if writing.version is None else writing.version,
            fields={"status": Service.Status.INACTIVE},
        ),
        _service,
        _service_writer,
    )


def _organization_writer(organization: Organization) -> Record:
    return Writer().organization(organization, full=True)


def _organization(hsds_id: str) -> Organization:
    found: Organization = _found(
        serialise.organizations(full=True),
        hsds_id,
        _("No organization has the identifier %(id)s."),
    )
    return found


@router.post(
    "/organizations",
    auth=WRITE,
    summary="Add an organization (the installation's data managers)",
    openapi_extra=_writes("organization", 201, "The organization added, as GET answers it."),
)
def organization_add(
    request: HttpRequest, reading: Query[Reading], record: HsdsObjectIn
) -> HttpResponse:
    """The directory gives the new organization its `id` (leave it out)."""
    actor = _actor(request)
    if not actor.has_perm("core.add_organization"):
        raise PermissionDenied(_("You may not add organizations."))
    body = _body(request)
    if "id" in body:
        raise _refused(
            (["body", "id"], _("Leave out the id: the directory gives a new organization its own."))
        )
    language = _language(reading)
    _valid_hsds("organization", body, str(uuid.uuid4()))

    def save() -> Organization:
        changes = organization_changes(body, language=language, current=None)
        return organization_create(actor=actor, fields=changes.fields)

    return _saved(reading, save, _organization, _organization_writer, 201)


@router.put(
    "/organizations/{id}",
    auth=WRITE,
    summary="Change an organization (stewards)",
    openapi_extra=_writes("organization", 200, "The organization as saved, as GET answers it."),
)
def organization_change(
    request: HttpRequest, id: str, writing: Query[Writing], record: HsdsObjectIn
) -> HttpResponse:
    """The body replaces the organization's own fields (one left out is emptied); what else it
    holds (its services, sites, phones...) must be as read."""
    actor = _actor(request)
    organization = _organization(id)
    if not actor.has_perm("core.change_organization", organization):
        raise PermissionDenied(_("You may not change this organization's records."))
    body = _body(request)
    language = _language(writing)
    _valid_hsds("organization", body, id)
    with translation.override(language):
        current = _organization_writer(organization)

    def save() -> Organization:
        changes = organization_changes(body, language=language, current=current)
        return organization_update(
            actor=actor,
            organization=organization,
            expected_version=writing.version,
            fields=changes.fields,
        )

    return _saved(writing, save, _organization, _organization_writer)


@router.post(
    "/organizations/{id}/deactivate",
    auth=WRITE,
    summary="Make every service of an organization inactive (stewards)",
    openapi_extra=_writes(
        "organization", 200, "The organization; its services inactive.", body=False
    ),
)
def organization_deactivate_all(
    request: HttpRequest, id: str, writing: Query[Writing]
) -> HttpResponse:
    """HSDS gives an organization no status: its services become inactive, nothing is deleted."""
    actor = _actor(request)
    organization = _organization(id)
    return _saved(
        writing,
        lambda: organization_deactivate(
            actor=actor, organization=organization, expected_version=writing.version
        ),
        _organization,
        _organization_writer,
    )
