from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScorecardsConfig(AppConfig):
    name = "welcoming.scorecards"
    label = "scorecards"
    verbose_name = _("Scorecards")

    def ready(self) -> None:
        from welcoming.core import datastate
        from welcoming.indicators.signals import values_imported

        from .models import ScoringProfile
        from .tasks import warm_after_import

        # Each save of a profile is a new version (a new row): pages kept per data state show
        # the version in force (core/pages.py).
        datastate.register(ScoringProfile, time="created_at")

        values_imported.connect(warm_after_import, dispatch_uid="scorecards:warm_after_import")
