"""Django admin of the interim-use programme: the translations of calls, criteria and facts are
entered here (one tab per language); the workflow itself runs on the staff pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from konzeptk.interimuse.models import Application, Call, Contract, Criterion, Fact

# ModelAdmin is generic only in django-stubs (not at run time)
if TYPE_CHECKING:
    _ApplicationAdmin = admin.ModelAdmin[Application]
    _ContractAdmin = admin.ModelAdmin[Contract]
else:
    _ApplicationAdmin = _ContractAdmin = admin.ModelAdmin


class CriterionInline(TranslationTabularInline):  # type: ignore[type-arg, unused-ignore]
    model = Criterion
    extra = 0


class FactInline(TranslationTabularInline):  # type: ignore[type-arg, unused-ignore]
    model = Fact
    extra = 0


@admin.register(Call)
class CallAdmin(TranslationAdmin):  # type: ignore[type-arg, unused-ignore]
    list_display = ("title", "status", "opens_on", "closes_on")
    list_filter = ("status",)
    search_fields = ("title", "slug")
    filter_horizontal = ("units",)
    inlines = [CriterionInline, FactInline]


@admin.register(Application)
class ApplicationAdmin(_ApplicationAdmin):
    list_display = ("title", "call", "status", "submitted_at")
    list_filter = ("status", "call")
    raw_id_fields = ("applicant", "unit", "decided_by")
    readonly_fields = ("submitted_at", "updated_at", "decided_at")


@admin.register(Contract)
class ContractAdmin(_ContractAdmin):
    list_display = ("application", "unit", "rent", "tenant_amount", "starts_on", "ends_on")
    readonly_fields = ("owner_amount", "funding_amount", "tenant_amount")
