"""Texts of calls and their criteria that staff enter, in six languages (django-modeltranslation)."""

from __future__ import annotations

from modeltranslation.translator import TranslationOptions, register

from konzeptk.interimuse.models import Call, Criterion, Fact


@register(Call)
class CallTranslation(TranslationOptions):
    fields = ("title", "text")


@register(Criterion)
class CriterionTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Fact)
class FactTranslation(TranslationOptions):
    fields = ("text",)
