"""Staff keep the directory and the offers in the admin; saving goes through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from modeltranslation.admin import TranslationAdmin

from konzeptk.economy.forms import AdminBusinessForm
from konzeptk.economy.models import Business, Category, Claim, Offer
from konzeptk.economy.services import business_save


@admin.register(Category)
class CategoryAdmin(TranslationAdmin):
    list_display = ("name", "slug", "order")


@admin.register(Business)
class BusinessAdmin(TranslationAdmin):
    form = AdminBusinessForm
    list_display = ("name", "category", "street", "district", "published", "simulated")
    list_filter = ("category", "published", "simulated", "step_free")
    search_fields = ("name", "street")
    readonly_fields = ("district", "hours_vary", "hours_computed_at")
    prepopulated_fields = {"slug": ("name",)}

    def save_model(self, request: HttpRequest, obj: Business, form: Any, change: bool) -> None:
        business_save(business=obj)


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ("business", "user", "status", "created_at", "decided_at")
    list_filter = ("status",)
    raw_id_fields = ("business", "user")


@admin.register(Offer)
class OfferAdmin(TranslationAdmin):
    list_display = ("title", "kind", "provider", "valid_until", "published")
    list_filter = ("kind", "published")
