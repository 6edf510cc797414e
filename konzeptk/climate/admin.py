"""The reduction path and the budget basis are kept in the admin (few rows, edited rarely)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.http import HttpRequest

from konzeptk.climate.models import BudgetBasis, ImportRun, PathPoint
from konzeptk.climate.selectors import figures_changed

if TYPE_CHECKING:  # the admin classes are generic for the type checker only
    PathPointAdminBase = admin.ModelAdmin[PathPoint]
    BudgetBasisAdminBase = admin.ModelAdmin[BudgetBasis]
    ImportRunAdminBase = admin.ModelAdmin[ImportRun]
else:
    PathPointAdminBase = BudgetBasisAdminBase = ImportRunAdminBase = admin.ModelAdmin


@admin.register(PathPoint)
class PathPointAdmin(PathPointAdminBase):
    list_display = ("year", "per_capita", "source")

    def save_model(self, request: HttpRequest, obj: PathPoint, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        figures_changed()  # the dashboard computes anew

    def delete_model(self, request: HttpRequest, obj: PathPoint) -> None:
        super().delete_model(request, obj)
        figures_changed()


@admin.register(BudgetBasis)
class BudgetBasisAdmin(BudgetBasisAdminBase):
    list_display = ("label", "start_year", "national_budget_t", "is_active")

    def save_model(self, request: HttpRequest, obj: BudgetBasis, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        figures_changed()  # the dashboard computes anew

    def delete_model(self, request: HttpRequest, obj: BudgetBasis) -> None:
        super().delete_model(request, obj)
        figures_changed()


@admin.register(ImportRun)
class ImportRunAdmin(ImportRunAdminBase):
    list_display = ("started_at", "kind", "filename", "rows_read", "stored", "skipped", "error_count")
    readonly_fields = (
        "kind",
        "filename",
        "rows_read",
        "stored",
        "skipped",
        "error_count",
        "errors",
        "refused",
    )
