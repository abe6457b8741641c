"""Which HSDS 3.0 field is which model field, once, for the import, the export and the API.

A `Table` names an HSDS object, its model, its fields with their kind, and the objects nested in
it (`children`, each held by a foreign key to the parent). Text fields of kind TEXT are bilingual:
the HSDS field holds English (or the only language there is), and the bilingual profile's `x-fr`
object holds French (docs/directory.md).
"""

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from welcoming.core.models import Organization

from .. import models as m


class Kind(Enum):
    STR = "str"
    TEXT = "text"  # bilingual: name_en / name_fr
    INT = "int"
    FLOAT = "float"
    DECIMAL = "decimal"
    DATE = "date"
    TIME = "time"
    URL = "url"
    EMAIL = "email"
    CHOICE = "choice"
    BOOL = "bool"


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind = Kind.STR
    required: bool = False
    bounds: tuple[float, float] | None = None  # a number outside is dropped (and reported)


@dataclass(frozen=True)
class Ref:
    """A field naming another top-level record by its identifier (`organization_id`)."""

    name: str
    entity: str
    attr: str  # the model's foreign key
    # A link the record can do without (a parent): one naming nothing known is dropped.
    optional: bool = False


@dataclass(frozen=True)
class Child:
    key: str  # the property of the parent's JSON: "phones"
    table: "Table"
    fk: str  # the child's foreign key to the parent


