from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrameworkConfig(AppConfig):
    name = "welcoming.framework"
    label = "framework"
    verbose_name = _("Welcoming-community framework")

    def ready(self) -> None:
        from welcoming.core import datastate

        from .models import Characteristic, CharacteristicGroup, QolrsCategory

        # Scores are grouped by characteristic, group and category, and kept with their names.
        datastate.register_history(Characteristic)
        datastate.register_history(CharacteristicGroup)
        datastate.register_history(QolrsCategory)
