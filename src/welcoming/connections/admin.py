"""The admin for connections: an organization's administrators see and change their own
organization's programs, people and matches only (the same rules as the pages)."""

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from welcoming.core.admin import AuditedTranslationAdmin, ObjectPermissionsAdmin

from .models import (
    Attendance,
    Feedback,
    GroupActivity,
    HostLanguage,
    HostProfile,
    Interaction,
    Match,
    MatchHost,
    MatchRun,
    NewcomerLanguage,
    NewcomerProfile,
    Program,
)
from .selectors import organizations_served_by


class OwnOrganizationAdmin(ObjectPermissionsAdmin):
    """Lists only what belongs to the organizations the person serves newcomers in."""

    organization_path = "organization"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        served = organizations_served_by(user=request.user)  # type: ignore[arg-type]
        mine = Q(**{f"{self.organization_path}__in": served})
        return super().get_queryset(request).filter(mine)

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        """Any organization's record, so that another's answers 403 from the per-object rules
        like every other admin, rather than the list's "does not exist" redirect."""
        field = self.opts.pk if from_field is None else self.opts.get_field(from_field)
        try:
            value = field.to_python(object_id)  # type: ignore[union-attr]
            return self.model._default_manager.get(**{field.name: value})
        except (self.model.DoesNotExist, ValidationError, ValueError):
            return None


@admin.register(Program)
class ProgramAdmin(OwnOrganizationAdmin, AuditedTranslationAdmin):
    list_display = ["name", "kind", "organization", "is_active"]
    list_filter = ["kind", "is_active", "delivery"]
    search_fields = ["name_en", "name_fr"]
    list_select_related = ["organization"]
    autocomplete_fields = ["communities"]
    raw_id_fields = ["organization"]


class NewcomerLanguageInline(admin.TabularInline):
    model = NewcomerLanguage
    extra = 0


class HostLanguageInline(admin.TabularInline):
    model = HostLanguage
    extra = 0


class ProfileAdmin(OwnOrganizationAdmin, SimpleHistoryAdmin):
    list_select_related = ["organization", "community"]
    search_fields = ["name"]
    raw_id_fields = ["organization", "community", "user"]
    readonly_fields = ["latitude", "longitude", "is_sample"]
    filter_horizontal = ["programs"]


@admin.register(NewcomerProfile)
class NewcomerProfileAdmin(ProfileAdmin):
    list_display = ["name", "status", "community", "organization", "is_sample"]
    list_filter = ["status", "age_group", "is_sample"]
    inlines = [NewcomerLanguageInline]
    readonly_fields = [*ProfileAdmin.readonly_fields, "consent"]


@admin.register(HostProfile)
class HostProfileAdmin(ProfileAdmin):
    list_display = ["name", "kind", "status", "capacity", "police_check_expires", "organization"]
    list_filter = ["kind", "status", "is_sample"]
    inlines = [HostLanguageInline]


@admin.register(MatchRun)
class MatchRunAdmin(OwnOrganizationAdmin):
    organization_path = "program__organization"
    list_display = ["program", "solver", "status", "progress", "created_at", "proposals_count"]
    list_filter = ["solver", "status"]
    list_select_related = ["program"]
    raw_id_fields = ["program", "actor"]


class MatchHostInline(admin.TabularInline):
    model = MatchHost
    extra = 0
    raw_id_fields = ["host"]


@admin.register(Match)
class MatchAdmin(OwnOrganizationAdmin, SimpleHistoryAdmin):
    organization_path = "program__organization"
    list_display = ["newcomer", "program", "status", "score", "held", "created_at"]
    list_filter = ["status", "held"]
    list_select_related = ["newcomer", "program"]
    raw_id_fields = ["run", "program", "newcomer", "decided_by"]
    inlines = [MatchHostInline]


@admin.register(Interaction)
class InteractionAdmin(OwnOrganizationAdmin):
    organization_path = "match__program__organization"
    list_display = ["match", "date", "kind", "duration_minutes"]
    list_filter = ["kind"]
    raw_id_fields = ["match", "logged_by"]


@admin.register(Feedback)
class FeedbackAdmin(OwnOrganizationAdmin):
    organization_path = "match__program__organization"
    list_display = ["match", "side", "rating", "created_at"]
    list_filter = ["side", "rating"]
    raw_id_fields = ["match", "host", "given_by"]


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    raw_id_fields = ["newcomer", "host"]


@admin.register(GroupActivity)
class GroupActivityAdmin(OwnOrganizationAdmin):
    organization_path = "program__organization"
    list_display = ["title", "program", "date", "community"]
    raw_id_fields = ["program", "community", "created_by"]
    inlines = [AttendanceInline]


@admin.register(NewcomerLanguage)
class NewcomerLanguageAdmin(OwnOrganizationAdmin):
    organization_path = "newcomer__organization"
    list_display = ["newcomer", "code", "level"]
    raw_id_fields = ["newcomer"]


@admin.register(HostLanguage)
class HostLanguageAdmin(OwnOrganizationAdmin):
    organization_path = "host__organization"
    list_display = ["host", "code", "level"]
    raw_id_fields = ["host"]


@admin.register(MatchHost)
class MatchHostAdmin(OwnOrganizationAdmin):
    organization_path = "match__program__organization"
    list_display = ["match", "host", "score", "confirmed_at"]
    raw_id_fields = ["match", "host"]


@admin.register(Attendance)
class AttendanceAdmin(OwnOrganizationAdmin):
    organization_path = "activity__program__organization"
    list_display = ["activity", "newcomer", "host", "anonymous_count"]
    raw_id_fields = ["activity", "newcomer", "host"]
