"""Django admin: a read-only look at residency records (changes go through the Bürgerbüro page, which
logs who confirmed whom)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin
from django.http import HttpRequest

from konzeptk.accounts.models import Verification

# ModelAdmin is generic only in django-stubs (not at run time)
if TYPE_CHECKING:
    _Admin = admin.ModelAdmin[Verification]
else:
    _Admin = admin.ModelAdmin


@admin.register(Verification)
class VerificationAdmin(_Admin):
    list_display = ("user", "postcode", "resident_declared_at", "verified_at", "method", "confirmed_by")
    list_select_related = ("user", "confirmed_by")
    list_filter = ("method",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Verification | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Verification | None = None) -> bool:
        return False
