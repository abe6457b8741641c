"""Bilingual fields: a program's name, description and schedule in English and French."""

from modeltranslation.translator import TranslationOptions, register

from welcoming.core.history import track_history

from .models import Program


@register(Program)
class ProgramTranslation(TranslationOptions):
    fields = ("name", "description", "schedule")
    required_languages = {"en": ("name",), "fr": ("name",)}


track_history(Program)
