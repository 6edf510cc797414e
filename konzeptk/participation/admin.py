"""Django admin for platform staff: everything the pages do not offer (questionnaires of surveys in
particular), and a look at verification records and the moderation log (read-only)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from konzeptk.participation.models import (
    Ballot,
    Choice,
    ModerationAction,
    Phase,
    Process,
    Question,
    Survey,
    Verification,
)


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0
    fields = ("type", "name", "start", "end", "weight")


@admin.register(Process)
class ProcessAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "organiser", "status", "is_demo")
    list_filter = ("status", "is_demo", "organiser")
    search_fields = ("title", "slug")
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("districts",)
    inlines = [PhaseInline]


@admin.register(Ballot)
class BallotAdmin(admin.ModelAdmin):
    list_display = ("phase", "kind", "votes_per_person", "budget")
    list_select_related = ("phase__process",)


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 2


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("text", "survey", "kind", "required", "order")
    list_filter = ("kind",)
    inlines = [ChoiceInline]


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 1
    show_change_link = True
    fields = ("text", "help_text", "kind", "required", "order", "scale_low_label", "scale_high_label")


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ("title", "process", "phase", "allows_anonymous", "is_demo")
    list_select_related = ("process", "phase")
    inlines = [QuestionInline]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Verification)
class VerificationAdmin(ReadOnlyAdmin):
    list_display = ("user", "postcode", "resident_declared_at", "verified_at", "method", "confirmed_by")
    list_select_related = ("user", "confirmed_by")
    list_filter = ("method",)


@admin.register(ModerationAction)
class ModerationActionAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "moderator", "affected_user", "organisation", "reason")
    list_select_related = ("moderator", "affected_user", "organisation")
    list_filter = ("kind",)
