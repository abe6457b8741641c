"""Reads on the framework, shaped for the framework page."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch

from .models import Characteristic, CharacteristicGroup, Framework, QolrsCategory

DEFAULT_FRAMEWORK = "esses-2010"


@dataclass(frozen=True)
class FrameworkOverview:
    """A framework's groups (each with its ranked characteristics) and the QOLRS categories.

    Every characteristic comes with its categories and indicators prefetched; every category
    with the framework's characteristics it informs and its number of indicators.
    """

    framework: Framework
    groups: tuple[CharacteristicGroup, ...]
    categories: tuple[QolrsCategory, ...]

    @property
    def characteristic_count(self) -> int:
        return sum(len(group.characteristics.all()) for group in self.groups)


def framework_overview(*, code: str = DEFAULT_FRAMEWORK) -> FrameworkOverview | None:
    """The framework `code` for reading, in a fixed number of queries; None if it is not loaded."""
    framework = Framework.objects.filter(code=code).first()
    if framework is None:
        return None
    characteristics = (
        Characteristic.objects.filter(framework=framework)
        .order_by("rank")
        .prefetch_related("qolrs_categories", "indicators")
    )
    groups = CharacteristicGroup.objects.filter(framework=framework).prefetch_related(
        Prefetch("characteristics", queryset=characteristics)
    )
    categories = QolrsCategory.objects.annotate(
        indicator_count=Count("indicators", distinct=True)
    ).prefetch_related(
        Prefetch(
            "characteristics",
            queryset=Characteristic.objects.filter(framework=framework).order_by("rank"),
        )
    )
    return FrameworkOverview(framework, tuple(groups), tuple(categories))
