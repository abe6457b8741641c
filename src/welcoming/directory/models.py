"""The directory on Open Referral's Human Services Data Specification (HSDS 3.0).

One table per HSDS object, with HSDS's field names, so that the import, the export and the API
map field to field. Organizations are `core.Organization` (one record per organization across
the platform). Every record carries its HSDS identifier (`hsds_id`, a UUID); the records a feed
brings carry their source and their identifier at the source, so a newer export of the same
feed finds them again. The children of a service or a location (phones, schedules, languages...)
belong to it and are replaced with it when the feed changes it.
"""

import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from welcoming.core.locking import Versioned
from welcoming.core.models import Community, Organization, UploadJob
from welcoming.core.text import Localized, localized

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class HsdsRecord(models.Model):
    hsds_id = models.UUIDField(
        _("HSDS identifier"), default=uuid.uuid4, unique=True, editable=False
    )

    class Meta:
        abstract = True

    def localized(self, field: str) -> Localized:
        """The text in the page's language, or the one it has, with that language."""
        return localized(self, field)


class FedRecord(HsdsRecord):
    """A record a feed brings: found again by (source, source_id) when the feed is re-imported."""

    source = models.CharField(_("source"), max_length=100, blank=True)
    source_id = models.CharField(_("identifier at the source"), max_length=200, blank=True)
    # A digest of the record as the source last gave it: an unchanged record is not rewritten.
    source_hash = models.CharField(max_length=64, blank=True, editable=False)
    imported_at = models.DateTimeField(_("last imported"), null=True, blank=True, editable=False)
    last_verified = models.DateField(
        _("last verified"),
        null=True,
        blank=True,
        help_text=_("The day someone last checked this information with the organization."),
    )
    edited_by_steward_at = models.DateTimeField(
        _("last edited by a steward"), null=True, blank=True, editable=False
    )
    # What a feed would have written over a steward's edit: kept for a steward to review.
    pending_import = models.JSONField(_("update waiting for review"), null=True, blank=True)

    class Meta:
        abstract = True


