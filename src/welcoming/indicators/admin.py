from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from welcoming.core.admin import AuditedTranslationAdmin, ObjectPermissionsAdmin

from .models import ImportBatch, ImportJob, Indicator, IndicatorValue


@admin.register(Indicator)
class IndicatorAdmin(AuditedTranslationAdmin):
    list_display = ["code", "name", "unit", "direction", "qolrs_category"]
    list_filter = ["qolrs_category", "direction", "unit"]
    search_fields = ["code", "name_en", "name_fr"]
    list_select_related = ["qolrs_category"]
    filter_horizontal = ["characteristics"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(ObjectPermissionsAdmin, SimpleHistoryAdmin):
    list_display = ["indicator", "community", "period", "value", "status", "batch"]
    list_filter = ["status", "indicator"]
    search_fields = ["community__code", "community__name_en", "indicator__code", "period"]
    list_select_related = ["indicator", "community", "batch"]
    # A million rows: no full-table dropdowns, no second count for the filtered total.
    raw_id_fields = ["community", "batch"]
    autocomplete_fields = ["indicator"]
    show_full_result_count = False


@admin.register(ImportBatch)
class ImportBatchAdmin(ObjectPermissionsAdmin):
    list_display = [
        "file_name",
        "format",
        "imported_at",
        "imported_by",
        "values_created",
        "values_updated",
    ]
    list_filter = ["format"]
    search_fields = ["file_name", "sha256"]
    list_select_related = ["imported_by"]
    readonly_fields = [f.name for f in ImportBatch._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A batch is provenance: only an import writes one, with the values it brought.
        return False


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["file_name", "format", "created_at", "created_by", "status", "phase"]
    list_filter = ["status", "format"]
    search_fields = ["file_name"]
    list_select_related = ["created_by"]
    readonly_fields = [f.name for f in ImportJob._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A job is started by an upload, from the web or the API, never written by hand.
        return False
