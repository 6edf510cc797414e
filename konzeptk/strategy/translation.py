"""Content staff configure, in six languages (django-modeltranslation, ``docs/content-languages.md``).

What residents read of the strategy: its name, the motto and vision of each revision, the fields
of action, sub-topics, cross-cutting themes, goals and measures, the projects with their milestones
and the indicators. Council decisions, sources and methods stay German (they quote documents).
"""

from modeltranslation.translator import TranslationOptions, register

from konzeptk.core.content import empty_string_defaults
from konzeptk.strategy.models import (
    CrossCuttingTheme,
    FieldOfAction,
    Goal,
    Indicator,
    Measure,
    Milestone,
    Project,
    Revision,
    Strategy,
    SubTopic,
)


@register(Strategy)
class StrategyTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Revision)
class RevisionTranslation(TranslationOptions):
    fields = ("title", "motto", "vision")


@register([FieldOfAction, SubTopic, CrossCuttingTheme, Goal, Measure])
class ElementTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Project)
class ProjectTranslation(TranslationOptions):
    fields = ("title", "summary", "description")


@register(Milestone)
class MilestoneTranslation(TranslationOptions):
    fields = ("title",)


@register(Indicator)
class IndicatorTranslation(TranslationOptions):
    fields = ("name", "description")


empty_string_defaults(
    Strategy,
    Revision,
    FieldOfAction,
    SubTopic,
    CrossCuttingTheme,
    Goal,
    Measure,
    Project,
    Milestone,
    Indicator,
)
