"""Pages every city needs: home, accessibility, legal pages, health and error pages."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.contrib import messages
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from konzeptk.city import selectors as city_selectors
from konzeptk.city.views import city_map_context
from konzeptk.core import front_door_registry, selectors
from konzeptk.core.errors import api_format_for, error_response
from konzeptk.core.forms import AccessibilityFeedbackForm
from konzeptk.core.models import SitePage
from konzeptk.core.ratelimits import limit

logger = logging.getLogger(__name__)

# When the accessibility statement was written and last reviewed (BITV 2.0 / EU model statement).
ACCESSIBILITY_STATEMENT_DATE = dt.date(2026, 11, 26)
ACCESSIBILITY_REVIEW_DATE = dt.date(2026, 11, 26)


def home(request: HttpRequest) -> HttpResponse:
    profile = city_selectors.active_profile()
    layer = city_selectors.current_layer(profile) if profile else None
    districts = list(city_selectors.districts_of(layer)) if layer else []
    context: dict[str, Any] = {
        "profile": profile,
        "layer": layer,
        "districts": districts,
        # running processes, live figures, latest answers: from the rooms that registered a provider
        "front_door": front_door_registry.cached_front_door(),
    }
    if profile is not None and layer is not None:
        context.update(city_map_context(profile, layer, districts))
    return render(request, "core/home.html", context)


def easy_language(request: HttpRequest) -> HttpResponse:
    return render(request, "core/leichte_sprache.html")


def sign_language(request: HttpRequest) -> HttpResponse:
    page = selectors.site_page(SitePage.Slug.GEBAERDENSPRACHE)
    return render(request, "core/gebaerdensprache.html", {"page": page})


@limit("feedback")
def accessibility(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = AccessibilityFeedbackForm(request.POST)
        if form.is_valid():
            feedback = form.save(commit=False)
            feedback.language = request.LANGUAGE_CODE
            feedback.save()
            messages.success(
                request,
                _(
                    "Vielen Dank! Ihre Rückmeldung ist eingegangen. Wir melden uns innerhalb von sechs Wochen."
                ),
            )
            return redirect("core:accessibility")
    else:
        form = AccessibilityFeedbackForm(initial={"page_url": request.GET.get("page", "")})
    context = {
        "form": form,
        "statement_date": ACCESSIBILITY_STATEMENT_DATE,
        "review_date": ACCESSIBILITY_REVIEW_DATE,
    }
    return render(request, "core/barrierefreiheit.html", context, status=400 if form.errors else 200)


def site_page(request: HttpRequest, slug: str) -> HttpResponse:
    page = selectors.site_page(slug)
    return render(
        request,
        "core/site_page.html",
        {"page": page, "slug": slug, "fallback_title": SitePage.Slug(slug).label},
    )


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # the database is down: say so, do not raise
        return JsonResponse(
            {
                "status": "error",
                "database": {"vendor": connection.vendor, "ok": False, "error": exc.__class__.__name__},
            },
            status=503,
        )
    return JsonResponse({"status": "ok", "database": {"vendor": connection.vendor, "ok": True}})


def _error(request: HttpRequest, status: int, title: str, text: str, code: str | None = None) -> HttpResponse:
    """The HTML error page, or the API's JSON error under an API prefix (``core.errors``)."""
    return error_response(request, status=status, code=code, message=text, title=title)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        return _error(
            request,
            413,
            _("Die Anfrage ist zu groß"),
            _("Die gesendeten Daten sind zu groß. Bitte senden Sie weniger oder kleinere Dateien."),
            code="too_large",
        )
    if isinstance(exception, TooManyFieldsSent):
        return _error(
            request,
            400,
            _("Die Anfrage ist fehlerhaft"),
            _("Die Anfrage enthält zu viele Felder."),
            code="too_many_fields",
        )
    return _error(
        request,
        400,
        _("Die Anfrage ist fehlerhaft"),
        _(
            "Ihr Browser hat eine Anfrage geschickt, die wir nicht verstehen. Bitte versuchen Sie es noch einmal."
        ),
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        403,
        _("Kein Zugriff"),
        _(
            "Sie haben keine Berechtigung für diese Seite. Melden Sie sich gegebenenfalls mit einem anderen Konto an."
        ),
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        404,
        _("Seite nicht gefunden"),
        _(
            "Die Seite gibt es nicht oder nicht mehr. Prüfen Sie die Adresse oder beginnen Sie auf der Startseite."
        ),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page. It must render even when the database is down, so it runs no context processors.

    Under an API prefix the API's JSON error (no trace), also without a database.
    """
    from konzeptk.core.context_processors import language_links

    if api_format_for(request.path) is not None:
        return error_response(request, status=500)
    context: dict[str, Any] = {
        "status": 500,
        "title": _("Ein Fehler ist aufgetreten"),
        "text": _(
            "Das hätte nicht passieren dürfen. Der Fehler wurde aufgezeichnet; "
            "bitte versuchen Sie es später noch einmal."
        ),
        "ui_languages": language_links(request),
        "city_name": "",
        "request": request,
    }
    try:
        html = loader.get_template("core/error.html").render(context)
    except Exception:  # even the template failed: answer with plain text rather than nothing
        logger.exception("Die Fehlerseite 500 konnte nicht gerendert werden.")
        return HttpResponse(str(context["text"]), status=500, content_type="text/plain; charset=utf-8")
    return HttpResponse(html, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(
        request,
        403,
        _("Das Formular ist abgelaufen"),
        _(
            "Aus Sicherheitsgründen konnten wir das Formular nicht annehmen. Bitte laden Sie die Seite neu und senden Sie es noch einmal ab."
        ),
    )
