"""Content staff configure, in six languages (django-modeltranslation, ``docs/content-languages.md``).

The questionnaire's title and introduction, its questions with hints and scale labels, and the
answer options. Free-text answers are the residents' own words and stay as written.
"""

from modeltranslation.translator import TranslationOptions, register

from konzeptk.core.content import empty_string_defaults
from konzeptk.surveys.models import Choice, Question, Survey


@register(Survey)
class SurveyTranslation(TranslationOptions):
    fields = ("title", "intro")


@register(Question)
class QuestionTranslation(TranslationOptions):
    fields = ("text", "help_text", "scale_low_label", "scale_high_label")


@register(Choice)
class ChoiceTranslation(TranslationOptions):
    fields = ("text",)


empty_string_defaults(Survey, Question, Choice)
