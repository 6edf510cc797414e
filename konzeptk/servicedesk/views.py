"""Resident pages of the Mängelmelder: report, check nearby reports, follow, browse, statistics."""

from __future__ import annotations

import math
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from konzeptk.accounts.models import User
from konzeptk.city import svgmap
from konzeptk.core import maps as core_maps
from konzeptk.core.csv import csv_response
from konzeptk.core.errors import DomainError, error_response, page_error
from konzeptk.core.ratelimits import limit
from konzeptk.servicedesk import following, selectors, services
from konzeptk.servicedesk.forms import (
    FollowForm,
    ReportFilterForm,
    ReportFinishForm,
    ReportStartForm,
    SupportForm,
)
from konzeptk.servicedesk.models import Follower, Report

PAGE_SIZE = 20
# The overview map as a clickable image (<input type="image">) for the form without JavaScript:
# shown at this width in CSS pixels, so the click position converts back to a place.
CLICK_MAP_WIDTH = 280


# --- map helpers ---------------------------------------------------------------------------


def _current_base_map() -> tuple[svgmap.SvgMap, dict[str, Any], tuple[float, float, float, float]] | None:
    """The platform's base map (core/maps.py): drawing, light GeoJSON and the outline's bounds."""
    base = core_maps.base_map()
    if base is None:
        return None
    return base.drawing, base.geojson, base.bounds


