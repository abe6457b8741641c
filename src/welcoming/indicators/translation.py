from modeltranslation.translator import TranslationOptions, register

from welcoming.core.history import track_history

from .models import Indicator


@register(Indicator)
class IndicatorTranslation(TranslationOptions):
    fields = ("name", "definition", "computation", "source", "licence", "attribution")
    required_languages = {
        "en": ("name", "definition", "source", "attribution"),
        "fr": ("name", "definition", "source", "attribution"),
    }


track_history(Indicator, m2m_fields=["characteristics"])
