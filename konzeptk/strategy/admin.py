from __future__ import annotations

from django.contrib import admin

from konzeptk.core.content_admin import ContentAdmin, ContentTabularInline
from konzeptk.strategy import models


@admin.register(models.Strategy)
class StrategyAdmin(ContentAdmin):
    list_display = ["name", "slug"]


@admin.register(models.Revision)
class RevisionAdmin(ContentAdmin):
    list_display = ["version", "title", "status", "date", "strategy"]
    list_filter = ["status", "strategy"]
    readonly_fields = ["created_by", "created_at", "adopted_by", "adopted_at"]


class TransitionInline(admin.TabularInline):
    model = models.StageTransition
    extra = 0
    readonly_fields = ["from_stage", "to_stage", "date", "reason", "created_by", "created_at"]
    can_delete = False


class MilestoneInline(ContentTabularInline):
    model = models.Milestone
    extra = 0


class WebLinkInline(admin.TabularInline):
    model = models.WebLink
    extra = 0


@admin.register(models.Project)
class ProjectAdmin(ContentAdmin):
    list_display = ["title", "lead", "stage", "published", "is_demo_content"]
    list_filter = ["stage", "published", "lead", "is_demo_content"]
    search_fields = ["title", "summary"]
    # Stage changes go through the staff page so that every change has a dated reason.
    readonly_fields = ["stage", "stage_since", "created_by", "created_at", "updated_by", "updated_at"]
    filter_horizontal = ["partners", "districts"]
    inlines = [TransitionInline, MilestoneInline, WebLinkInline]


class TargetInline(admin.TabularInline):
    model = models.IndicatorTarget
    extra = 0


@admin.register(models.Indicator)
class IndicatorAdmin(ContentAdmin):
    list_display = ["name", "unit", "direction", "baseline_value", "baseline_year", "published"]
    search_fields = ["name"]
    filter_horizontal = ["projects"]
    inlines = [TargetInline]


@admin.register(models.IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    list_display = ["indicator", "date", "value", "source", "created_by"]
    list_filter = ["source", "indicator"]
    readonly_fields = ["created_by", "created_at"]
