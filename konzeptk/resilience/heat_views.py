"""Pages of heat protection under /warnungen/: the cool places (list and map, one place with its hours),
the advice in plain German and in Leichte Sprache, and the checklist for facilities."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from konzeptk.resilience import coolplaces, heat
from konzeptk.resilience import heat_advice as heat_advice_data
from konzeptk.resilience.heat_forms import ChecklistKindForm, CoolPlaceFilterForm

PAGE_SIZE = 25


def weekday_names() -> list[str]:
    return [
        _("Montag"), _("Dienstag"), _("Mittwoch"), _("Donnerstag"), _("Freitag"), _("Samstag"), _("Sonntag"),
    ]  # fmt: skip


@require_GET
def cool_places(request: HttpRequest) -> HttpResponse:
    districts = coolplaces.district_choices()
    form = CoolPlaceFilterForm(request.GET or None, districts=districts)
    flt = form.filter() if request.GET else coolplaces.CoolPlaceFilter()
    when = coolplaces.moment()
    page = Paginator(coolplaces.cool_places(flt, when=when), PAGE_SIZE).get_page(request.GET.get("page"))
    places = coolplaces.mark_open(list(page.object_list), when=when)
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "resilience/coolplaces.html",
        {
            "form": form if request.GET else CoolPlaceFilterForm(districts=districts),
            "page": page,
            "places": places,
            "query": urlencode(query),
            "moment": when,
            "hotline": heat.hotline(),
        },
    )


@require_GET
def cool_place(request: HttpRequest, pk: int) -> HttpResponse:
    when = coolplaces.moment()
    place = coolplaces.place_by_pk(pk, when=when)
    if place is None:
        raise Http404
    names = weekday_names()
    week = [
        {"name": names[day.weekday], "spans": day.spans, "holiday_spans": day.holiday_spans}
        for day in coolplaces.week_table(place)
    ]
    return render(
        request,
        "resilience/coolplaces_detail.html",
        {
            "place": place,
            "moment": when,
            "week": week,
            "holidays_like_week": all(d["spans"] == d["holiday_spans"] for d in week),
            "hotline": heat.hotline(),
        },
    )


@require_GET
def heat_advice(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "resilience/heat.html",
        {
            "intro": heat_advice_data.ADVICE_INTRO,
            "sections": heat_advice_data.ADVICE,
            "sources": heat_advice_data.SOURCES,
            "hotline": heat.hotline(),
        },
    )


@require_GET
def heat_easy(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "resilience/heat_easy.html",
        {
            "sections": heat_advice_data.EASY,
            "sources": (*heat_advice_data.SOURCES, heat_advice_data.EASY_SOURCE),
            "hotline": heat.hotline(),
        },
    )


@require_GET
def heat_checklist(request: HttpRequest) -> HttpResponse:
    form = ChecklistKindForm(request.GET or None)
    kind = form.chosen() if request.GET else ""
    return render(
        request, "resilience/heat_checklist.html", {"checklist": heat.checklist(kind), "form": form}
    )
