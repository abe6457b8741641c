"""Indicator definitions, their values by community and period, and where each value came from."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from welcoming.core.models import Community, UploadJob
from welcoming.framework.models import Characteristic, QolrsCategory


class Indicator(models.Model):
    """What is measured, how, from which source, and which way is better."""

    class Unit(models.TextChoices):
        PERCENT = "percent", _("Percent")
        COUNT = "count", _("Count")
        DOLLARS = "dollars", _("Dollars")
        INDEX = "index", _("Index")
        SCORE = "score", _("Score (0 to 100)")
        RATIO = "ratio", _("Ratio")
        RATE = "rate", _("Rate per 100,000 people")
        RATE_10K = "per-10k", _("Number per 10,000 people")
        DENSITY = "density", _("People per square kilometre")

    class Direction(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")
        TARGET = "target", _("Closer to a target is better")
        CONTEXT = "context", _("Context only (not scored)")

    code = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=300)
    definition = models.TextField(_("definition"))
    computation = models.TextField(
        _("computation"), blank=True, help_text=_("How the value is computed from the source.")
    )
    unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices)
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    target = models.FloatField(_("target"), null=True, blank=True)
    valid_min = models.FloatField(
        _("smallest possible value"), null=True, blank=True, help_text=_("Imports reject less.")
    )
    valid_max = models.FloatField(
        _("largest possible value"), null=True, blank=True, help_text=_("Imports reject more.")
    )
    statcan_mapping = models.JSONField(
        _("Statistics Canada mapping"),
        default=dict,
        blank=True,
        help_text=_("Which member of a full table or census profile feeds this indicator."),
    )
    geography = models.CharField(
        _("geography"), max_length=80, blank=True, help_text=_("Levels the source covers.")
    )
    characteristics = models.ManyToManyField(
        Characteristic,
        verbose_name=_("characteristics"),
        blank=True,
        related_name="indicators",
    )
    qolrs_category = models.ForeignKey(
        QolrsCategory,
        verbose_name=_("QOLRS category"),
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    source = models.CharField(_("source"), max_length=300)
    licence = models.CharField(_("licence"), max_length=200)
    attribution = models.TextField(_("attribution"))

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["qolrs_category__order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(direction="target") | models.Q(target__isnull=False),
                name="indicator_target_needs_value",
            )
        ]

    def __str__(self) -> str:
        return str(self.name)


class ImportBatch(models.Model):
    """One import of one file: the provenance every value it wrote points back to."""

    class Format(models.TextChoices):
        STATCAN = "statcan", _("Statistics Canada file")
        TIDY = "tidy", _("Tidy CSV or XLSX")
        API = "api", _("API")
        COMPUTED = "computed", _("Computed by Welcoming from other values")

    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("file hash (SHA-256)"), max_length=64, db_index=True)
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    values_created = models.PositiveIntegerField(_("values created"), default=0)
    values_updated = models.PositiveIntegerField(_("values updated"), default=0)
    values_unchanged = models.PositiveIntegerField(_("values unchanged"), default=0)
    # Provenance of every value the import wrote: whose data, under which licence, and how a
    # computed value was made. Never taken from an indicator's default source.
    source = models.CharField(_("source"), max_length=500, blank=True)
    licence = models.CharField(_("licence"), max_length=200, blank=True)
    attribution = models.TextField(_("attribution"), blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.imported_at:%Y-%m-%d %H:%M})"

    @property
    def provenance(self) -> str:
        """The source a person reads beside a value: the batch's own, else the file it came in."""
        if self.source:
            return str(self.source)
        return gettext("Imported file %(file)s") % {"file": self.file_name}


class IndicatorValue(models.Model):
    """The value of one indicator for one community in one period."""

    class Status(models.TextChoices):
        FINAL = "", _("Final")
        ESTIMATE = "estimate", _("Estimate")
        SUPPRESSED = "suppressed", _("Suppressed")
        IMPUTED = "imputed", _("Imputed")
        PROVISIONAL = "provisional", _("Provisional")

    # No single-column indexes: the unique key leads with the community and the (indicator,
    # period) index with the indicator; two more indexes would only slow a million-row import.
    community = models.ForeignKey(
        Community,
        verbose_name=_("community"),
        on_delete=models.CASCADE,
        related_name="values",
        db_index=False,
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="values",
        db_index=False,
    )
    period = models.CharField(_("period"), max_length=16, help_text=_("A year such as 2021."))
    value = models.FloatField(_("value"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, blank=True, default=Status.FINAL
    )
    batch = models.ForeignKey(
        ImportBatch,
        verbose_name=_("import"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="values",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["community", "indicator", "period"], name="value_unique_key"
            ),
            models.CheckConstraint(
                condition=models.Q(value__isnull=False) | models.Q(status="suppressed"),
                name="value_missing_only_when_suppressed",
            ),
        ]
        indexes = [models.Index(fields=["indicator", "period"])]

    def __str__(self) -> str:
        return f"{self.indicator.code} · {self.community.code} · {self.period}"


class ImportJob(UploadJob):
    """An import started from the web or the API and run by a worker: the stored upload, where
    the worker is, and how it ended (a batch, the bad rows, or a failure)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for a worker")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        REJECTED = "rejected", _("Rejected: nothing was imported")
        FAILED = "failed", _("Failed: nothing was imported")

    class Phase(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        READING = "reading", _("Reading the file")
        WRITING = "writing", _("Checking and writing the values")
        FINISHED = "finished", _("Finished")

    format = models.CharField(_("format"), max_length=8, choices=ImportBatch.Format.choices)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    phase = models.CharField(_("phase"), max_length=8, choices=Phase.choices, default="waiting")
    bytes_read = models.PositiveBigIntegerField(_("bytes read"), default=0)
    report = models.JSONField(_("report"), default=dict, blank=True)
    errors = models.JSONField(_("bad rows"), default=list, blank=True)
    errors_total = models.PositiveIntegerField(_("number of bad rows"), default=0)
    batch = models.ForeignKey(
        ImportBatch,
        verbose_name=_("import"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.REJECTED, self.Status.FAILED}

    @property
    def percent_read(self) -> int:
        if not self.bytes_total:
            return 0
        return min(100, round(100 * self.bytes_read / self.bytes_total))