@require_GET
def click_map_svg(request: HttpRequest) -> HttpResponse:
    """The districts as a standalone SVG image (presentation attributes only: no CSS to block)."""
    base = _current_base_map()
    if base is None:
        raise Http404
    drawing = base[0]
    fills = ("#e3ebf5", "#cfdcec")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {drawing.width} {drawing.height}" '
        f'width="{drawing.width}" height="{drawing.height}">',
        f'<rect width="{drawing.width}" height="{drawing.height}" fill="#ffffff"/>',
        f'<path d="{drawing.outline}" fill="#f4f6f9" stroke="#1b1b1f" stroke-width="2"/>',
    ]
    for i, area in enumerate(drawing.shapes):
        parts.append(f'<path d="{area.path}" fill="{fills[i % 2]}" stroke="#3c4c66" stroke-width="1"/>')
    for area in drawing.shapes:
        parts.append(
            f'<text x="{area.label_x}" y="{area.label_y}" text-anchor="middle" font-family="sans-serif" '
            f'font-size="15" fill="#1b1b1f">{escape(area.label)}</text>'
        )
    parts.append("</svg>")
    response = HttpResponse("".join(parts), content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    return response


def point_from_map_click(x: str, y: str) -> tuple[float, float] | None:
    """(lat, lon) for a click at (x, y) CSS pixels on the click map, or None.

    (0, 0) is what a browser sends when the image is activated with the keyboard: not a place.
    """
    base = _current_base_map()
    try:
        px, py = float(x), float(y)
    except ValueError:
        return None
    if base is None or (px <= 0 and py <= 0) or not (math.isfinite(px) and math.isfinite(py)):
        return None
    drawing, _data, bounds = base
    project = svgmap.Projection(bounds, drawing.width)
    factor = drawing.width / CLICK_MAP_WIDTH
    sx, sy = px * factor, py * factor
    lon = (sx - project.padding) / (project.k * project.scale) + project.min_lon
    lat = project.max_lat - (sy - project.padding) / project.scale
    return round(lat, 5), round(lon, 5)


def url_maker(name: str, kwarg: str) -> Any:
    """``make(value)`` == reverse(name, kwargs={kwarg: value}) for plain ids, reversed only once.

    Public ids and tokens are letters and digits, so they need no quoting.
    """
    marker = "ZZMARKERZZ"
    head, tail = reverse(name, kwargs={kwarg: marker}).split(marker)

    def make(value: object) -> str:
        return f"{head}{value}{tail}"

    return make


def status_texts() -> Any:
    """``text(status, close_reason)`` as servicedesk/_status.html shows it, translated once per call."""
    statuses = {value: str(label) for value, label in Report.Status.choices}
    reasons = {value: str(label) for value, label in Report.CloseReason.choices}

    def text(status: str, close_reason: str) -> str:
        shown = statuses.get(status, status)
        return f"{shown} – {reasons.get(close_reason, close_reason)}" if close_reason else shown

    return text


def map_context(*, points: list[Report], picker: bool = False) -> dict[str, Any]:
    """The reports for the platform's map component (core/maps.py), which draws them on the base map."""
    base = core_maps.base_map()
    if base is None:
        return {}
    drawing = base.drawing
    statuses = {value: str(label) for value, label in Report.Status.choices}
    detail_url = url_maker("servicedesk:detail", "public_id")
    points_data = [
        {
            "lat": r.lat,
            "lon": r.lon,
            "id": r.service_request_id,
            "label": f"{r.service_request_id}: {r.category.name} ({statuses.get(r.status, r.status)})",
            "url": detail_url(r.service_request_id),
        }
        for r in points
    ]
    click_map = (
        {
            "src": reverse("servicedesk:click_map"),
            "width": CLICK_MAP_WIDTH,
            "height": round(drawing.height * CLICK_MAP_WIDTH / drawing.width),
            "name": "karte",
            "alt": _(
                "Übersichtskarte der Stadtbezirke: Klicken Sie auf den Ort des Problems, "
                "um ihn ungefähr zu übernehmen."
            ),
        }
        if picker
        else None
    )
    return {
        "svgmap": drawing,
        "map_base": base,
        "click_map": click_map,
        "map_data": {"points": points_data, "picker": picker},
        "picker_ids": "id_lat id_lon" if picker else "",
        "small_map": len(points) == 1 and not picker,
    }


# --- report a problem ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@limit("report")
def report_new(request: HttpRequest) -> HttpResponse:
    """Two steps: (1) what and where, (2) nearby open reports, extra questions, photos, send."""
    step = request.POST.get("step", "1") if request.method == "POST" else "1"
    if request.method == "GET":
        initial = {k: request.GET[k] for k in ("category", "lat", "lon") if request.GET.get(k)}
        form = ReportStartForm(initial=initial)
        return render(
            request, "servicedesk/report_new.html", {"form": form, **map_context(points=[], picker=True)}
        )
    start = ReportStartForm(_with_map_click(request.POST))
    if not start.is_valid():
        return render(
            request,
            "servicedesk/report_new.html",
            {"form": start, **map_context(points=[], picker=True)},
            status=400,
        )
    category = start.cleaned_data["category_obj"]
    lat, lon, precise = start.cleaned_data["point"]
    nearby = selectors.nearby_open_reports(category=category, lat=lat, lon=lon) if precise else []
    if step == "1":
        finish = ReportFinishForm(initial=_step_one_values(start), category=category)
        return render(
            request,
            "servicedesk/report_check.html",
            {
                "form": finish,
                "category": category,
                "nearby": nearby,
                "support_form": SupportForm(),
                "location_note": start.cleaned_data.get("location_note", ""),
            },
        )
    finish = ReportFinishForm(request.POST, request.FILES, category=category)
    if finish.is_valid():
        try:
            result = services.report_create(
                category=category,
                description=finish.cleaned_data["description"],
                lat=lat,
                lon=lon,
                location_precise=precise,
                address=start.cleaned_data.get("address", ""),
                email=finish.cleaned_data.get("email", ""),
                email_verified=_verified_address(request, finish.cleaned_data.get("email", "")),
                attributes=finish.attribute_answers(),
                photos=request.FILES.getlist("photos"),
            )
        except DomainError as exc:
            page_error(request, exc, form=finish)
        else:
            if result.duplicate:
                messages.info(
                    request, _("Diese Meldung haben wir bereits erhalten. Sie wird nicht doppelt angelegt.")
                )
            return redirect("servicedesk:thanks", token=result.report.token)
    return render(
        request,
        "servicedesk/report_check.html",
        {
            "form": finish,
            "category": category,
            "nearby": nearby,
            "support_form": SupportForm(),
            "location_note": start.cleaned_data.get("location_note", ""),
        },
        status=400,
    )


def _with_map_click(data: Any) -> Any:
    """A click on the map image (the form without JavaScript) becomes the coordinates, approximately."""
    point = point_from_map_click(data.get("karte.x", ""), data.get("karte.y", ""))
    if point is None:
        return data
    data = data.copy()
    data["lat"], data["lon"] = (f"{v:.5f}" for v in point)
    data["approximate"] = "1"
    return data


def _step_one_values(form: ReportStartForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "category": data["category"],
        "description": data["description"],
        "address": data.get("address", ""),
        "place": data.get("place") or "",
        "approximate": "1" if data.get("approximate") else "",
        "district": data["district"].pk if data.get("district") else "",
        "lat": data.get("lat", ""),
        "lon": data.get("lon", ""),
        "email": data.get("email", ""),
    }


@require_GET
def report_thanks(request: HttpRequest, token: str) -> HttpResponse:
    report = selectors.report_for_reporter(token)
    if report is None:
        raise Http404
    follow_url = request.build_absolute_uri(reverse("servicedesk:follow", kwargs={"token": token}))
    return render(request, "servicedesk/report_thanks.html", {"report": report, "follow_url": follow_url})


@require_GET
def report_follow(request: HttpRequest, token: str) -> HttpResponse:
    """The reporter's own view through the secret link: works before the report is published."""
    report = selectors.report_for_reporter(token)
    if report is None:
        raise Http404
    timeline = selectors.public_timeline(report)
    return render(request, "servicedesk/report_follow.html", {"report": report, "timeline": timeline})


# --- public browsing -----------------------------------------------------------------------


def _filter_from(form: ReportFilterForm) -> selectors.ReportFilter:
    if not form.is_valid():
        return selectors.ReportFilter()
    data = form.cleaned_data
    return selectors.ReportFilter(
        category=data.get("category"),
        status=data.get("status") or "",
        district=data.get("district"),
        since=form.since,
    )


@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    form = ReportFilterForm(request.GET or None)
    flt = _filter_from(form) if request.GET else selectors.ReportFilter()
    paginator = Paginator(selectors.public_reports(flt), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = {k: str(v) for k, v in request.GET.items() if k != "page" and v}
    reports = list(page.object_list)
    context = {
        "form": form if request.GET else ReportFilterForm(),
        "page": page,
        "rows": _list_rows(reports),
        "query": urlencode(query),
        "map_json_url": reverse("servicedesk:map_data") + ("?" + urlencode(query) if query else ""),
        **map_context(points=reports),
    }
    return render(request, "servicedesk/report_list.html", context)


def _list_rows(reports: list[Report]) -> list[dict[str, Any]]:
    """The cards of the public list, computed once here rather than per row in the template."""
    detail_url = url_maker("servicedesk:detail", "public_id")
    status_text = status_texts()
    return [
        {
            "id": r.service_request_id,
            "url": detail_url(r.service_request_id),
            "category": r.category.name,
            "category_obj": r.category,  # {% kk_text %}: in the reader's language or marked German
            "address": r.address,
            "date": dateformat.format(timezone.localtime(r.requested_at), "j. F Y"),
            "district": r.district.name if r.district is not None else "",
            "status": r.status,
            "status_text": status_text(r.status, r.close_reason),
            "simulated": r.source == "demo",
        }
        for r in reports
    ]


@require_GET
def map_data(request: HttpRequest) -> JsonResponse:
    """GeoJSON of the newest public reports for the filter (at most selectors.MAP_LIMIT)."""
    form = ReportFilterForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"code": "invalid", "message": _("Die Filterangaben sind ungültig.")}, status=400)
    features = selectors.map_points(_filter_from(form))
    return JsonResponse({"type": "FeatureCollection", "features": features, "limit": selectors.MAP_LIMIT})


