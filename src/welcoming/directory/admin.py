from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone
from modeltranslation.admin import TabbedTranslationAdmin

from welcoming.core.admin import AuditedTranslationAdmin, ObjectPermissionsAdmin

from .models import ImportRun, Location, Program, Service, Taxonomy, TaxonomyTerm


class StewardedAdmin(AuditedTranslationAdmin):
    """A record a steward changes by hand: the next import of its feed holds its own version
    for review instead of writing over the steward's."""

    readonly_fields = ["hsds_id", "source", "source_id", "imported_at", "edited_by_steward_at"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.edited_by_steward_at = timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(Service)
class ServiceAdmin(StewardedAdmin):
    list_display = ["name", "organization", "status", "source", "last_verified"]
    list_filter = ["status", "source"]
    search_fields = ["name_en", "name_fr", "source_id"]
    list_select_related = ["organization"]
    raw_id_fields = ["organization", "program"]


@admin.register(Location)
class LocationAdmin(StewardedAdmin):
    list_display = ["name", "organization", "location_type", "is_active", "source"]
    list_filter = ["location_type", "is_active", "source"]
    search_fields = ["name_en", "name_fr", "source_id"]
    list_select_related = ["organization"]
    raw_id_fields = ["organization", "community"]


@admin.register(Program)
class ProgramAdmin(StewardedAdmin):
    list_display = ["name", "organization", "source"]
    search_fields = ["name_en", "name_fr"]
    list_select_related = ["organization"]
    raw_id_fields = ["organization"]


class TranslatedAdmin(ObjectPermissionsAdmin, TabbedTranslationAdmin):
    """Shared reference data: bilingual tabs and per-object permissions, no history."""


@admin.register(Taxonomy)
class TaxonomyAdmin(TranslatedAdmin):
    list_display = ["name", "version", "uri"]
    readonly_fields = ["hsds_id"]


@admin.register(TaxonomyTerm)
class TaxonomyTermAdmin(TranslatedAdmin):
    list_display = ["code", "name", "taxonomy", "parent"]
    list_filter = ["taxonomy"]
    search_fields = ["code", "name_en", "name_fr"]
    raw_id_fields = ["parent"]
    readonly_fields = ["hsds_id"]


@admin.register(ImportRun)
class ImportRunAdmin(ObjectPermissionsAdmin):
    list_display = [
        "imported_at",
        "source",
        "format",
        "file_name",
        "added",
        "updated",
        "deactivated",
        "flagged",
        "rejected",
        "dropped",
    ]
    list_filter = ["source", "format"]
    readonly_fields = [f.name for f in ImportRun._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
