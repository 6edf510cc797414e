"""Pages of the notifications room: inbox, settings, one-click unsubscribe. Thin: parse the
request, call one service or selector, render."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from konzeptk.accounts.models import User
from konzeptk.notifications import registry, selectors, services
from konzeptk.notifications.forms import SettingsForm
from konzeptk.notifications.mailing import user_for_unsubscribe_token


def _person(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # behind login_required
    return user


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def inbox(request: HttpRequest) -> HttpResponse:
    user = _person(request)
    if request.method == "POST":
        services.inbox_mark_read(user=user)
        return redirect("notifications:inbox")
    # a GET never writes: without stored settings the defaults apply (an unsaved row)
    page = selectors.inbox_page(user=user, number=request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page, "setting": selectors.setting_for(user)})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    user = _person(request)
    # a GET never writes: the rows are stored by the first saved form, the defaults apply until then
    form = SettingsForm(
        request.POST if request.method == "POST" else None,
        default=selectors.setting_for(user).email_frequency,
        per_kind=selectors.kind_choices_for(user),
    )
    if request.method == "POST" and form.is_valid():
        services.settings_save(
            user=user, default=form.cleaned_data["email_frequency"], per_kind=form.per_kind()
        )
        messages.success(request, _("Ihre Einstellungen sind gespeichert."))
        return redirect("notifications:settings")
    sections = [
        render_to_string(section.template, dict(section.context(user)), request=request)
        for section in registry.settings_sections()
    ]
    return render(
        request,
        "notifications/settings.html",
        {"form": form, "sections": sections},
        status=400 if form.errors else 200,
    )


# Mail programs send the one-click POST of RFC 8058 without cookies or a CSRF token: the long signed
# token in the address is the proof (it only ever switches e-mails off).
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    user = user_for_unsubscribe_token(token)
    if user is None:
        return render(request, "notifications/unsubscribe.html", {"ok": False}, status=400)
    if request.method == "POST":
        services.emails_stop(user=user)
        return render(request, "notifications/unsubscribe.html", {"ok": True, "done": True})
    return render(request, "notifications/unsubscribe.html", {"ok": True, "done": False})


class PermanentRedirect308(HttpResponseRedirect):
    """Moved for good, and the method stays (a POST is sent again as a POST, unlike 301)."""

    status_code = 308


def moved(to: str, *, login: bool = False) -> Callable[..., HttpResponse]:
    """A view for an old address: every method gets a 308 to the URL named ``to`` (the same path
    arguments and query). Links in mails sent before the move keep working, one-click POSTs too.
    ``login``: strangers are sent to the login first (the new page needs one anyway)."""

    @csrf_exempt  # it only answers with the new address; the view there checks what it needs
    def view(request: HttpRequest, **kwargs: str) -> HttpResponse:
        url = reverse(to, kwargs=kwargs)
        query = request.META.get("QUERY_STRING", "")
        return PermanentRedirect308(f"{url}?{query}" if query else url)

    view.__name__ = f"moved_to_{to.replace(':', '_')}"
    return login_required(view) if login else view