@dataclass(frozen=True, eq=False)  # hashed by identity: the import looks tables up per value
class Table:
    entity: str  # HSDS object name
    csv: str  # HSDS tabular file name, without .csv
    model: type[Any]  # a Django model (Any: its manager is added at run time)
    fields: tuple[Field, ...]
    refs: tuple[Ref, ...] = ()
    children: tuple[Child, ...] = ()
    # A child missing one of these is dropped (and counted), not the record that holds it.
    drop_without: tuple[str, ...] = ()
    owners: tuple[str, ...] = field(default=())  # tabular: parent id columns, most specific first

    def field_named(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


F = Field
T, INT, FL, D = Kind.TEXT, Kind.INT, Kind.FLOAT, Kind.DECIMAL
DATE, TIME, URL, EMAIL, CHOICE = Kind.DATE, Kind.TIME, Kind.URL, Kind.EMAIL, Kind.CHOICE

LANGUAGE = Table(
    "language",
    "languages",
    m.Language,
    (F("name", T), F("code"), F("note", T)),
    owners=("phone_id", "service_id", "location_id"),
)
PHONE = Table(
    "phone",
    "phones",
    m.Phone,
    (F("number", required=True), F("extension", INT), F("type", CHOICE), F("description", T)),
    children=(Child("languages", LANGUAGE, "phone"),),
    drop_without=("number",),
    owners=("contact_id", "service_at_location_id", "service_id", "location_id", "organization_id"),
)
CONTACT = Table(
    "contact",
    "contacts",
    m.Contact,
    (F("name"), F("title", T), F("department", T), F("email", EMAIL)),
    children=(Child("phones", PHONE, "contact"),),
    owners=("service_at_location_id", "service_id", "location_id", "organization_id"),
)
SCHEDULE = Table(
    "schedule",
    "schedules",
    m.Schedule,
    (
        F("valid_from", DATE),
        F("valid_to", DATE),
        F("dtstart", DATE),
        F("timezone", FL),
        F("until", DATE),
        F("count", INT),
        F("wkst", CHOICE),
        F("freq", CHOICE),
        F("interval", INT),
        F("byday"),
        F("byweekno"),
        F("bymonthday"),
        F("byyearday"),
        F("description", T),
        F("opens_at", TIME),
        F("closes_at", TIME),
        F("schedule_link", URL),
        F("attending_type"),
        F("notes", T),
    ),
    owners=("service_at_location_id", "service_id", "location_id"),
)
ATTRIBUTE = Table(
    "attribute",
    "attributes",
    m.Attribute,
    (F("link_type"), F("value")),
    refs=(Ref("taxonomy_term_id", "taxonomy_term", "taxonomy_term"),),
)
ADDRESS = Table(
    "address",
    "addresses",
    m.Address,
    (
        F("attention"),
        F("address_1", required=True),
        F("address_2"),
        F("city", required=True),
        F("region"),
        F("state_province", required=True),
        F("postal_code", required=True),
        F("country", required=True),
        F("address_type", CHOICE),
    ),
    drop_without=("address_1", "city"),
    owners=("location_id",),
)
ACCESSIBILITY = Table(
    "accessibility",
    "accessibility",
    m.Accessibility,
    (F("description", T), F("details", T), F("url", URL)),
    owners=("location_id",),
)
SERVICE_AREA = Table(
    "service_area",
    "service_areas",
    m.ServiceArea,
    (F("name", T), F("description", T), F("extent"), F("extent_type"), F("uri")),
    owners=("service_id",),
)
REQUIRED_DOCUMENT = Table(
    "required_document",
    "required_documents",
    m.RequiredDocument,
    (F("document", T, required=True), F("uri", URL)),
    drop_without=("document",),
    owners=("service_id",),
)
COST_OPTION = Table(
    "cost_option",
    "cost_options",
    m.CostOption,
    (
        F("valid_from", DATE),
        F("valid_to", DATE),
        F("option", T),
        F("currency"),
        F("amount", D),
        F("amount_description", T),
    ),
    owners=("service_id",),
)
FUNDING = Table(
    "funding",
    "funding",
    m.Funding,
    (F("source", T, required=True),),
    drop_without=("source",),
    owners=("service_id", "organization_id"),
)
ORGANIZATION_IDENTIFIER = Table(
    "organization_identifier",
    "organization_identifiers",
    m.OrganizationIdentifier,
    (F("identifier_scheme"), F("identifier_type", required=True), F("identifier", required=True)),
    drop_without=("identifier",),
    owners=("organization_id",),
)
SERVICE_AT_LOCATION = Table(
    "service_at_location",
    "service_at_location",
    m.ServiceAtLocation,
    (F("description", T),),
    refs=(Ref("location_id", "location", "location"),),
    children=(
        Child("contacts", CONTACT, "service_at_location"),
        Child("phones", PHONE, "service_at_location"),
        Child("schedules", SCHEDULE, "service_at_location"),
        Child("attributes", ATTRIBUTE, "service_at_location"),
    ),
    owners=("service_id",),
)
_FED = (F("x-last-verified", DATE),)  # the profile's last-verified date
# HSDS gives an organization no status: the profile says one is no longer listed by its source
# (written only then, so that an export re-imported keeps it inactive).
_LISTED = (F("x-active", Kind.BOOL),)

ORGANIZATION = Table(
    "organization",
    "organizations",
    Organization,
    (
        F("name", T, required=True),
        F("alternate_name", T),
        F("description", T),
        F("email", EMAIL),
        F("website", URL),
        F("tax_status"),
        F("tax_id"),
        F("year_incorporated", INT),
        F("legal_status"),
        F("logo", URL),
        F("uri", URL),
        *_FED,
        *_LISTED,
    ),
    refs=(Ref("parent_organization_id", "organization", "parent", optional=True),),
    children=(
        Child("contacts", CONTACT, "organization"),
        Child("phones", PHONE, "organization"),
        Child("funding", FUNDING, "organization"),
        Child("organization_identifiers", ORGANIZATION_IDENTIFIER, "organization"),
        Child("attributes", ATTRIBUTE, "organization"),
    ),
)
PROGRAM = Table(
    "program",
    "programs",
    m.Program,
    (F("name", T, required=True), F("alternate_name", T), F("description", T)),
    refs=(Ref("organization_id", "organization", "organization"),),
)
LOCATION = Table(
    "location",
    "locations",
    m.Location,
    (
        F("location_type", CHOICE),
        F("url", URL),
        F("name", T),
        F("alternate_name", T),
        F("description", T),
        F("transportation", T),
        F("latitude", FL, bounds=(-90, 90)),
        F("longitude", FL, bounds=(-180, 180)),
        F("external_identifier"),
        F("external_identifier_type"),
        *_FED,
    ),
    refs=(Ref("organization_id", "organization", "organization"),),
    children=(
        Child("addresses", ADDRESS, "location"),
        Child("phones", PHONE, "location"),
        Child("schedules", SCHEDULE, "location"),
        Child("languages", LANGUAGE, "location"),
        Child("accessibility", ACCESSIBILITY, "location"),
        Child("contacts", CONTACT, "location"),
        Child("attributes", ATTRIBUTE, "location"),
    ),
)
SERVICE = Table(
    "service",
    "services",
    m.Service,
    (
        F("name", T, required=True),
        F("alternate_name", T),
        F("description", T),
        F("url", URL),
        F("email", EMAIL),
        F("status", CHOICE, required=True),
        F("interpretation_services", T),
        F("application_process", T),
        F("fees_description", T),
        F("wait_time", T),
        F("accreditations"),
        F("licenses"),
        F("eligibility_description", T),
        F("minimum_age", INT),
        F("maximum_age", INT),
        F("assured_date", DATE),
        F("assurer_email", EMAIL),
        F("alert", T),
        *_FED,
    ),
    refs=(
        Ref("organization_id", "organization", "organization"),
        Ref("program_id", "program", "program"),
    ),
    children=(
        Child("phones", PHONE, "service"),
        Child("schedules", SCHEDULE, "service"),
        Child("service_areas", SERVICE_AREA, "service"),
        Child("service_at_locations", SERVICE_AT_LOCATION, "service"),
        Child("languages", LANGUAGE, "service"),
        Child("funding", FUNDING, "service"),
        Child("cost_options", COST_OPTION, "service"),
        Child("required_documents", REQUIRED_DOCUMENT, "service"),
        Child("contacts", CONTACT, "service"),
        Child("attributes", ATTRIBUTE, "service"),
    ),
)
TAXONOMY = Table(
    "taxonomy",
    "taxonomies",
    m.Taxonomy,
    (F("name", T, required=True), F("description", T), F("uri", URL), F("version")),
)
TAXONOMY_TERM = Table(
    "taxonomy_term",
    "taxonomy_terms",
    m.TaxonomyTerm,
    (
        F("code"),
        F("name", T, required=True),
        F("description", T),
        F("language"),
        F("term_uri", URL),
    ),
    refs=(
        Ref("taxonomy_id", "taxonomy", "taxonomy"),
        Ref("parent_id", "taxonomy_term", "parent", optional=True),
    ),
)

# Top-level records, in the order an import writes them (a record's references come first).
TOP_LEVEL = (TAXONOMY, TAXONOMY_TERM, ORGANIZATION, PROGRAM, LOCATION, SERVICE)
BY_ENTITY = {table.entity: table for table in TOP_LEVEL}
FED = (ORGANIZATION, PROGRAM, LOCATION, SERVICE)  # found again by (source, source id)
# The model field behind the profile's last-verified date.
MODEL_NAMES = {"x-last-verified": "last_verified", "x-active": "is_active"}


def attname(field: Field) -> str:
    return MODEL_NAMES.get(field.name, field.name)


def all_tables() -> list[Table]:
    """Every table once, parents before children (the tabular export's order)."""
    seen: dict[str, Table] = {}

    def visit(table: Table) -> None:
        if table.entity in seen:
            return
        seen[table.entity] = table
        for child in table.children:
            visit(child.table)

    for table in TOP_LEVEL:
        visit(table)
    return list(seen.values())
