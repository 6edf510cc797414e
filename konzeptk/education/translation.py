"""Texts of the education network in six languages (django-modeltranslation; rendered with ``{% kk_text %}``)."""

from modeltranslation.translator import TranslationOptions, register

from konzeptk.education.models import Offer, Provider


@register(Offer)
class OfferTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "description", "lending_conditions")


@register(Provider)
class ProviderTranslationOptions(TranslationOptions):
    fields = ("description",)
