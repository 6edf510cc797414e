"""Staff keep the directory and the offers in the admin; saving goes through the services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.http import HttpRequest

from konzeptk.core.content_admin import ContentAdmin
from konzeptk.economy.forms import AdminBusinessForm
from konzeptk.economy.models import Business, Category, Claim, Offer
from konzeptk.economy.services import business_save

if TYPE_CHECKING:  # the admin classes are generic for the type checker only
    CategoryAdminBase = admin.ModelAdmin[Category]
    BusinessAdminBase = admin.ModelAdmin[Business]
    OfferAdminBase = admin.ModelAdmin[Offer]
    ClaimAdminBase = admin.ModelAdmin[Claim]
else:
    # content in six languages: modeltranslation's admin with lang/dir on each language's input
    CategoryAdminBase = BusinessAdminBase = OfferAdminBase = ContentAdmin
    ClaimAdminBase = admin.ModelAdmin


@admin.register(Category)
class CategoryAdmin(CategoryAdminBase):
    list_display = ("name", "slug", "order")


@admin.register(Business)
class BusinessAdmin(BusinessAdminBase):
    form = AdminBusinessForm
    list_display = ("name", "category", "street", "district", "published", "simulated")
    list_filter = ("category", "published", "simulated", "step_free")
    search_fields = ("name", "street")
    readonly_fields = ("district", "hours_vary", "hours_computed_at")
    prepopulated_fields = {"slug": ("name",)}

    def save_model(self, request: HttpRequest, obj: Business, form: Any, change: bool) -> None:
        business_save(business=obj)  # district from the point, weekly intervals precomputed


@admin.register(Claim)
class ClaimAdmin(ClaimAdminBase):
    list_display = ("business", "user", "status", "created_at", "decided_at")
    list_filter = ("status",)
    raw_id_fields = ("business", "user")


@admin.register(Offer)
class OfferAdmin(OfferAdminBase):
    list_display = ("title", "kind", "provider", "valid_until", "published")
    list_filter = ("kind", "published")
