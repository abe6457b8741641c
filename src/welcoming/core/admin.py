from typing import Any

from django.contrib import admin
from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin
from rules.contrib.admin import ObjectPermissionsModelAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from .models import Community, Organization

admin.site.site_header = _("Welcoming administration")
admin.site.site_title = _("Welcoming")


class ObjectPermissionsAdmin(ObjectPermissionsModelAdminMixin, admin.ModelAdmin):
    """The admin asks the same per-object rules as the site: view, change and delete with the
    object, and a new or changed object is checked as it would be saved (so an organization's
    administrator cannot move something into another organization)."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        action = "change" if change else "add"
        perm = f"{self.opts.app_label}.{get_permission_codename(action, self.opts)}"
        if not request.user.has_perm(perm, obj):
            raise PermissionDenied
        super().save_model(request, obj, form, change)


class AuditedTranslationAdmin(ObjectPermissionsAdmin, SimpleHistoryAdmin, TabbedTranslationAdmin):
    """Bilingual tabs for content, the history of every change, and per-object permissions."""


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
    list_display = ["name", "sector", "community", "is_active", "is_installation"]
    list_filter = ["sector", "is_active", "is_installation"]
    search_fields = ["name_en", "name_fr"]
    list_select_related = ["community"]
    autocomplete_fields = ["community"]

    def get_readonly_fields(
        self, request: HttpRequest, obj: Organization | None = None
    ) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.has_perm("core.designate_installation", obj):
            fields.append("is_installation")
        return fields
