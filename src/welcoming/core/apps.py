from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "welcoming.core"
    label = "core"
    verbose_name = _("Communities and organizations")

    def ready(self) -> None:
        from . import datastate
        from .models import Community

        datastate.connect_requests()
        datastate.register_history(Community)  # names, levels and parents feed peer groups
        from . import lookups, ratelimit  # noqa: F401  (register `any_of` and the rate check)
