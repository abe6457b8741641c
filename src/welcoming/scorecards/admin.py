from django.contrib import admin

from welcoming.core.admin import ObjectPermissionsAdmin

from .models import ScoringProfile


@admin.register(ScoringProfile)
class ScoringProfileAdmin(ObjectPermissionsAdmin):
    """Read-only: profiles change through the service, which saves a new version each time, and
    no version is ever deleted (see `ScoringProfile.delete`)."""

    list_display = [
        "name",
        "version",
        "normalisation",
        "aggregation",
        "missing",
        "created_at",
        "created_by",
    ]
    list_filter = ["name", "normalisation", "aggregation"]
    list_select_related = ["created_by"]

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
