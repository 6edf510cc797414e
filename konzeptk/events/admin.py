"""The German admin of the event calendar: translations of titles and descriptions, places, feeds, reports."""

from __future__ import annotations

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from konzeptk.events.models import Event, Feed, ImportRun, Venue


@admin.register(Event)
class EventAdmin(TranslationAdmin):  # type: ignore[type-arg]
    list_display = ("title", "start", "topic", "status", "source", "simulated")
    list_filter = ("status", "source", "topic", "simulated")
    search_fields = ("title", "organiser_name")
    date_hierarchy = "start"
    raw_id_fields = ("venue", "submitted_by", "moderated_by", "feed", "duplicate_of")
    readonly_fields = ("uid", "occurrence", "fingerprint", "match_key", "created_at", "updated_at")


@admin.register(Venue)
class VenueAdmin(TranslationAdmin):  # type: ignore[type-arg]
    list_display = (
        "name",
        "address",
        "district",
        "step_free",
        "accessible_toilet",
        "induction_loop",
        "seating",
    )
    search_fields = ("name", "address")
    raw_id_fields = ("district",)
    readonly_fields = ("key",)


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin[Feed]):
    list_display = ("title", "url", "topic", "active")


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin[ImportRun]):
    list_display = ("feed", "started_at", "status", "read", "created", "updated", "duplicates", "error_count")
    list_filter = ("status",)
    readonly_fields = [f.name for f in ImportRun._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False
