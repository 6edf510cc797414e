"""Django admin for people, organisations with their members, and consent records (read-only)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from konzeptk.accounts.models import Consent, Membership, Organisation, User


class KonzeptKUserCreationForm(UserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class KonzeptKUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class MembershipOfUserInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]
    verbose_name = _("Mitgliedschaft")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """People log in with their e-mail address; there is no user name."""

    form = KonzeptKUserChangeForm
    add_form = KonzeptKUserCreationForm
    ordering = ["email"]
    list_display = ["email", "display_name", "platform_role", "is_active", "is_demo", "date_joined"]
    list_filter = ["platform_role", "is_active", "is_staff", "is_superuser", "is_demo"]
    search_fields = ["email", "display_name"]
    readonly_fields = ["last_login", "date_joined", "anonymised_at"]
    inlines = [MembershipOfUserInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Angaben"), {"fields": ("display_name", "platform_role", "is_demo")}),
        (
            _("Berechtigungen"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Wichtige Daten"), {"fields": ("last_login", "date_joined", "anonymised_at")}),
    )

    def get_inlines(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        return [] if obj is None else list(self.inlines)

    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "is_core_team"]
    list_filter = ["kind", "is_core_team"]
    search_fields = ["name", "short_name", "slug"]
    prepopulated_fields = {"slug": ("name",)}
    inlines = [MembershipInline]


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    """Consent records are evidence: staff can read them but neither create, change nor delete them."""

    list_display = ["user", "purpose", "text_version", "given_at", "withdrawn_at"]
    list_filter = ["purpose", "text_version"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    date_hierarchy = "given_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
