"""Data out: the MOOChub v3 endpoint, the iCalendar feeds and the CSV download of the offers.

The MOOChub endpoint answers every error as a JSON:API error document (``application/vnd.api+json``),
never as HTML: its own refusals here, and Django's 404/405/500 under ``/bildung/api/`` through the
error format registered in ``EducationConfig.ready``.
"""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from konzeptk.core.csv import csv_response
from konzeptk.core.errors import error_response
from konzeptk.education import feeds, moochub, offer_csv
from konzeptk.education.selectors import district_by_code, provider_by_slug

API_PREFIX = "/bildung/api/"


def jsonapi_response(body: dict[str, object], status: int = 200) -> HttpResponse:
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type=moochub.MEDIA_TYPE)


def jsonapi_error(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    """The error renderer of ``/bildung/api/`` (registered with ``core.errors``; no database)."""
    return jsonapi_response(moochub.error_document(status, code, message), status=status)


@require_GET
def moochub_courses(request: HttpRequest) -> HttpResponse:
    """``GET /bildung/api/moochub/courses?page[number]=&page[size]=`` – published offers, 100 a page at most."""
    try:
        page = moochub.parse_page({key: request.GET.get(key, "") for key in ("page[number]", "page[size]")})
        body = moochub.document(page, path=request.path)
    except moochub.PageError as error:
        code = "not_found" if error.status == 404 else "invalid_parameter"
        return jsonapi_response(
            moochub.error_document(error.status, code, error.message, error.parameter), error.status
        )
    response = jsonapi_response(body)
    response["Cache-Control"] = "public, max-age=300"
    return response


def _calendar(request: HttpRequest, flt: feeds.FeedFilter, *, name: str, filename: str) -> HttpResponseBase:
    area_text = request.GET.get("area", "").strip()
    district_code = request.GET.get("district", "").strip()
    area = None
    if area_text:
        if area_text not in {"1", "2", "3", "4", "5"}:
            return error_response(
                request, status=400, message=_("Den DigComp-Bereich gibt es nicht (1 bis 5).")
            )
        area = int(area_text)
    district_id = None
    if district_code:
        district = district_by_code(district_code)
        if district is None:
            return error_response(request, status=400, message=_("Diesen Stadtbezirk gibt es nicht."))
        district_id = district.pk
    flt = feeds.FeedFilter(provider=flt.provider, area=area, district_id=district_id)
    response = StreamingHttpResponse(
        feeds.calendar_lines(feeds.sessions_for(flt), name=name), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_GET
def calendar(request: HttpRequest) -> HttpResponseBase:
    """``/bildung/kalender.ics`` – every published session of the coming months."""
    return _calendar(
        request, feeds.FeedFilter(), name=_("Digitale Bildung in Krefeld"), filename="bildung.ics"
    )


@require_GET
def provider_calendar(request: HttpRequest, slug: str) -> HttpResponseBase:
    """``/bildung/anbieter/<slug>/kalender.ics`` – the sessions of one provider."""
    provider = provider_by_slug(slug)
    if provider is None:
        raise Http404
    return _calendar(
        request, feeds.FeedFilter(provider=provider), name=provider.name, filename=f"{provider.slug}.ics"
    )


@require_GET
def offers_csv(request: HttpRequest) -> HttpResponseBase:
    """``/bildung/angebote.csv`` – the published offers in the documented column set."""
    return csv_response(
        filename="bildungsangebote.csv", rows=offer_csv.export_rows(), header=offer_csv.HEADER
    )
