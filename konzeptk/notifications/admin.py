"""The queue of outgoing mails in Django's admin: to see what waits, what failed and why."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin
from django.http import HttpRequest

from konzeptk.notifications.models import Mail

if TYPE_CHECKING:
    MailAdminBase = admin.ModelAdmin[Mail]
else:  # not subscriptable at run time
    MailAdminBase = admin.ModelAdmin


@admin.register(Mail)
class MailAdmin(MailAdminBase):
    list_display = ("created_at", "kind", "status", "attempts", "next_attempt_at", "sent_at")
    list_filter = ("status", "kind")
    readonly_fields = [f.name for f in Mail._meta.fields]
    ordering = ("-created_at",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
