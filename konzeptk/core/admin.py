"""Admin for the pages the operator edits and the accessibility feedback they answer."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from konzeptk.core.models import AccessibilityFeedback, SitePage


@admin.register(SitePage)
class SitePageAdmin(admin.ModelAdmin):
    list_display = ["slug", "title", "updated_at"]
    readonly_fields = ["updated_at"]
    fieldsets = [
        (None, {"fields": ["slug", "title", "body", "updated_at"]}),
        (
            _("Video (nur Gebärdensprache)"),
            {"fields": ["video", "video_captions"], "classes": ["collapse"]},
        ),
    ]


@admin.register(AccessibilityFeedback)
class AccessibilityFeedbackAdmin(admin.ModelAdmin):
    list_display = ["created_at", "short_message", "page_url", "language", "handled"]
    list_filter = ["handled", "language"]
    search_fields = ["message", "page_url", "name", "email"]
    date_hierarchy = "created_at"
    readonly_fields = ["name", "email", "page_url", "message", "language", "created_at"]
    fields = ["created_at", "language", "page_url", "message", "name", "email", "handled"]
    actions = ["mark_handled"]
    list_per_page = 50

    @admin.display(description=_("Beschreibung"))
    def short_message(self, obj: AccessibilityFeedback) -> str:
        return obj.message[:80]

    @admin.action(description=_("Als erledigt markieren"))
    def mark_handled(self, request: HttpRequest, queryset: object) -> None:
        updated = queryset.update(handled=True)  # type: ignore[attr-defined]
        self.message_user(request, _("%(count)d Rückmeldung(en) als erledigt markiert.") % {"count": updated})

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # feedback comes from the public form only
