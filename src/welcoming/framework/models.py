"""The welcoming-community framework as data: characteristics, their groups, QOLRS categories."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Framework(models.Model):
    """A versioned set of characteristics; several can coexist (a municipality may add its own)."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    version = models.CharField(_("version"), max_length=32)
    name = models.CharField(_("name"), max_length=200)
    citation = models.TextField(_("citation"), blank=True)
    source_sha256 = models.CharField(_("source file hash"), max_length=64, editable=False)
    loaded_at = models.DateTimeField(_("loaded"), auto_now=True)

    class Meta:
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")
        ordering = ["code"]

    def __str__(self) -> str:
        return str(self.name)


class QolrsCategory(models.Model):
    """One of the indicator categories of FCM's Quality of Life Reporting System."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=200)
    highlighted = models.BooleanField(
        _("highlighted in the Community Connections presentation"), default=False
    )

    class Meta:
        verbose_name = _("QOLRS category")
        verbose_name_plural = _("QOLRS categories")
        ordering = ["order"]

    def __str__(self) -> str:
        return str(self.name)


class CharacteristicGroup(models.Model):
    """One of the four groups the Community Connections presentation puts characteristics in."""

    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.CASCADE, related_name="groups"
    )
    code = models.CharField(_("code"), max_length=16)
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("characteristic group")
        verbose_name_plural = _("characteristic groups")
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="group_unique_code")
        ]

    def __str__(self) -> str:
        return str(self.name)


class Characteristic(models.Model):
    """A characteristic of a welcoming community (Esses et al. 2010), ranked by importance."""

    framework = models.ForeignKey(
        Framework,
        verbose_name=_("framework"),
        on_delete=models.CASCADE,
        related_name="characteristics",
    )
    group = models.ForeignKey(
        CharacteristicGroup,
        verbose_name=_("group"),
        on_delete=models.CASCADE,
        related_name="characteristics",
    )
    code = models.SlugField(_("code"), max_length=64)
    rank = models.PositiveSmallIntegerField(_("rank of importance"))
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"))
    subgroup = models.CharField(_("subgroup"), max_length=32, blank=True)
    survey_only = models.BooleanField(
        _("needs survey data"),
        default=False,
        help_text=_("No administrative data measures it; only a survey can."),
    )
    survey_guidance = models.TextField(_("what to collect"), blank=True)
    qolrs_categories = models.ManyToManyField(
        QolrsCategory,
        verbose_name=_("QOLRS categories"),
        blank=True,
        related_name="characteristics",
    )

    class Meta:
        verbose_name = _("characteristic")
        verbose_name_plural = _("characteristics")
        ordering = ["framework", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"], name="characteristic_unique_code"
            ),
            models.UniqueConstraint(
                fields=["framework", "rank"], name="characteristic_unique_rank"
            ),
        ]

    def __str__(self) -> str:
        return str(self.name)
