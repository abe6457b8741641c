"""Scoring profiles: the methodological choices behind a scorecard, named and versioned."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from welcoming.core.models import Community
from welcoming.framework.models import Characteristic, CharacteristicGroup
from welcoming.indicators.models import Indicator


class ScoringProfile(models.Model):
    """One version of a named set of scoring choices; a change saves a new version."""

    class Normalisation(models.TextChoices):
        MINMAX = "minmax", _("Min–max to 0–100")
        ZSCORE = "zscore", _("z-score")
        PCTRANK = "pctrank", _("Percentile rank")
        GOALPOSTS = "goalposts", _("Fixed goalposts: comparable across periods")

    class Aggregation(models.TextChoices):
        ARITH = "arith", _("Arithmetic mean")
        GEOM = "geom", _("Geometric mean")

    class Missing(models.TextChoices):
        EXCLUDE = "exclude", _("Exclude and re-weight")
        IMPUTE = "impute_peer_median", _("Impute with the peer-group median")

    class WeightNoise(models.TextChoices):
        DIRICHLET = "dirichlet", _("Dirichlet around the weights (concentration 50)")
        UNIFORM = "uniform", _("COINr's noise: each weight × (1 + f·(2u − 1))")

    class PeerGroup(models.TextChoices):
        PROVINCE = "province", _("Province or territory")
        SIZE = "size", _("Population-size class")
        SIMILAR = "similar", _("The 10 communities most alike in demographic profile")
        LIST = "list", _("A list of communities")

    # What a data steward chooses; a new version starts from the previous version's choices.
    CHOICE_FIELDS = (
        "normalisation",
        "aggregation",
        "missing",
        "min_coverage",
        "min_framework_coverage",
        "winsorise",
        "peer_group",
        "peer_list",
        "weights",
        "weight_noise",
        "noise_factor",
        "label_en",
        "label_fr",
    )

    name = models.SlugField(_("name"), max_length=64)
    label = models.CharField(
        _("display name"),
        max_length=120,
        blank=True,
        help_text=_("The name people read, in each language; the slug when left empty."),
    )
    version = models.PositiveIntegerField(_("version"))
    normalisation = models.CharField(
        _("normalisation"),
        max_length=12,
        choices=Normalisation.choices,
        default=Normalisation.MINMAX,
    )
    aggregation = models.CharField(
        _("aggregation"), max_length=8, choices=Aggregation.choices, default=Aggregation.ARITH
    )
    missing = models.CharField(
        _("missing data"), max_length=24, choices=Missing.choices, default=Missing.EXCLUDE
    )
    min_coverage = models.FloatField(_("minimum coverage"), default=0.5)
    min_framework_coverage = models.FloatField(
        _("minimum share of characteristics"),
        default=0.5,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text=_(
            "An overall or group score is shown only when at least this share of the "
            "framework's characteristics (or of the group's) has a score."
        ),
    )
    winsorise = models.BooleanField(_("treat outliers"), default=False)
    peer_group = models.CharField(
        _("peer group"), max_length=8, choices=PeerGroup.choices, default=PeerGroup.PROVINCE
    )
    peer_list = models.JSONField(
        _("peer list"),
        default=list,
        blank=True,
        help_text=_("Statistics Canada codes of the peer group when it is a list."),
    )
    weights = models.JSONField(
        _("weights"),
        default=dict,
        blank=True,
        help_text=_("Weight by indicator or characteristic code; missing codes weigh 1."),
    )
    weight_noise = models.CharField(
        _("weight variation in the uncertainty analysis"),
        max_length=12,
        choices=WeightNoise.choices,
        default=WeightNoise.DIRICHLET,
    )
    noise_factor = models.FloatField(
        _("noise factor f"),
        default=0.25,
        help_text=_("For COINr's noise: each weight varies by up to this share (0 to 0.95)."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("scoring profile")
        verbose_name_plural = _("scoring profiles")
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="profile_unique_version"),
            models.CheckConstraint(
                condition=models.Q(min_coverage__gte=0, min_coverage__lte=1),
                name="profile_coverage_range",
            ),
            models.CheckConstraint(
                condition=models.Q(noise_factor__gte=0, noise_factor__lte=0.95),
                name="profile_noise_factor_range",
            ),
            models.CheckConstraint(
                condition=models.Q(min_framework_coverage__gte=0, min_framework_coverage__lte=1),
                name="profile_framework_coverage_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @property
    def display_name(self) -> str:
        """The name in the active language, else the slug."""
        return str(self.label or self.name)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        """Versions are never deleted: a published scorecard names the version it was scored
        with, and a deleted latest version would hand its number to a different set of choices."""
        refused = _("A scoring-profile version cannot be deleted; save a new version instead.")
        raise models.ProtectedError(str(refused), {self})

    def clean(self) -> None:
        """A list peer group names known communities; weights are numbers from 0 to 100, each
        for a known indicator, characteristic or group (a misspelt code would weigh nothing)."""
        errors: dict[str, Any] = {}
        codes = self.peer_list if isinstance(self.peer_list, list) else None
        if codes is None or not all(isinstance(c, str) for c in codes):
            errors["peer_list"] = _("Give a list of community codes.")
        elif self.peer_group == self.PeerGroup.LIST and not codes:
            errors["peer_list"] = _("A list peer group needs at least one community code.")
        elif codes:
            known = set(Community.objects.filter(code__in=codes).values_list("code", flat=True))
            unknown = sorted(set(codes) - known)
            if unknown:
                errors["peer_list"] = _("Unknown community codes: %(codes)s.") % {
                    "codes": ", ".join(unknown)
                }
        weights = self.weights if isinstance(self.weights, dict) else None
        if weights is None or not all(
            isinstance(w, int | float) and not isinstance(w, bool) and 0 <= w <= 100
            for w in weights.values()
        ):
            errors["weights"] = _("Each weight is a number from 0 to 100.")
        elif weights:
            unknown = sorted(set(weights) - _weighable(set(weights)))
            if unknown:
                errors["weights"] = _(
                    "Unknown codes: %(codes)s. Weigh an indicator, a characteristic or a group."
                ) % {"codes": ", ".join(unknown)}
        if weights and "weights" not in errors:
            from .weights import scoring_weights_check  # it reads the trees the selectors build

            refused = scoring_weights_check(weights=weights)
            if refused:
                errors["weights"] = refused
        if errors:
            raise ValidationError(errors)


def _weighable(codes: set[str]) -> set[str]:
    """Those of `codes` that name an indicator, a characteristic or a group of characteristics."""
    return {
        *Indicator.objects.filter(code__in=codes).values_list("code", flat=True),
        *Characteristic.objects.filter(code__in=codes).values_list("code", flat=True),
        *CharacteristicGroup.objects.filter(code__in=codes).values_list("code", flat=True),
    }