def reports_csv(request: HttpRequest) -> HttpResponseBase:
    """Every public report as CSV for the open data catalogue (the Open311 fields, without free texts)."""
    return csv_response(
        filename="maengelmelder-meldungen.csv",
        rows=selectors.public_report_rows(),
        header=selectors.CSV_HEADER,
    )


def attribute_rows(report: Report) -> list[tuple[str, str]]:
    """The answers to the category's extra questions, labelled with the question."""
    if not report.attributes:
        return []
    labels = dict(report.category.attributes.values_list("code", "description"))
    rows = []
    for code, value in report.attributes.items():
        shown = ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
        rows.append((labels.get(code, code), shown))
    return rows


def _public_or_404(public_id: str) -> Report:
    report = selectors.report_for_public(public_id)
    if report is None:
        raise Http404
    return report


@require_GET
def report_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    report = _public_or_404(public_id)
    context = {
        "report": report,
        "timeline": selectors.public_timeline(report),
        "photos": list(report.photos.all()),
        "attributes": attribute_rows(report),
        "follow_form": FollowForm(),
        "support_form": SupportForm(),
        **map_context(points=[report]),
    }
    return render(request, "servicedesk/report_detail.html", context)


def _verified_address(request: HttpRequest, email: str) -> bool:
    """Is ``email`` a verified address of the signed-in person? Then a follow needs no link."""
    if not email or not isinstance(request.user, User):
        return False
    return selectors.has_verified_address(request.user, email)


