"""The register in Django's admin (for operators; the coordination works under /innenstadt/verwaltung/)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin

from konzeptk.core.content_admin import ContentAdmin, ContentTabularInline
from konzeptk.innercity.models import Owner, Unit, UnitPhoto, VacancyCount, VacancyCountRow

if TYPE_CHECKING:  # the admin classes are generic for the type checker only
    UnitAdminBase = admin.ModelAdmin[Unit]
    PhotoInlineBase = admin.TabularInline[UnitPhoto, Unit]
    OwnerAdminBase = admin.ModelAdmin[Owner]
    CountAdminBase = admin.ModelAdmin[VacancyCount]
    CountRowInlineBase = admin.TabularInline[VacancyCountRow, VacancyCount]
else:
    # texts in six languages: modeltranslation's admin with lang/dir on each language's input
    UnitAdminBase, PhotoInlineBase = ContentAdmin, ContentTabularInline
    OwnerAdminBase = CountAdminBase = admin.ModelAdmin
    CountRowInlineBase = admin.TabularInline


class UnitPhotoInline(PhotoInlineBase):
    model = UnitPhoto
    extra = 0
    fields = ("image", "alt_text", "width", "height")
    readonly_fields = ("image", "width", "height")


@admin.register(Unit)
class UnitAdmin(UnitAdminBase):
    list_display = ("street", "house_number", "title", "status", "owner_consent_public", "simulated")
    list_filter = ("status", "owner_consent_public", "simulated", "uses")
    search_fields = ("street", "title", "house_number")
    raw_id_fields = ("owner",)
    filter_horizontal = ("uses",)
    inlines = [UnitPhotoInline]


@admin.register(Owner)
class OwnerAdmin(OwnerAdminBase):
    list_display = ("contact_name", "organisation", "role", "verified_at")
    raw_id_fields = ("user", "verified_by")


class VacancyCountRowInline(CountRowInlineBase):
    model = VacancyCountRow
    extra = 0


@admin.register(VacancyCount)
class VacancyCountAdmin(CountAdminBase):
    list_display = ("count_date", "units", "vacant", "median_days", "simulated")
    raw_id_fields = ("taken_by",)
    inlines = [VacancyCountRowInline]
