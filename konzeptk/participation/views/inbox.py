"""Pages of the participation app. Thin: parse the request, call one service or selector, render. (inbox)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from konzeptk.participation import selectors
from konzeptk.participation.models import (
    Notification,
    NotificationSetting,
)
from konzeptk.participation.notifications import user_for_unsubscribe_token


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    qs = Notification.objects.filter(recipient=user)
    page = selectors.page_of(qs, request.GET.get("seite"))
    if request.method == "POST":
        qs.filter(read_at=None).update(read_at=timezone.now())
        return redirect("participation:inbox")
    # a GET never writes: without stored settings the defaults apply (an unsaved row)
    setting = NotificationSetting.objects.filter(user=user).first() or NotificationSetting(user=user)
    return render(request, "participation/inbox.html", {"page": page, "setting": setting})


def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    user = user_for_unsubscribe_token(token)
    if user is None:
        return render(request, "participation/unsubscribe.html", {"ok": False}, status=400)
    if request.method == "POST":
        NotificationSetting.objects.update_or_create(
            user=user, defaults={"email_frequency": NotificationSetting.Frequency.NEVER}
        )
        return render(request, "participation/unsubscribe.html", {"ok": True, "done": True})
    return render(request, "participation/unsubscribe.html", {"ok": True, "done": False})
