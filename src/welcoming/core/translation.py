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
    fields = ("name",)
    required_languages = ("en", "fr")


track_history(Community)
track_history(Organization)
