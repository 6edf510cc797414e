"""Content staff configure, in six languages (django-modeltranslation, ``docs/content-languages.md``).

A process's title, teaser and description, its phases, and the administration's answer to an
idea. Ideas and comments are the residents' own words and stay as written.
"""

from modeltranslation.translator import TranslationOptions, register

from konzeptk.core.content import empty_string_defaults
from konzeptk.participation.models import Idea, Phase, Process


@register(Process)
class ProcessTranslation(TranslationOptions):
    fields = ("title", "teaser", "description")


@register(Phase)
class PhaseTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Idea)
class IdeaTranslation(TranslationOptions):
    fields = ("answer",)


empty_string_defaults(Process, Phase, Idea)