def _follow_message(request: HttpRequest, follow: Follower | None) -> None:
    """The same words whether the address is new, pending or confirmed: they reveal nothing."""
    if follow is None:
        return
    if follow.confirmed_at is not None and _verified_address(request, follow.email):
        messages.success(request, _("Sie bekommen eine E-Mail, wenn sich der Stand dieser Meldung ändert."))
        return
    messages.info(
        request,
        _(
            "Wir haben eine E-Mail an %(email)s geschickt, falls diese Adresse die Meldung noch nicht verfolgt. "
            "Bitte bestätigen Sie dort den Link – erst dann schicken wir Nachrichten zum Stand."
        )
        % {"email": follow.email},
    )


@require_POST
@limit("report_support")
def report_support(request: HttpRequest, public_id: str) -> HttpResponse:
    report = _public_or_404(public_id)
    form = SupportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Die E-Mail-Adresse ist ungültig."))
        return redirect("servicedesk:detail", public_id=public_id)
    email = form.cleaned_data.get("email") or ""
    if not request.user.is_authenticated and not request.session.session_key:
        request.session.save()  # the browser's identity for "once per browser"
    result = following.report_support(
        report=report,
        user=request.user,
        session_key=request.session.session_key or "",
        email=email,
        verified=_verified_address(request, email),
    )
    if result.counted:
        messages.success(
            request, _("Danke! Ihre Unterstützung ist gezählt. Sie müssen das Problem nicht neu melden.")
        )
    else:
        messages.info(request, _("Danke! Ihre Unterstützung für diese Meldung hatten wir schon gezählt."))
    _follow_message(request, result.follow)
    return redirect("servicedesk:detail", public_id=public_id)


@require_POST
@limit("report_follow")
def report_follow_add(request: HttpRequest, public_id: str) -> HttpResponse:
    report = _public_or_404(public_id)
    form = FollowForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte geben Sie eine gültige E-Mail-Adresse an."))
    else:
        email = form.cleaned_data["email"]
        follow = following.follower_add(
            report=report, email=email, verified=_verified_address(request, email)
        )
        _follow_message(request, follow)
    return redirect("servicedesk:detail", public_id=public_id)


@require_http_methods(["GET", "POST"])
def follow_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link of the confirmation mail: GET shows a button, only the POST confirms."""
    if request.method == "POST":
        follower = following.follower_confirm(confirm_token=token)
    else:
        follower = following.follower_pending(confirm_token=token)
    if follower is None:
        return error_response(
            request,
            status=404,
            code="invalid_link",
            title=_("Der Bestätigungslink ist ungültig oder abgelaufen"),
            message=_("Bitte melden Sie sich auf der Seite der Meldung noch einmal für E-Mails an."),
        )
    if request.method == "POST":
        messages.success(request, _("Danke! Sie bekommen jetzt eine E-Mail, wenn sich der Stand ändert."))
        if follower.report.is_public:
            return redirect("servicedesk:detail", public_id=follower.report.service_request_id)
        return redirect("servicedesk:list")
    return render(request, "servicedesk/follow_confirm.html", {"follower": follower})


# The List-Unsubscribe link of the status mails (RFC 8058): mail programs POST without cookies or a
# CSRF token; the long random token in the address is the proof (it only ever stops mails).
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unfollow(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        report = following.follower_remove(token=token)
        if report is None:
            raise Http404
        messages.success(request, _("Sie bekommen keine E-Mails mehr zu dieser Meldung."))
        if report.is_public:
            return redirect("servicedesk:detail", public_id=report.service_request_id)
        return redirect("servicedesk:list")
    follower = selectors.follower_by_token(token)
    if follower is None:
        raise Http404
    return render(request, "servicedesk/unfollow.html", {"follower": follower})


@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    form = ReportFilterForm(request.GET or None)
    since = form.since if request.GET and form.is_valid() else None
    stats = selectors.report_statistics(since=since)
    return render(
        request,
        "servicedesk/statistics.html",
        {"stats": stats, "form": form if request.GET else ReportFilterForm()},
    )


@require_GET
def photo(request: HttpRequest, pk: int) -> HttpResponse:
    """A published photo of a public report (uploads are not listed in the media folder)."""
    item = selectors.report_photo(pk, published_only=True)
    if item is None:
        raise Http404
    if not item.report.is_public:
        raise Http404
    with item.image.open("rb") as handle:
        return HttpResponse(handle.read(), content_type="image/jpeg")
