from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from konzeptk.opendata.models import (
    DataService,
    Dataset,
    DatasetRequest,
    Distribution,
    HarvestRun,
    HarvestSource,
)
from konzeptk.opendata.services import dataset_request_answer


class DistributionInline(admin.TabularInline):
    model = Distribution
    extra = 0
    fields = ["key", "title", "access_url", "download_url", "file_format", "media_type", "download_count"]
    readonly_fields = ["download_count"]


@admin.register(Dataset)
class DatasetAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "origin", "publisher", "licence", "quality_score", "modified"]
    list_filter = ["origin", "licence"]
    search_fields = ["name", "title"]
    inlines = [DistributionInline]
    readonly_fields = ["quality_score", "source_key", "harvest_source"]


@admin.register(DataService)
class DataServiceAdmin(admin.ModelAdmin):
    list_display = ["title", "endpoint_url", "conforms_to"]


@admin.register(HarvestSource)
class HarvestSourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "url", "is_active", "last_run_at"]


@admin.register(HarvestRun)
class HarvestRunAdmin(admin.ModelAdmin):
    list_display = ["source", "started_at", "created", "updated", "unchanged", "deleted", "failed"]


@admin.register(DatasetRequest)
class DatasetRequestAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "created_at", "answered_at"]
    list_filter = ["status"]
    fields = ["title", "description", "status", "answer", "dataset", "created_at", "answered_at"]
    readonly_fields = ["title", "description", "created_at", "answered_at"]

    def save_model(self, request: HttpRequest, obj: DatasetRequest, form: Any, change: bool) -> None:
        """The public answer goes through the service (it dates the answer)."""
        dataset_request_answer(request=obj, status=obj.status, answer=obj.answer, dataset=obj.dataset)
