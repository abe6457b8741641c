"""Bilingual fields: modeltranslation adds name_en and name_fr; the public sees both."""

from modeltranslation.translator import TranslationOptions, register

from .history import track_history
from .models import Community, Organization


@register(Community)
class CommunityTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("en", "fr")


@register(Organization)
class OrganizationTranslation(TranslationOptions):
    # Imported directories are often in English only: the French name may stay empty (pages
    # fall back to English through `Organization.localized_name`).
    fields = ("name", "alternate_name", "description")
    required_languages = {"en": ("name",)}


track_history(Community)
track_history(Organization)
