from modeltranslation.translator import TranslationOptions, register

from .models import ScoringProfile


@register(ScoringProfile)
class ScoringProfileTranslation(TranslationOptions):
    fields = ("label",)
