from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils import timezone

from konzeptk.sensing import models as m
from konzeptk.sensing.services import api_token_create


@admin.register(m.Thing)
class ThingAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation")
    list_filter = ("organisation",)
    search_fields = ("name",)
    filter_horizontal = ("locations",)


@admin.register(m.Datastream)
class DatastreamAdmin(admin.ModelAdmin):
    list_display = ("name", "thing", "phenomenon_time_start", "phenomenon_time_end")
    search_fields = ("name",)
    raw_id_fields = ("thing", "sensor", "observed_property")


for model in (m.Location, m.Sensor, m.ObservedProperty, m.FeatureOfInterest):
    admin.site.register(model, search_fields=("name",))


class DeviceFieldInline(admin.TabularInline):
    model = m.DeviceField
    raw_id_fields = ("datastream",)
    extra = 1


@admin.register(m.Device)
class DeviceAdmin(admin.ModelAdmin):
    list_display = ("dev_eui", "network", "name", "thing")
    list_filter = ("network",)
    search_fields = ("dev_eui", "name")
    raw_id_fields = ("thing",)
    inlines = [DeviceFieldInline]


@admin.register(m.UnknownDevice)
class UnknownDeviceAdmin(admin.ModelAdmin):
    """Parked uplinks: an operator creates a Device with the same DevEUI to assign them."""

    list_display = ("dev_eui", "network", "uplink_count", "first_seen", "last_seen")
    list_filter = ("network",)
    readonly_fields = ("last_payload",)


@admin.register(m.ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = ("organisation",)
    fields = ("organisation", "name", "revoked_at")
    actions = ["revoke"]

    def save_model(self, request: HttpRequest, obj: m.ApiToken, form: object, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        token, raw = api_token_create(organisation=obj.organisation, name=obj.name)
        obj.pk = token.pk
        obj.refresh_from_db()
        messages.warning(
            request, f"Neuer API-Schlüssel (wird nur jetzt angezeigt, gespeichert ist nur sein Hash): {raw}"
        )

    @admin.action(description="Ausgewählte Schlüssel widerrufen")
    def revoke(self, request: HttpRequest, queryset: object) -> None:
        queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())  # type: ignore[attr-defined]
        from konzeptk.sensing import writecache

        writecache.clear()  # update() sends no signals: this process forgets its cached tokens now
