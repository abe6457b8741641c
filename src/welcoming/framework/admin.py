from django.contrib import admin

from welcoming.core.admin import AuditedTranslationAdmin

from .models import Characteristic, CharacteristicGroup, Framework, QolrsCategory


@admin.register(Framework)
class FrameworkAdmin(AuditedTranslationAdmin):
    list_display = ["code", "name", "version", "loaded_at"]
    search_fields = ["code", "name_en", "name_fr"]
    readonly_fields = ["source_sha256"]


@admin.register(CharacteristicGroup)
class CharacteristicGroupAdmin(AuditedTranslationAdmin):
    list_display = ["framework", "code", "name", "order"]
    list_filter = ["framework"]
    search_fields = ["code", "name_en", "name_fr"]
    list_select_related = ["framework"]


@admin.register(Characteristic)
class CharacteristicAdmin(AuditedTranslationAdmin):
    list_display = ["rank", "name", "group", "framework", "survey_only"]
    list_filter = ["framework", "group", "survey_only"]
    search_fields = ["code", "name_en", "name_fr"]
    list_select_related = ["group", "framework"]
    filter_horizontal = ["qolrs_categories"]


@admin.register(QolrsCategory)
class QolrsCategoryAdmin(AuditedTranslationAdmin):
    list_display = ["order", "code", "name", "highlighted"]
    search_fields = ["code", "name_en", "name_fr"]
