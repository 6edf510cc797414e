"""Content staff enter, in six languages (django-modeltranslation): category names, the businesses'
descriptions and the offers. Names and addresses of businesses stay as written."""

from modeltranslation.translator import TranslationOptions, register

from konzeptk.economy.models import Business, Category, Offer


@register(Category)
class CategoryTranslation(TranslationOptions):
    fields = ("name",)


@register(Business)
class BusinessTranslation(TranslationOptions):
    fields = ("description",)


@register(Offer)
class OfferTranslation(TranslationOptions):
    fields = ("title", "summary")
