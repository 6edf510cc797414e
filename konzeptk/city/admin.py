"""Admin for the city profile. Geometries come from profile packs (``konzeptk load_city``), so the
admin shows them read-only and lets staff correct names, notes and population figures."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from konzeptk.city.models import CityProfile, District, DistrictLayer, PointOfInterest, PopulationStat


@admin.register(CityProfile)
class CityProfileAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "official_key", "population_total", "is_active", "loaded_at"]
    readonly_fields = ["slug", "official_key", "boundary_summary", "center_lat", "center_lon", "loaded_at"]
    fields = [
        "name",
        "slug",
        "official_key",
        "is_active",
        "population_total",
        "population_source",
        "postcodes",
        "center_lat",
        "center_lon",
        "boundary_summary",
        "sources",
        "loaded_at",
    ]

    @admin.display(description=_("Stadtgrenze"))
    def boundary_summary(self, obj: CityProfile) -> str:
        geometry_type = (obj.boundary or {}).get("type", "–")
        return _("%(type)s; ändern mit „konzeptk load_city“") % {"type": geometry_type}

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # profiles are loaded from profile packs


class DistrictInline(admin.TabularInline):
    model = District
    fields = ["code", "name", "population", "population_year", "anchor_name", "note"]
    readonly_fields = ["code"]
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a district needs a geometry: it comes from the profile pack


@admin.register(DistrictLayer)
class DistrictLayerAdmin(admin.ModelAdmin):
    list_display = ["name", "profile", "kind", "valid_from", "valid_until", "schematic", "provisional"]
    list_filter = ["profile", "kind", "schematic", "provisional"]
    readonly_fields = ["profile", "slug", "schematic"]
    fields = [
        "profile",
        "slug",
        "name",
        "kind",
        "valid_from",
        "valid_until",
        "provisional",
        "schematic",
        "description",
        "source",
    ]
    inlines = [DistrictInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class PopulationStatInline(admin.TabularInline):
    model = PopulationStat
    fields = ["year", "age_band", "sex", "count", "estimated"]
    extra = 0


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "layer", "population", "population_year"]
    list_filter = ["layer__profile", "layer"]
    search_fields = ["name", "code"]
    list_select_related = ["layer", "layer__profile"]
    readonly_fields = ["layer", "code", "anchor_lat", "anchor_lon"]
    exclude = ["geometry"]
    inlines = [PopulationStatInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(PointOfInterest)
class PointOfInterestAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "address", "profile"]
    list_filter = ["profile", "category"]
    search_fields = ["name", "address"]
    list_select_related = ["profile"]
    list_per_page = 100
