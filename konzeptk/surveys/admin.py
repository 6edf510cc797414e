"""Django admin for platform staff: questionnaires with their questions and choices."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin

from konzeptk.core.content_admin import ContentAdmin, ContentStackedInline, ContentTabularInline
from konzeptk.surveys.models import Choice, Question, Survey

if TYPE_CHECKING:  # the admin classes are generic for the type checker only
    ChoiceInlineBase = admin.TabularInline[Choice, Question]
    QuestionInlineBase = admin.StackedInline[Question, Survey]
    QuestionAdminBase = admin.ModelAdmin[Question]
    SurveyAdminBase = admin.ModelAdmin[Survey]
else:
    # content in six languages: modeltranslation's admin with lang/dir on each language's input
    ChoiceInlineBase, QuestionInlineBase = ContentTabularInline, ContentStackedInline
    QuestionAdminBase = SurveyAdminBase = ContentAdmin


class ChoiceInline(ChoiceInlineBase):
    model = Choice
    extra = 2


@admin.register(Question)
class QuestionAdmin(QuestionAdminBase):
    list_display = ("text", "survey", "kind", "required", "order")
    list_filter = ("kind",)
    inlines = [ChoiceInline]


class QuestionInline(QuestionInlineBase):
    model = Question
    extra = 1
    show_change_link = True
    fields = ("text", "help_text", "kind", "required", "order", "scale_low_label", "scale_high_label")


@admin.register(Survey)
class SurveyAdmin(SurveyAdminBase):
    list_display = ("title", "process", "phase", "allows_anonymous", "is_demo")
    list_select_related = ("process", "phase")
    inlines = [QuestionInline]
