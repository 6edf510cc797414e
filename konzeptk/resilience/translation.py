"""Texts of warnings, rules and cool places in six languages (django-modeltranslation).

The platform's own alerts carry their text in every language (copied from the rule), so the CAP feed
has one ``info`` block per language; imported warnings keep the language they came in."""

from modeltranslation.translator import TranslationOptions, register

from konzeptk.resilience.models import CoolPlace, Rule, Warning


@register(Warning)
class WarningTranslationOptions(TranslationOptions):
    fields = ("headline", "description", "instruction")


@register(Rule)
class RuleTranslationOptions(TranslationOptions):
    fields = ("headline", "description", "instruction")


@register(CoolPlace)
class CoolPlaceTranslationOptions(TranslationOptions):
    fields = ("note",)
