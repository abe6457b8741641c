from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "welcoming.indicators"
    label = "indicators"
    verbose_name = _("Indicators")

    def ready(self) -> None:
        from welcoming.core import datastate

        from .models import ImportBatch, Indicator, IndicatorValue

        datastate.register(ImportBatch, time="imported_at")
        datastate.register(IndicatorValue)  # bulk inserts leave no audit row
        datastate.register_history(IndicatorValue)
        datastate.register_history(Indicator)
