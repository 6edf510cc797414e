"""Pages of the participation app. Thin: parse the request, call one service or selector, render. (notification_settings)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from konzeptk.participation.models import (
    Follow,
    NotificationSetting,
)

# --- notification settings -------------------------------------------------------------------


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    from konzeptk.participation.forms import NotificationSettingsForm

    user: Any = request.user
    # a GET never writes: the row is created by the first saved form, the defaults apply until then
    setting = NotificationSetting.objects.filter(user=user).first() or NotificationSetting(user=user)
    form = NotificationSettingsForm(request.POST or None, instance=setting)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Ihre Einstellungen sind gespeichert."))
        return redirect("participation:notification_settings")
    follows = (
        Follow.objects.filter(user=user, process__isnull=False)
        .select_related("process")
        .order_by("process__title")[:100]
    )
    return render(
        request,
        "participation/notification_settings.html",
        {"form": form, "follows": follows},
        status=400 if form.errors else 200,
    )
