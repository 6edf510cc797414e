"""Content staff configure, in six languages (django-modeltranslation, ``docs/content-languages.md``).

The categories and their extra questions are what a resident reads when reporting a problem.
Reports themselves are the residents' own words and stay as written.
"""

from modeltranslation.translator import TranslationOptions, register

from konzeptk.core.content import empty_string_defaults
from konzeptk.servicedesk.models import Category, CategoryAttribute


@register(Category)
class CategoryTranslation(TranslationOptions):
    fields = ("name", "description")


@register(CategoryAttribute)
class CategoryAttributeTranslation(TranslationOptions):
    fields = ("description", "datatype_description")


empty_string_defaults(Category, CategoryAttribute)
