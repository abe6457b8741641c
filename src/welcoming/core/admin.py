from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Community, Organization

admin.site.site_header = _("Welcoming administration")
admin.site.site_title = _("Welcoming")


class AuditedTranslationAdmin(SimpleHistoryAdmin, TabbedTranslationAdmin):
    """Bilingual tabs for content, and the history of every change."""


@admin.register(Community)
class CommunityAdmin(AuditedTranslationAdmin):
    list_display = ["code", "name", "level", "parent", "population", "size_class"]
    list_filter = ["level", "size_class"]
    search_fields = ["code", "dguid", "name_en", "name_fr", "search_text"]
    list_select_related = ["parent"]
    raw_id_fields = ["parent"]
    readonly_fields = ["search_text"]


@admin.register(Organization)
class OrganizationAdmin(AuditedTranslationAdmin):
    list_display = ["name", "sector", "community"]
    list_filter = ["sector"]
    search_fields = ["name_en", "name_fr"]
    list_select_related = ["community"]
    autocomplete_fields = ["community"]
