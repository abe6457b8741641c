from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScorecardsConfig(AppConfig):
    name = "welcoming.scorecards"
    label = "scorecards"
    verbose_name = _("Scorecards")

    def ready(self) -> None:
        from welcoming.indicators.signals import values_imported

        from .tasks import warm_after_import

        values_imported.connect(warm_after_import, dispatch_uid="scorecards:warm_after_import")
