"""Staff keep the cool places in the admin; saving goes through the service (district from the point,
opening hours checked with the position of the error and an example, weekly intervals precomputed)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.http import HttpRequest

from konzeptk.core.content_admin import ContentAdmin
from konzeptk.resilience.coolplaces import coolplace_save
from konzeptk.resilience.heat_forms import CoolPlaceForm
from konzeptk.resilience.models import CoolPlace

if TYPE_CHECKING:  # the admin classes are generic for the type checker only
    CoolPlaceAdminBase = admin.ModelAdmin[CoolPlace]
else:
    CoolPlaceAdminBase = ContentAdmin  # the note in six languages, with lang/dir on each input


@admin.register(CoolPlace)
class CoolPlaceAdmin(CoolPlaceAdminBase):
    form = CoolPlaceForm
    list_display = ("name", "kind", "address", "district", "step_free", "simulated")
    list_filter = ("kind", "step_free", "simulated")
    search_fields = ("name", "address")
    readonly_fields = ("district",)

    def save_model(self, request: HttpRequest, obj: CoolPlace, form: Any, change: bool) -> None:
        coolplace_save(place=obj)  # district from the point, weekly intervals precomputed
