"""Directory records as HSDS 3.0 objects, for the API and the export alike, with the fields the
import maps (`mapping`). The API's are nested as the compiled schemas nest them (a service with
its organization, a service at a location with its service and site: `compiled`); the export's
are HSDS's dataset form, each kind of record in its own list and the others named by id
(`compiled=False`), which the import reads back into the same directory.

Plain HSDS fields carry the text in the active language, or in the other one when the record has
none in it (an English-only feed read in French), so every body is valid HSDS. The bilingual
profile (docs/directory.md) adds, beside them, the other language's text (`x-fr` beside English
fields, `x-en` beside French ones), `x-lang` naming the fields that exist only in the other
language, `x-last-verified`, and `x-active: false` for an organization no longer listed.

Every function reads relations the caller prefetched (`prefetch`): a page of a list costs the
same few queries whatever its length.
"""

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache
from typing import Any

from django.conf import settings
from django.db.models import Model, Prefetch, QuerySet
from django.utils import translation

from welcoming.core.models import Organization
from welcoming.core.text import localized

from ..models import (
    Attribute,
    Location,
    Program,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from . import mapping
from .schema import SCHEMA_DIR

Record = dict[str, Any]
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


@cache
def _fields(table: mapping.Table) -> tuple[str, ...]:
    """The object's one-to-one HSDS fields, as the import maps them (the profile's `x-` fields
    are written apart)."""
    return tuple(field.name for field in table.fields if not field.name.startswith("x-"))


@cache
def _says_active(table: mapping.Table) -> bool:
    """Whether the profile's `x-active` is written for the object (organizations)."""
    return any(field.name == "x-active" for field in table.fields)


@cache
def required(entity: str) -> frozenset[str]:
    """What the object's official schema requires: written even when empty."""
    with (SCHEMA_DIR / f"{entity}.json").open(encoding="utf-8") as f:
        return frozenset(json.load(f).get("required", []))


# Written even when empty in every object that has them (the API has always written these).
REQUIRED = frozenset(
    {"name", "status", "description", "location_type", "number", "address_1", "city"}
    | {"state_province", "postal_code", "country", "address_type", "identifier_type"}
    | {"identifier"}
)


def _json(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _id(obj: Any) -> str | None:
    return None if obj is None else str(obj.hsds_id)


def _translated(obj: Model, name: str) -> bool:
    return hasattr(obj, f"{name}_{settings.LANGUAGE_CODE}")


@dataclass(frozen=True)
class Writer:
    """Writes records as HSDS objects in the active language; `bilingual` adds the profile's
    `x-` fields; `compiled` nests related records as the API's compiled schemas do, else they
    are named by id only (the export's dataset form)."""

    bilingual: bool = True
    compiled: bool = True

    def _object(self, obj: Model, table: mapping.Table, **extra: Any) -> Record:
        primary = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
        other = next(code for code in LANGUAGES if code != primary)
        needed = required(table.entity)
        out: Record = {"id": _id(obj)}
        second: Record = {}  # the other language's text, beside the reader's
        only: dict[str, str] = {}  # fields that exist in the other language only
        for name in _fields(table):
            if _translated(obj, name):
                mine = getattr(obj, f"{name}_{primary}") or ""
                theirs = getattr(obj, f"{name}_{other}") or ""
                value: Any = mine or theirs
                if mine and theirs:
                    second[name] = theirs
                elif theirs:
                    only[name] = other
            else:
                value = _json(getattr(obj, name))
            if value is None or value == "":
                if name not in REQUIRED and name not in needed:
                    continue
                value = ""
            out[name] = value
        for key, value in extra.items():
            if value is not None:
                out[key] = value
        for name in needed:
            out.setdefault(name, "")
        if self.bilingual:
            if second:
                out[f"x-{other}"] = second
            if only:
                out["x-lang"] = only
            verified = getattr(obj, "last_verified", None)
            if verified is not None:
                out["x-last-verified"] = verified.isoformat()
            if not getattr(obj, "is_active", True) and _says_active(table):
                out["x-active"] = False
        return out

    # --- the small objects ----------------------------------------------------------------------

    def phone(self, phone: Any) -> Record:
        languages = [self.language(language) for language in phone.languages.all()]
        return self._object(phone, mapping.PHONE, languages=languages)

    def language(self, language: Any) -> Record:
        return self._object(language, mapping.LANGUAGE)

    def schedule(self, schedule: Any) -> Record:
        return self._object(schedule, mapping.SCHEDULE)

    def contact(self, contact: Any) -> Record:
        phones = [self.phone(p) for p in contact.phones.all()]
        return self._object(contact, mapping.CONTACT, phones=phones)

    def taxonomy(self, taxonomy: Taxonomy) -> Record:
        return self._object(taxonomy, mapping.TAXONOMY)

    def taxonomy_term(self, term: TaxonomyTerm) -> Record:
        taxonomy = term.taxonomy
        return self._object(
            term,
            mapping.TAXONOMY_TERM,
            parent_id=_id(term.parent),
            taxonomy=localized(taxonomy, "name").text if taxonomy else None,
            taxonomy_id=_id(taxonomy),
            taxonomy_detail=self.taxonomy(taxonomy) if taxonomy and self.compiled else None,
        )

    def attribute(self, attribute: Attribute, link: Model) -> Record:
        term = attribute.taxonomy_term
        return self._object(
            attribute,
            mapping.ATTRIBUTE,
            link_entity=attribute.link_entity,
            link_id=_id(link),
            taxonomy_term_id=_id(term),
            taxonomy_term=self.taxonomy_term(term) if self.compiled else None,
        )

    def _attributes(self, obj: Any) -> list[Record]:
        related = obj.directory_attributes if isinstance(obj, Organization) else obj.attributes
        return [self.attribute(attribute, obj) for attribute in related.all()]

    # --- locations ------------------------------------------------------------------------------

    def location(self, location: Location, *, full: bool) -> Record:
        organization_id = _id_of(location, "organization")
        if not full:
            return self._object(location, mapping.LOCATION, organization_id=organization_id)
        return self._object(
            location,
            mapping.LOCATION,
            organization_id=organization_id,
            languages=[self.language(x) for x in location.languages.all()],
            addresses=[self._object(a, mapping.ADDRESS) for a in location.addresses.all()],
            contacts=[self.contact(c) for c in location.contacts.all()],
            accessibility=[
                self._object(a, mapping.ACCESSIBILITY) for a in location.accessibility.all()
            ],
            phones=[self.phone(p) for p in location.phones.all()],
            schedules=[self.schedule(s) for s in location.schedules.all()],
            attributes=self._attributes(location),
        )

    # --- services -------------------------------------------------------------------------------

    def program(self, program: Any) -> Record:
        organization_id = _id_of(program, "organization")
        return self._object(program, mapping.PROGRAM, organization_id=organization_id)

    def service(self, service: Service, *, full: bool, organization: bool = True) -> Record:
        """A service; `full` with every related object, else its one-to-one fields (a list's)."""
        ones: Record = {
            "organization_id": _id_of(service, "organization"),
            "program_id": _id_of(service, "program"),
        }
        if self.compiled:  # the dataset form leaves out what an import changes
            ones["last_modified"] = _json(service.updated_at)
            if organization:
                ones["organization"] = self.organization(service.organization, full=False)
            if service.program_id is not None:
                ones["program"] = self.program(service.program)
        if not full:
            return self._object(service, mapping.SERVICE, **ones)
        s: Any = service
        return self._object(
            service,
            mapping.SERVICE,
            **ones,
            phones=[self.phone(p) for p in s.phones.all()],
            schedules=[self.schedule(x) for x in s.schedules.all()],
            service_areas=[self._object(a, mapping.SERVICE_AREA) for a in s.service_areas.all()],
            service_at_locations=[
                self.service_at_location(x, full=True, service=False)
                for x in s.service_at_locations.all()
            ],
            languages=[self.language(x) for x in s.languages.all()],
            funding=[self._object(f, mapping.FUNDING) for f in s.fundings.all()],
            cost_options=[self._object(c, mapping.COST_OPTION) for c in s.cost_options.all()],
            required_documents=[
                self._object(d, mapping.REQUIRED_DOCUMENT) for d in s.required_documents.all()
            ],
            contacts=[self.contact(c) for c in s.contacts.all()],
            attributes=self._attributes(s),
        )

    def service_at_location(
        self, sal: ServiceAtLocation, *, full: bool, service: bool = True
    ) -> Record:
        """Where a service is given; `service` False inside its own service (no loop)."""
        s: Any = sal
        nested: Record = {
            "service_id": _id_of(sal, "service"),
            "location_id": _id_of(sal, "location"),
        }
        if self.compiled:
            nested["location"] = self.location(sal.location, full=full)
            if service:
                nested["service"] = self.service(sal.service, full=False)
        if full:
            nested |= {
                "contacts": [self.contact(c) for c in s.contacts.all()],
                "phones": [self.phone(p) for p in s.phones.all()],
                "schedules": [self.schedule(x) for x in s.schedules.all()],
                "attributes": self._attributes(s),
            }
        return self._object(sal, mapping.SERVICE_AT_LOCATION, **nested)

    # --- organizations --------------------------------------------------------------------------

    def organization(
        self, organization: Organization, *, full: bool, full_service: bool = False
    ) -> Record:
        """An organization; `full` with its related objects and (`compiled`) its sites,
        programs and services, each service with its one-to-one fields or, with
        `full_service`, with everything."""
        o: Any = organization
        ones: Record = {"parent_organization_id": _id_of(organization, "parent")}
        if not full:
            return self._object(organization, mapping.ORGANIZATION, **ones)
        if self.compiled:
            ones |= {
                "locations": [self.location(x, full=True) for x in o.locations.all()],
                "programs": [self.program(p) for p in o.programs.all()],
                "services": [
                    self.service(x, full=full_service, organization=False) for x in o.services.all()
                ],
            }
        return self._object(
            organization,
            mapping.ORGANIZATION,
            **ones,
            funding=[self._object(f, mapping.FUNDING) for f in o.fundings.all()],
            contacts=[self.contact(c) for c in o.contacts.all()],
            phones=[self.phone(p) for p in o.phones.all()],
            organization_identifiers=[
                self._object(i, mapping.ORGANIZATION_IDENTIFIER, organization_id=_id(organization))
                for i in o.identifiers.all()
            ],
            attributes=self._attributes(organization),
        )


def _id_of(obj: Model, relation: str) -> str | None:
    """The HSDS id of a related record, read from what was fetched with `obj`."""
    if getattr(obj, f"{relation}_id") is None:
        return None
    return _id(getattr(obj, relation))


# --- what to fetch with each kind of record ---------------------------------------------------

_ATTRIBUTES = Attribute.objects.select_related("taxonomy_term__taxonomy", "taxonomy_term__parent")


def _attributes(prefix: str, related: str = "attributes") -> list[Any]:
    return [Prefetch(f"{prefix}{related}", queryset=_ATTRIBUTES)]


def _phones(prefix: str) -> list[Any]:
    return [f"{prefix}phones", f"{prefix}phones__languages"]


def _contacts(prefix: str) -> list[Any]:
    return [f"{prefix}contacts", *_phones(f"{prefix}contacts__")]


def location_prefetch(prefix: str = "") -> list[Any]:
    return [
        f"{prefix}languages",
        f"{prefix}addresses",
        f"{prefix}accessibility",
        f"{prefix}schedules",
        *_phones(prefix),
        *_contacts(prefix),
        *_attributes(prefix),
    ]


def service_prefetch(prefix: str = "", *, compiled: bool = True) -> list[Any]:
    """Everything a full service shows, as prefetches under `prefix` (`compiled`: with the
    sites of its service-at-locations in full)."""
    at = f"{prefix}service_at_locations"
    sites = location_prefetch(f"{at}__location__") if compiled else []
    return [
        f"{prefix}schedules",
        f"{prefix}service_areas",
        f"{prefix}languages",
        f"{prefix}fundings",
        f"{prefix}cost_options",
        f"{prefix}required_documents",
        *_phones(prefix),
        *_contacts(prefix),
        *_attributes(prefix),
        Prefetch(at, queryset=ServiceAtLocation.objects.select_related("location__organization")),
        f"{at}__schedules",
        *_phones(f"{at}__"),
        *_contacts(f"{at}__"),
        *_attributes(f"{at}__"),
        *sites,
    ]


SERVICE_ONES = ("organization__parent", "program__organization")


def services(*, full: bool, compiled: bool = True) -> QuerySet[Service]:
    """Services with what `Writer.service` reads, in a stable order."""
    rows = Service.objects.select_related(*SERVICE_ONES).order_by("name_en", "pk")
    return rows.prefetch_related(*service_prefetch(compiled=compiled)) if full else rows


def locations() -> QuerySet[Location]:
    rows = Location.objects.select_related("organization").order_by("pk")
    return rows.prefetch_related(*location_prefetch())


def service_at_locations(*, full: bool) -> QuerySet[ServiceAtLocation]:
    rows = ServiceAtLocation.objects.select_related(
        "location__organization", *(f"service__{one}" for one in SERVICE_ONES)
    ).order_by("service__name_en", "pk")
    if not full:
        return rows
    return rows.prefetch_related(
        "schedules",
        *_phones(""),
        *_contacts(""),
        *_attributes(""),
        *location_prefetch("location__"),
    )


def organizations(
    *, full: bool, full_service: bool = False, compiled: bool = True
) -> QuerySet[Organization]:
    """Organizations with what `Writer.organization` reads (`compiled`: with their sites,
    programs and services)."""
    rows = Organization.objects.select_related("parent").order_by("name_en", "pk")
    if not full:
        return rows
    rows = rows.prefetch_related(
        "fundings", "identifiers", *_phones(""), *_contacts(""),
        *_attributes("", "directory_attributes"),
    )  # fmt: skip
    if not compiled:
        return rows
    services_of = Service.objects.select_related(*SERVICE_ONES).order_by("name_en", "pk")
    return rows.prefetch_related(
        Prefetch("programs", queryset=Program.objects.select_related("organization")),
        Prefetch("locations", queryset=Location.objects.select_related("organization")),
        *location_prefetch("locations__"),
        Prefetch("services", queryset=services_of),
        *(service_prefetch("services__") if full_service else []),
    )


def taxonomy_terms() -> QuerySet[TaxonomyTerm]:
    return TaxonomyTerm.objects.select_related("taxonomy", "parent").order_by(
        "code", "name_en", "pk"
    )
