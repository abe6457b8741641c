"""Communities (Statistics Canada geography) and the organizations that serve them."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .locking import Versioned
from .text import Localized, fold, localized


class Community(models.Model):
    """A place in Statistics Canada's Standard Geographical Classification, keyed by its code."""

    class Level(models.TextChoices):
        COUNTRY = "country", _("Country")
        PROVINCE = "province", _("Province or territory")
        CMA = "cma", _("Census metropolitan area or agglomeration")
        CSD = "csd", _("Census subdivision (municipality)")

    class SizeClass(models.TextChoices):
        # Statistics Canada's population-centre size classes, with a rural class below 1,000.
        RURAL = "rural", _("Rural (under 1,000)")
        SMALL = "small", _("Small (1,000 to 29,999)")
        MEDIUM = "medium", _("Medium (30,000 to 99,999)")
        LARGE = "large", _("Large (100,000 or more)")

    code = models.CharField(
        _("SGC code"),
        max_length=12,
        unique=True,
        help_text=_("Standard Geographical Classification code, e.g. 3520005 for Toronto."),
    )
    dguid = models.CharField(_("DGUID"), max_length=24, unique=True, null=True, blank=True)
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    csd_type = models.CharField(
        _("type"), max_length=8, blank=True, help_text=_("Census subdivision type, e.g. CY, V, T.")
    )

    class MetropolitanKind(models.TextChoices):
        CMA = "CMA", _("Census metropolitan area (CMA)")
        CA = "CA", _("Census agglomeration (CA)")

    cma_kind = models.CharField(
        _("kind of metropolitan area"),
        max_length=3,
        choices=MetropolitanKind.choices,
        blank=True,
        help_text=_("For a metropolitan area: CMA (100,000 people or more) or CA."),
    )
    metropolitan_area = models.ForeignKey(
        "self",
        verbose_name=_("metropolitan area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="municipalities",
        limit_choices_to={"level": "cma"},
        help_text=_("The census metropolitan area or agglomeration a municipality lies in."),
    )
    population = models.PositiveIntegerField(_("population (2021)"), null=True, blank=True)
    population_previous = models.PositiveIntegerField(_("population (2016)"), null=True, blank=True)
    size_class = models.CharField(
        _("population-size class"), max_length=8, choices=SizeClass.choices, blank=True
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    search_text = models.CharField(max_length=420, editable=False, db_index=True, default="")

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["name_en", "code"]
        indexes = [models.Index(fields=["level", "size_class"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True)
                | models.Q(latitude__gte=-90, latitude__lte=90),
                name="community_latitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True)
                | models.Q(longitude__gte=-180, longitude__lte=180),
                name="community_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def save(self, *args: object, **kwargs: object) -> None:
        self.refresh_derived_fields()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def province_code(self) -> str | None:
        """The two-digit code of the province or territory it lies in (its own, for one)."""
        if self.level == self.Level.PROVINCE:
            return self.code
        if self.level == self.Level.CSD:
            return self.code[:2]  # an SGC municipality code starts with its province's
        return self.parent.code if self.parent is not None else None

    @staticmethod
    def size_class_for(population: int | None) -> str:
        if population is None:
            return ""
        if population < 1_000:
            return Community.SizeClass.RURAL
        if population < 30_000:
            return Community.SizeClass.SMALL
        if population < 100_000:
            return Community.SizeClass.MEDIUM
        return Community.SizeClass.LARGE

    def refresh_derived_fields(self) -> None:
        """Keep the search key and size class in step with the name and population."""
        names = {self.name_en or "", self.name_fr or ""}  # type: ignore[attr-defined]
        self.search_text = fold(" ".join(sorted(names)))[:420]
        if (
            self.level == Community.Level.CMA
            and self.cma_kind != Community.MetropolitanKind.CA
            and self.population is None
        ):
            # A census metropolitan area has 100,000 people or more by definition.
            self.size_class = Community.SizeClass.LARGE
        else:
            self.size_class = self.size_class_for(self.population)


class Organization(Versioned, models.Model):
    """A municipality, agency or mainstream institution taking part in welcoming newcomers."""

    class Sector(models.TextChoices):
        MUNICIPAL = "municipal", _("Municipal government")
        SETTLEMENT = "settlement", _("Settlement agency")
        SCHOOL = "school", _("School board")
        LIBRARY = "library", _("Library")
        HEALTH = "health", _("Health")
        EMPLOYER = "employer", _("Employer or business")
        FAITH = "faith", _("Faith organization")
        POLICE = "police", _("Police or justice")
        MEDIA = "media", _("Media")
        NEWCOMER = "newcomer", _("Newcomer association")
        FUNDER = "funder", _("Funder")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    sector = models.CharField(
        _("sector"), max_length=16, choices=Sector.choices, default=Sector.OTHER
    )
    community = models.ForeignKey(
        Community,
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
    )
    website = models.URLField(_("website"), max_length=500, blank=True)
    # What the Open Referral Human Services Data Specification (HSDS 3.0) says of an
    # organization: the directory publishes every organization as an HSDS organization.
    hsds_id = models.UUIDField(
        _("HSDS identifier"),
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text=_("The organization's identifier in Open Referral (HSDS) data."),
    )
    alternate_name = models.CharField(_("alternate name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    legal_status = models.CharField(_("legal status"), max_length=200, blank=True)
    tax_status = models.CharField(_("tax status"), max_length=200, blank=True)
    tax_id = models.CharField(_("tax identifier"), max_length=100, blank=True)
    year_incorporated = models.PositiveSmallIntegerField(
        _("year incorporated"), null=True, blank=True
    )
    logo = models.URLField(_("logo"), max_length=500, blank=True)
    uri = models.URLField(_("persistent identifier (URI)"), max_length=500, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organization"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
    )
    # Where an imported organization comes from: a feed re-imported later finds it again by
    # the pair, whatever identifier the source gives it.
    source = models.CharField(_("source"), max_length=100, blank=True)
    source_id = models.CharField(_("identifier at the source"), max_length=200, blank=True)
    source_hash = models.CharField(max_length=64, blank=True, editable=False)
    imported_at = models.DateTimeField(_("last imported"), null=True, blank=True, editable=False)
    last_verified = models.DateField(_("last verified"), null=True, blank=True)
    edited_by_steward_at = models.DateTimeField(
        _("last edited by a steward"), null=True, blank=True, editable=False
    )
    pending_import = models.JSONField(_("update waiting for review"), null=True, blank=True)
    # HSDS gives an organization no status: one gone from its feed, serving no one through
    # another source or a steward's service, is kept and marked inactive.
    is_active = models.BooleanField(_("active"), default=True)
    is_installation = models.BooleanField(
        _("runs this installation"),
        default=False,
        help_text=_(
            "The one organization whose administrators and data stewards manage the data every "
            "organization shares: communities, the framework, indicators and scoring profiles."
        ),
    )

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name_en"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"],
                condition=~models.Q(source=""),
                name="organization_unique_source_record",
            ),
            models.UniqueConstraint(
                fields=["is_installation"],
                condition=models.Q(is_installation=True),
                name="organization_one_installation",
                violation_error_message=_("Another organization already runs this installation."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.name)

    @property
    def localized_name(self) -> Localized:
        return localized(self, "name")

    @property
    def localized_description(self) -> Localized:
        return localized(self, "description")


class UploadJob(models.Model):
    """An import started from the web and run by a worker (a capability's job extends this):
    the upload stored under the data directory until the worker reads it, who started it, in
    which language its messages are written, and when it ended or why it failed."""

    file_name = models.CharField(_("file name"), max_length=255)
    dry_run = models.BooleanField(_("dry run"), default=False)
    language = models.CharField(
        _("language"), max_length=8, default="en", help_text=_("Of the reasons and messages.")
    )
    stored_as = models.CharField(
        _("stored file"), max_length=255, help_text=_("Under the data directory; deleted after.")
    )
    bytes_total = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    failure = models.TextField(_("failure"), blank=True)

    class Meta:
        abstract = True
