from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "welcoming.directory"
    label = "directory"
    verbose_name = _("Directory")

    def ready(self) -> None:
        from .search_index import connect_organization_saves

        connect_organization_saves()