def _unique_source(name: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(
        fields=["source", "source_id"], condition=~models.Q(source=""), name=name
    )


def _owner(model: str, related_name: str, verbose_name: "StrOrPromise") -> models.ForeignKey[Any]:
    return models.ForeignKey(
        model,
        verbose_name=verbose_name,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name=related_name,
    )


class OrganizationIdentifier(HsdsRecord):
    """A third-party identifier of an organization (charity number, business number...)."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="identifiers",
    )
    identifier_scheme = models.CharField(_("identifier scheme"), max_length=100, blank=True)
    identifier_type = models.CharField(_("identifier type"), max_length=100)
    identifier = models.CharField(_("identifier"), max_length=200)

    class Meta:
        verbose_name = _("organization identifier")
        verbose_name_plural = _("organization identifiers")

    def __str__(self) -> str:
        return f"{self.identifier_type}: {self.identifier}"


class Program(FedRecord):
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="programs",
    )
    name = models.CharField(_("name"), max_length=300)
    alternate_name = models.CharField(_("alternate name"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["name_en"]
        constraints = [_unique_source("program_unique_source_record")]

    def __str__(self) -> str:
        return str(self.localized("name"))


class Service(Versioned, FedRecord):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        INACTIVE = "inactive", _("Inactive")
        DEFUNCT = "defunct", _("Defunct")
        TEMPORARILY_CLOSED = "temporarily closed", _("Temporarily closed")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="services",
    )
    program = models.ForeignKey(
        Program,
        verbose_name=_("program"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="services",
    )
    name = models.CharField(_("name"), max_length=300)
    alternate_name = models.CharField(_("alternate name"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("website"), max_length=500, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    interpretation_services = models.TextField(_("interpretation services"), blank=True)
    application_process = models.TextField(_("how to apply"), blank=True)
    fees_description = models.TextField(_("fees"), blank=True)
    wait_time = models.CharField(_("wait time"), max_length=300, blank=True)
    accreditations = models.TextField(_("accreditations"), blank=True)
    licenses = models.TextField(_("licences"), blank=True)
    eligibility_description = models.TextField(_("who it is for"), blank=True)
    minimum_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    assured_date = models.DateField(_("assured on"), null=True, blank=True)
    assurer_email = models.EmailField(_("assured by (e-mail)"), blank=True)
    alert = models.TextField(_("alert"), blank=True)
    updated_at = models.DateTimeField(_("last modified"), auto_now=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name_en"]
        indexes = [models.Index(fields=["status", "organization"])]
        constraints = [
            _unique_source("service_unique_source_record"),
            models.CheckConstraint(
                condition=models.Q(minimum_age__isnull=True)
                | models.Q(maximum_age__isnull=True)
                | models.Q(minimum_age__lte=models.F("maximum_age")),
                name="service_age_range",
            ),
        ]

    def __str__(self) -> str:
        return str(self.localized("name"))


class Location(FedRecord):
    class LocationType(models.TextChoices):
        PHYSICAL = "physical", _("Physical")
        POSTAL = "postal", _("Postal")
        VIRTUAL = "virtual", _("Virtual")

    location_type = models.CharField(
        _("type"), max_length=10, choices=LocationType.choices, default=LocationType.PHYSICAL
    )
    url = models.URLField(_("web address (virtual location)"), max_length=500, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="locations",
    )
    name = models.CharField(_("name"), max_length=300, blank=True)
    alternate_name = models.CharField(_("alternate name"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    transportation = models.TextField(_("how to get there"), blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    external_identifier = models.CharField(_("external identifier"), max_length=200, blank=True)
    external_identifier_type = models.CharField(
        _("external identifier type"), max_length=100, blank=True
    )
    community = models.ForeignKey(
        Community,
        verbose_name=_("community"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="directory_locations",
        help_text=_("The municipality the location lies in (not part of HSDS)."),
    )
    # HSDS gives a location no status: one gone from its feed is kept, marked inactive.
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["name_en"]
        indexes = [
            models.Index(fields=["latitude", "longitude"]),
            models.Index(fields=["community"]),
        ]
        constraints = [
            _unique_source("location_unique_source_record"),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True)
                | models.Q(latitude__gte=-90, latitude__lte=90),
                name="location_latitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True)
                | models.Q(longitude__gte=-180, longitude__lte=180),
                name="location_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return str(self.localized("name")) or str(self.hsds_id)


class ServiceAtLocation(HsdsRecord):
    service = models.ForeignKey(
        Service,
        verbose_name=_("service"),
        on_delete=models.CASCADE,
        related_name="service_at_locations",
    )
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        on_delete=models.CASCADE,
        related_name="service_at_locations",
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("service at a location")
        verbose_name_plural = _("services at locations")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "location"], name="service_at_location_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service} @ {self.location}"


class Address(HsdsRecord):
    class AddressType(models.TextChoices):
        PHYSICAL = "physical", _("Physical")
        POSTAL = "postal", _("Postal")
        VIRTUAL = "virtual", _("Virtual")

    location = models.ForeignKey(
        Location, verbose_name=_("location"), on_delete=models.CASCADE, related_name="addresses"
    )
    attention = models.CharField(_("attention"), max_length=200, blank=True)
    address_1 = models.CharField(_("address"), max_length=300)
    address_2 = models.CharField(_("address (line 2)"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=200)
    region = models.CharField(_("region"), max_length=200, blank=True)
    state_province = models.CharField(_("province or territory"), max_length=100)
    postal_code = models.CharField(_("postal code"), max_length=20)
    country = models.CharField(_("country"), max_length=2, default="CA")
    address_type = models.CharField(
        _("type"), max_length=10, choices=AddressType.choices, default=AddressType.PHYSICAL
    )

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        indexes = [models.Index(fields=["postal_code"])]

    def __str__(self) -> str:
        return f"{self.address_1}, {self.city}"


class Contact(HsdsRecord):
    """A named person or desk to contact: staff names and e-mails are personal data."""

    organization = _owner("core.Organization", "contacts", _("organization"))
    service = _owner("Service", "contacts", _("service"))
    service_at_location = _owner("ServiceAtLocation", "contacts", _("service at a location"))
    location = _owner("Location", "contacts", _("location"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    department = models.CharField(_("department"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return str(self.name or self.title or self.department or self.hsds_id)


class Phone(HsdsRecord):
    class PhoneType(models.TextChoices):
        # RFC 6350's types, as HSDS asks.
        TEXT = "text", _("Text message")
        VOICE = "voice", _("Voice")
        FAX = "fax", _("Fax")
        CELL = "cell", _("Mobile")
        VIDEO = "video", _("Video")
        PAGER = "pager", _("Pager")
        TEXTPHONE = "textphone", _("Textphone (TTY)")

    organization = _owner("core.Organization", "phones", _("organization"))
    service = _owner("Service", "phones", _("service"))
    location = _owner("Location", "phones", _("location"))
    contact = _owner("Contact", "phones", _("contact"))
    service_at_location = _owner("ServiceAtLocation", "phones", _("service at a location"))
    number = models.CharField(_("number"), max_length=50)
    extension = models.PositiveIntegerField(_("extension"), null=True, blank=True)
    type = models.CharField(_("type"), max_length=10, choices=PhoneType.choices, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("phone")
        verbose_name_plural = _("phones")

    def __str__(self) -> str:
        return self.number


class Schedule(HsdsRecord):
    """When a service or location is open, in iCalendar's terms as HSDS has them.

    Opening times are local times of the place (HSDS allows a UTC offset; the importer reads
    the wall-clock time and drops the offset, every Canadian site being in its own zone)."""

    class Frequency(models.TextChoices):
        WEEKLY = "WEEKLY", _("Weekly")
        MONTHLY = "MONTHLY", _("Monthly")

    class Weekday(models.TextChoices):
        MO = "MO", _("Monday")
        TU = "TU", _("Tuesday")
        WE = "WE", _("Wednesday")
        TH = "TH", _("Thursday")
        FR = "FR", _("Friday")
        SA = "SA", _("Saturday")
        SU = "SU", _("Sunday")

    service = _owner("Service", "schedules", _("service"))
    location = _owner("Location", "schedules", _("location"))
    service_at_location = _owner("ServiceAtLocation", "schedules", _("service at a location"))
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    dtstart = models.DateField(_("first day"), null=True, blank=True)
    timezone = models.FloatField(_("UTC offset"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)
    count = models.PositiveIntegerField(_("occurrences"), null=True, blank=True)
    wkst = models.CharField(_("week starts"), max_length=2, choices=Weekday.choices, blank=True)
    freq = models.CharField(_("frequency"), max_length=7, choices=Frequency.choices, blank=True)
    interval = models.PositiveIntegerField(_("interval"), null=True, blank=True)
    byday = models.CharField(_("days"), max_length=100, blank=True)
    byweekno = models.CharField(_("weeks of the year"), max_length=100, blank=True)
    bymonthday = models.CharField(_("days of the month"), max_length=100, blank=True)
    byyearday = models.CharField(_("days of the year"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    opens_at = models.TimeField(_("opens at"), null=True, blank=True)
    closes_at = models.TimeField(_("closes at"), null=True, blank=True)
    schedule_link = models.URLField(_("booking link"), max_length=500, blank=True)
    attending_type = models.CharField(_("how to attend"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("schedule")
        verbose_name_plural = _("schedules")

    def __str__(self) -> str:
        return self.byday or str(self.hsds_id)


class Language(HsdsRecord):
    """A language a service, a site or a phone line is offered in, as an ISO 639-3 code."""

    service = _owner("Service", "languages", _("service"))
    location = _owner("Location", "languages", _("location"))
    phone = _owner("Phone", "languages", _("phone"))
    name = models.CharField(_("name"), max_length=100, blank=True)
    code = models.CharField(_("ISO 639-3 code"), max_length=3, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        indexes = [models.Index(fields=["code", "service"])]

    def __str__(self) -> str:
        return str(self.localized("name")) or self.code


class Accessibility(HsdsRecord):
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        on_delete=models.CASCADE,
        related_name="accessibility",
    )
    description = models.TextField(_("description"), blank=True)
    details = models.TextField(_("details"), blank=True)
    url = models.URLField(_("web page"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("accessibility")
        verbose_name_plural = _("accessibility")

    def __str__(self) -> str:
        return str(self.localized("description"))[:80] or str(self.hsds_id)


class ServiceArea(HsdsRecord):
    service = models.ForeignKey(
        Service,
        verbose_name=_("service"),
        on_delete=models.CASCADE,
        related_name="service_areas",
    )
    name = models.CharField(_("name"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    extent = models.TextField(_("extent"), blank=True)
    extent_type = models.CharField(_("extent type"), max_length=20, blank=True)
    uri = models.CharField(_("URI"), max_length=500, blank=True)
    community = models.ForeignKey(
        Community,
        verbose_name=_("community"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The community the area is (not part of HSDS)."),
    )

    class Meta:
        verbose_name = _("service area")
        verbose_name_plural = _("service areas")

    def __str__(self) -> str:
        return str(self.localized("name")) or str(self.hsds_id)


class RequiredDocument(HsdsRecord):
    service = models.ForeignKey(
        Service,
        verbose_name=_("service"),
        on_delete=models.CASCADE,
        related_name="required_documents",
    )
    document = models.CharField(_("document"), max_length=500)
    uri = models.URLField(_("web page"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")

    def __str__(self) -> str:
        return str(self.localized("document"))


class CostOption(HsdsRecord):
    service = models.ForeignKey(
        Service,
        verbose_name=_("service"),
        on_delete=models.CASCADE,
        related_name="cost_options",
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    option = models.CharField(_("option"), max_length=300, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    amount = models.DecimalField(
        _("amount"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    amount_description = models.CharField(_("amount description"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("cost option")
        verbose_name_plural = _("cost options")
        indexes = [models.Index(fields=["service", "amount"])]

    def __str__(self) -> str:
        return str(self.localized("option")) or f"{self.amount} {self.currency}"


class Funding(HsdsRecord):
    organization = _owner("core.Organization", "fundings", _("organization"))
    service = _owner("Service", "fundings", _("service"))
    source = models.CharField(_("source of funds"), max_length=500)

    class Meta:
        verbose_name = _("funding")
        verbose_name_plural = _("funding")

    def __str__(self) -> str:
        return str(self.localized("source"))


class Taxonomy(HsdsRecord):
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    uri = models.URLField(_("URI"), max_length=500, blank=True)
    version = models.CharField(_("version"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("taxonomy")
        verbose_name_plural = _("taxonomies")
        ordering = ["name_en"]

    def __str__(self) -> str:
        return str(self.localized("name"))


class TaxonomyTerm(HsdsRecord):
    taxonomy = models.ForeignKey(
        Taxonomy,
        verbose_name=_("taxonomy"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="terms",
    )
    code = models.CharField(_("code"), max_length=100, blank=True)
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent term"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
    )
    language = models.CharField(_("language"), max_length=3, blank=True)
    term_uri = models.URLField(_("URI"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("taxonomy term")
        verbose_name_plural = _("taxonomy terms")
        ordering = ["code", "name_en"]
        constraints = [
            models.UniqueConstraint(
                fields=["taxonomy", "code"],
                condition=~models.Q(code=""),
                name="taxonomy_term_unique_code",
            )
        ]

    def __str__(self) -> str:
        return str(self.localized("name"))


class Attribute(HsdsRecord):
    """A taxonomy term applied to a record: a service's category, audience or eligibility."""

    class LinkEntity(models.TextChoices):
        SERVICE = "service", _("Service")
        ORGANIZATION = "organization", _("Organization")
        LOCATION = "location", _("Location")
        SERVICE_AT_LOCATION = "service_at_location", _("Service at a location")

    taxonomy_term = models.ForeignKey(
        TaxonomyTerm,
        verbose_name=_("taxonomy term"),
        on_delete=models.CASCADE,
        related_name="attributes",
    )
    link_entity = models.CharField(_("applies to"), max_length=20, choices=LinkEntity.choices)
    service = _owner("Service", "attributes", _("service"))
    organization = _owner("core.Organization", "directory_attributes", _("organization"))
    location = _owner("Location", "attributes", _("location"))
    service_at_location = _owner("ServiceAtLocation", "attributes", _("service at a location"))
    link_type = models.CharField(_("link type"), max_length=100, blank=True)
    value = models.CharField(_("value"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("attribute")
        verbose_name_plural = _("attributes")
        indexes = [models.Index(fields=["taxonomy_term", "service"])]

    def __str__(self) -> str:
        return f"{self.link_entity}: {self.taxonomy_term}"


class ImportRun(models.Model):
    """One import of one feed that changed the directory, with what it did to each record.

    A run that would change nothing is not recorded; a dry run neither."""

    class Format(models.TextChoices):
        HSDS3 = "hsds3", _("HSDS 3.0 (JSON or CSV)")
        HSDS1 = "hsds1", _("HSDS 1.x CSV data package")
        AIRS_XML = "airs-xml", _("AIRS/iCarol XML 3.0")

    source = models.CharField(_("source"), max_length=100, db_index=True)
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("file hash (SHA-256)"), max_length=64)
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    records_read = models.PositiveIntegerField(_("records read"), default=0)
    added = models.PositiveIntegerField(_("added"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    deactivated = models.PositiveIntegerField(_("deactivated"), default=0)
    flagged = models.PositiveIntegerField(_("held for review"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    dropped = models.PositiveIntegerField(_("dropped"), default=0)
    report = models.JSONField(_("report"), default=dict)

    class Meta:
        verbose_name = _("directory import")
        verbose_name_plural = _("directory imports")
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.source} ({self.imported_at:%Y-%m-%d %H:%M})"


# --- stewardship (steward_services.py) ----------------------------------------------------------


class TermMapping(models.Model):
    """A term and the closest term of another taxonomy (newcomer services → Open Eligibility):
    a service tagged with the first is also tagged with the second, so that systems reading
    plain HSDS still place it."""

    term = models.ForeignKey(
        TaxonomyTerm, verbose_name=_("term"), on_delete=models.CASCADE, related_name="mappings"
    )
    target = models.ForeignKey(
        TaxonomyTerm,
        verbose_name=_("closest term"),
        on_delete=models.CASCADE,
        related_name="mapped_from",
    )

    class Meta:
        verbose_name = _("term mapping")
        verbose_name_plural = _("term mappings")
        constraints = [
            models.UniqueConstraint(fields=["term", "target"], name="term_mapping_unique")
        ]

    def __str__(self) -> str:
        return f"{self.term} → {self.target}"


class Verification(models.Model):
    """Someone checked a service with its organization on a day (the service keeps the last day
    in `last_verified`; this keeps who, and every earlier check)."""

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="verifications"
    )
    verified_on = models.DateField(_("verified on"))
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("verification")
        verbose_name_plural = _("verifications")
        ordering = ["-verified_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.service} ({self.verified_on})"

    @property
    def organization_id(self) -> int:
        return self.service.organization_id


class ServiceMerge(models.Model):
    """A duplicate merged into the service kept: what the duplicate was, who merged it, when."""

    kept = models.ForeignKey(
        Service, verbose_name=_("service kept"), on_delete=models.CASCADE, related_name="merges"
    )
    merged_hsds_id = models.UUIDField(_("HSDS identifier of the duplicate"))
    merged_source = models.CharField(_("source of the duplicate"), max_length=100, blank=True)
    merged_source_id = models.CharField(
        _("identifier of the duplicate at its source"), max_length=200, blank=True
    )
    merged_name = models.CharField(_("name of the duplicate"), max_length=300)
    snapshot = models.JSONField(_("the duplicate as it was"), default=dict)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("merged by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    merged_at = models.DateTimeField(_("merged"), auto_now_add=True)

    class Meta:
        verbose_name = _("merge of duplicates")
        verbose_name_plural = _("merges of duplicates")
        ordering = ["-merged_at"]

    def __str__(self) -> str:
        return f"{self.merged_name} → {self.kept}"

    @property
    def organization_id(self) -> int:
        return self.kept.organization_id


class DuplicateDismissal(models.Model):
    """Two services a steward judged not to be the same: never offered as duplicates again.
    The pair is kept in order (first < second) so that it is one row however it was shown."""

    first = models.ForeignKey(
        Service, verbose_name=_("first service"), on_delete=models.CASCADE, related_name="+"
    )
    second = models.ForeignKey(
        Service, verbose_name=_("second service"), on_delete=models.CASCADE, related_name="+"
    )
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dismissed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    dismissed_at = models.DateTimeField(_("dismissed"), auto_now_add=True)

    class Meta:
        verbose_name = _("pair that is not a duplicate")
        verbose_name_plural = _("pairs that are not duplicates")
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="duplicate_dismissal_unique"),
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")),
                name="duplicate_dismissal_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ≠ {self.second_id}"


class FeedImportJob(UploadJob):
    """A feed import started from the stewards' pages and run by a worker: the stored upload,
    where the worker is, and how it ended (the report of the import run, or a failure)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for a worker")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed: nothing was imported")

    class Phase(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        READING = "reading", _("Reading the feed")
        WRITING = "writing", _("Checking and writing the records")
        FINISHED = "finished", _("Finished")

    format = models.CharField(
        _("format"), max_length=10, choices=ImportRun.Format.choices, blank=True,
        help_text=_("Empty: read from the content."),
    )  # fmt: skip
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    source = models.CharField(
        _("source"), max_length=100, blank=True,
        help_text=_("The feed's name, as the command's --source. Empty: what the file says."),
    )  # fmt: skip
    strict = models.BooleanField(
        _("strict"), default=False, help_text=_("Import nothing if any record is bad.")
    )
    phase = models.CharField(_("phase"), max_length=8, choices=Phase.choices, default="waiting")
    records_read = models.PositiveIntegerField(_("records read"), default=0)
    unreadable = models.PositiveIntegerField(_("records the reader could not read"), default=0)
    report = models.JSONField(_("report"), default=dict, blank=True)
    items = models.JSONField(_("records not imported as they were"), default=list, blank=True)
    items_total = models.PositiveIntegerField(_("number of such records"), default=0)
    run = models.ForeignKey(
        ImportRun,
        verbose_name=_("import run"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("feed import job")
        verbose_name_plural = _("feed import jobs")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}


# The search table reads the models above (directory/search_index.py).
from .search_index import ServiceSearchEntry  # noqa: E402, F401
