from modeltranslation.translator import TranslationOptions, register

from welcoming.core.history import track_history

from .models import Characteristic, CharacteristicGroup, Framework, QolrsCategory


@register(Framework)
class FrameworkTranslation(TranslationOptions):
    fields = ("name", "citation")
    required_languages = {"en": ("name",), "fr": ("name",)}


@register(QolrsCategory)
class QolrsCategoryTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("en", "fr")


@register(CharacteristicGroup)
class CharacteristicGroupTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("en", "fr")


@register(Characteristic)
class CharacteristicTranslation(TranslationOptions):
    fields = ("name", "description", "survey_guidance")
    required_languages = {"en": ("name", "description"), "fr": ("name", "description")}


track_history(Framework)
track_history(QolrsCategory)  # their names are read from the scores kept per data state
track_history(CharacteristicGroup)
track_history(Characteristic, m2m_fields=["qolrs_categories"])
