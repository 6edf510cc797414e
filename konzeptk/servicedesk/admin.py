from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from konzeptk.core.content_admin import ContentAdmin, ContentTabularInline
from konzeptk.servicedesk.models import (
    ApiKey,
    Category,
    CategoryAttribute,
    Follower,
    Report,
    ReportPhoto,
    ReportUpdate,
)
from konzeptk.servicedesk.services import api_key_fill


class CategoryAttributeInline(ContentTabularInline):
    model = CategoryAttribute
    extra = 0


@admin.register(Category)
class CategoryAdmin(ContentAdmin):
    list_display = ["name", "parent", "service_code", "organisation", "expected_days", "active"]
    list_filter = ["active", "organisation", "parent"]
    search_fields = ["name", "service_code", "keywords"]
    inlines = [CategoryAttributeInline]


class ReportPhotoInline(admin.TabularInline):
    """Photos come only through the report form or Open311 (checked, EXIF removed); no uploads here."""

    model = ReportPhoto
    extra = 0
    fields = ["preview", "published", "width", "height"]
    readonly_fields = ["preview", "width", "height"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("Foto"))
    def preview(self, photo: ReportPhoto) -> str:
        if not photo.pk:
            return "–"
        url = reverse("servicedesk:staff_photo", kwargs={"pk": photo.pk})
        return format_html('<a href="{}">{}</a>', url, _("Foto ansehen"))


class ReportUpdateInline(admin.TabularInline):
    model = ReportUpdate
    extra = 0
    fields = ["created_at", "kind", "status_from", "status_to", "close_reason", "text", "author"]
    readonly_fields = ["created_at", "author"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = [
        "service_request_id",
        "category",
        "status",
        "district",
        "organisation",
        "published",
        "hidden",
        "requested_at",
    ]
    list_filter = ["status", "published", "hidden", "source", "category", "organisation"]
    search_fields = ["service_request_id", "address", "description"]
    date_hierarchy = "requested_at"
    raw_id_fields = ["merged_into", "assignee", "district"]
    readonly_fields = ["service_request_id", "source", "api_key", "requested_at"]
    inlines = [ReportPhotoInline, ReportUpdateInline]
    list_select_related = ["category", "district", "organisation"]


@admin.register(Follower)
class FollowerAdmin(admin.ModelAdmin):
    list_display = ["report", "email", "created_at"]
    raw_id_fields = ["report"]
    search_fields = ["email", "report__service_request_id"]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Keys are generated here; the raw key is shown once after saving and never again."""

    list_display = ["name", "prefix", "active", "created_at", "last_used_at"]
    list_filter = ["active"]
    fields = ["name", "active", "prefix", "created_at", "last_used_at"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        raw = None if change else api_key_fill(key=obj)
        super().save_model(request, obj, form, change)
        if raw:
            messages.warning(
                request,
                _("Neuer API-Schlüssel für %(name)s (wird nur jetzt angezeigt): %(key)s")
                % {"name": obj.name, "key": raw},
            )
