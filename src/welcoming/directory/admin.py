from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline
from modeltranslation.translator import translator
from rules.contrib.admin import ObjectPermissionsInlineModelAdminMixin

from welcoming.core.admin import AuditedTranslationAdmin, ObjectPermissionsAdmin

from .models import (
    Accessibility,
    Address,
    Attribute,
    Contact,
    CostOption,
    DuplicateDismissal,
    FeedImportJob,
    Funding,
    ImportRun,
    Language,
    Location,
    OrganizationIdentifier,
    Phone,
    Program,
    RequiredDocument,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceMerge,
    Taxonomy,
    TaxonomyTerm,
    TermMapping,
    Verification,
)


class StewardedAdmin(AuditedTranslationAdmin):
    """A record a steward changes by hand: the next import of its feed holds its own version
    for review instead of writing over the steward's."""

    readonly_fields = ["hsds_id", "source", "source_id", "imported_at", "edited_by_steward_at"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.edited_by_steward_at = timezone.now()
        if change and hasattr(obj, "version"):  # a steward's form opened before is now stale
            obj.version += 1
        super().save_model(request, obj, form, change)


# --- the parts of a service or a site, edited on its page ----------------------------------------


class PartInline(ObjectPermissionsInlineModelAdminMixin, admin.TabularInline):
    """A part of a service or a site: whoever may change the record may change its parts (the
    permission is asked with the record, so with its organization)."""

    extra = 0
    exclude = ["hsds_id"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm(f"directory.add_{self.opts.model_name}", obj)


class TranslatedPartInline(PartInline, TranslationTabularInline):
    """A part with text in English and French (one column per language)."""


def _inline(part: type[Any], owner: str, **options: Any) -> type[PartInline]:
    """An inline of `part` on the page of its `owner` (the other owner links hidden)."""
    owners = {"service", "location", "organization", "contact", "phone", "service_at_location"}
    hidden = [f.name for f in part._meta.fields if f.name in owners - {owner}]
    attributes = {"model": part, "fk_name": owner, "exclude": ["hsds_id", *hidden], **options}
    base = TranslatedPartInline if part in translator.get_registered_models() else PartInline
    return type(f"{part.__name__}On{owner.title()}Inline", (base,), attributes)


SERVICE_INLINES: list[type[admin.options.InlineModelAdmin[Any, Any]]] = [
    _inline(ServiceAtLocation, "service", raw_id_fields=["location"]),
    _inline(Phone, "service"),
    _inline(Schedule, "service"),
    _inline(Language, "service"),
    _inline(ServiceArea, "service", raw_id_fields=["community"]),
    _inline(RequiredDocument, "service"),
    _inline(CostOption, "service"),
    _inline(Funding, "service"),
    _inline(Contact, "service"),
    _inline(Attribute, "service", raw_id_fields=["taxonomy_term"]),
]
LOCATION_INLINES: list[type[admin.options.InlineModelAdmin[Any, Any]]] = [
    _inline(Address, "location"),
    _inline(Accessibility, "location"),
    _inline(Phone, "location"),
    _inline(Schedule, "location"),
    _inline(Language, "location"),
]


@admin.register(Service)
class ServiceAdmin(StewardedAdmin):
    list_display = ["name", "organization", "status", "source", "last_verified"]
    list_filter = ["status", "source"]
    search_fields = ["name_en", "name_fr", "source_id"]
    list_select_related = ["organization"]
    raw_id_fields = ["organization", "program"]
    inlines = SERVICE_INLINES


@admin.register(Location)
class LocationAdmin(StewardedAdmin):
    list_display = ["name", "organization", "location_type", "is_active", "source"]
    list_filter = ["location_type", "is_active", "source"]
    search_fields = ["name_en", "name_fr", "source_id"]
    list_select_related = ["organization"]
    raw_id_fields = ["organization", "community"]
    inlines = LOCATION_INLINES


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


@admin.register(FeedImportJob)
class FeedImportJobAdmin(ObjectPermissionsAdmin):
    list_display = ["file_name", "created_at", "created_by", "status", "phase", "records_read"]
    list_filter = ["status", "phase"]
    search_fields = ["file_name"]
    list_select_related = ["created_by"]
    readonly_fields = [f.name for f in FeedImportJob._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A job is started by an upload on the stewards' pages, never written by hand.
        return False


# --- stewardship ---------------------------------------------------------------------------------


@admin.register(TermMapping)
class TermMappingAdmin(ObjectPermissionsAdmin):
    list_display = ["term", "target"]
    list_select_related = ["term", "target"]
    search_fields = ["term__code", "target__code", "term__name_en", "target__name_en"]
    raw_id_fields = ["term", "target"]


class WrittenByStewardsAdmin(ObjectPermissionsAdmin):
    """Written by the stewards' services only: the admin shows them, as the record of who did
    what."""

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in self.opts.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Verification)
class VerificationAdmin(WrittenByStewardsAdmin):
    list_display = ["service", "verified_on", "verified_by", "note"]
    list_select_related = ["service", "verified_by"]
    search_fields = ["service__name_en", "service__name_fr"]


@admin.register(ServiceMerge)
class ServiceMergeAdmin(WrittenByStewardsAdmin):
    list_display = ["merged_name", "kept", "merged_by", "merged_at"]
    list_select_related = ["kept", "merged_by"]
    search_fields = ["merged_name", "kept__name_en", "merged_source_id"]


@admin.register(DuplicateDismissal)
class DuplicateDismissalAdmin(WrittenByStewardsAdmin):
    list_display = ["first", "second", "dismissed_by", "dismissed_at"]
    list_select_related = ["first", "second", "dismissed_by"]
    search_fields = ["first__name_en", "second__name_en"]


@admin.register(OrganizationIdentifier)
class OrganizationIdentifierAdmin(ObjectPermissionsAdmin):
    """An organization's charity or business numbers: kept by its own stewards."""

    list_display = ["organization", "identifier_type", "identifier"]
    list_select_related = ["organization"]
    search_fields = ["identifier", "organization__name_en"]
    raw_id_fields = ["organization"]
