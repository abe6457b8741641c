from modeltranslation.translator import TranslationOptions, register

from welcoming.core.history import track_history

from .models import ImportBatch, Indicator


@register(Indicator)
class IndicatorTranslation(TranslationOptions):
    fields = ("name", "definition", "computation", "source", "licence", "attribution")
    required_languages = {
        "en": ("name", "definition", "source", "attribution"),
        "fr": ("name", "definition", "source", "attribution"),
    }


@register(ImportBatch)
class ImportBatchTranslation(TranslationOptions):
    fields = ("source", "licence", "attribution")


track_history(Indicator, m2m_fields=["characteristics"])
