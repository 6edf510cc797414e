from django.contrib import admin

from konzeptk.insights.models import OpinionLandscape, Statement


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    list_display = ("text", "phase", "status", "is_seed", "created_at")
    list_filter = ("status", "is_seed")
    search_fields = ("text",)
    raw_id_fields = ("phase", "author", "moderated_by")


@admin.register(OpinionLandscape)
class OpinionLandscapeAdmin(admin.ModelAdmin):
    list_display = ("phase", "status", "stale", "computed_at", "seconds")
    readonly_fields = ("labels", "result")
