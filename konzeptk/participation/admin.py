"""Django admin for platform staff: everything the pages do not offer, and a look at the moderation
log (read-only). Questionnaires are in the surveys app's admin."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from konzeptk.core.content_admin import ContentAdmin, ContentTabularInline
from konzeptk.participation.models import (
    ModerationAction,
    Phase,
    Process,
)


class PhaseInline(ContentTabularInline):
    model = Phase
    extra = 0
    fields = ("type", "name", "start", "end", "weight")


@admin.register(Process)
class ProcessAdmin(ContentAdmin):
    list_display = ("title", "slug", "organiser", "status", "is_demo")
    list_filter = ("status", "is_demo", "organiser")
    search_fields = ("title", "slug")
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("districts",)
    inlines = [PhaseInline]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(ModerationAction)
class ModerationActionAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "moderator", "affected_user", "organisation", "reason")
    list_select_related = ("moderator", "affected_user", "organisation")
    list_filter = ("kind",)
