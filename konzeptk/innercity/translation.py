"""Texts of units that owners and staff enter, in six languages (django-modeltranslation)."""

from __future__ import annotations

from modeltranslation.translator import TranslationOptions, register

from konzeptk.innercity.models import Unit, UnitPhoto


@register(Unit)
class UnitTranslation(TranslationOptions):
    fields = ("title", "description")


@register(UnitPhoto)
class UnitPhotoTranslation(TranslationOptions):
    fields = ("alt_text",)
