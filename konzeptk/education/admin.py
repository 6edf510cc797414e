"""The German admin of the education network: providers, offers with translations, competences and
sessions, bookings, reservations, import sources and their runs (read-only reports).

Offers are normally written in the providers' staff area (``/bildung/verwaltung/``), which turns the
recurrence rule into sessions; the admin is for corrections by platform staff."""

from __future__ import annotations

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from konzeptk.education.models import (
    Booking,
    Competence,
    ImportRun,
    ImportSource,
    Offer,
    Provider,
    Reservation,
    Session,
)


@admin.register(Provider)
class ProviderAdmin(TranslationAdmin):
    list_display = ("name", "slug", "organisation", "address", "simulated")
    search_fields = ("name", "slug", "address")
    raw_id_fields = ("organisation",)


class CompetenceInline(admin.TabularInline[Competence, Offer]):
    model = Competence
    extra = 0


@admin.register(Offer)
class OfferAdmin(TranslationAdmin):
    list_display = ("title", "provider", "kind", "status", "district", "next_start", "simulated")
    list_filter = ("status", "kind", "is_free", "online", "simulated")
    search_fields = ("title", "slug", "place_name", "address")
    raw_id_fields = ("provider", "district", "import_source")
    readonly_fields = ("seats_taken", "next_start", "fingerprint", "created_at", "updated_at")
    inlines = [CompetenceInline]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin[Session]):
    list_display = ("offer", "start", "end", "cancelled")
    list_filter = ("cancelled",)
    raw_id_fields = ("offer",)
    date_hierarchy = "start"


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin[Booking]):
    list_display = ("offer", "status", "queued_at", "created_at", "simulated")
    list_filter = ("status", "simulated")
    raw_id_fields = ("offer", "user", "district")
    readonly_fields = ("token", "created_at", "confirmed_at", "cancelled_at", "reminded_at")


@admin.register(Reservation)
class ReservationAdmin(admin.ModelAdmin[Reservation]):
    list_display = ("offer", "first_day", "last_day", "status", "simulated")
    list_filter = ("status", "simulated")
    raw_id_fields = ("offer", "user")
    readonly_fields = ("token", "created_at", "confirmed_at")


@admin.register(ImportSource)
class ImportSourceAdmin(admin.ModelAdmin[ImportSource]):
    list_display = ("title", "provider", "format", "active")
    list_filter = ("format", "active")
    raw_id_fields = ("provider",)


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin[ImportRun]):
    list_display = ("source", "started_at", "status", "read", "created", "updated", "error_count")
    list_filter = ("status",)
    readonly_fields = tuple(f.name for f in ImportRun._meta.fields)
