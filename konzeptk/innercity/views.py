"""Public pages of the inner city: the landing page, available spaces (map and list), a unit,
its photos, and the vacancy statistics with their open-data CSV."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from konzeptk.core.csv import csv_response
from konzeptk.core.maps import MapPoint
from konzeptk.innercity import selectors
from konzeptk.innercity.charts import history_chart
from konzeptk.innercity.forms import UnitFilterForm
from konzeptk.innercity.models import Unit, VacancyCountRow

PAGE_SIZE = 20


def link(name: str, fallback: str) -> str:
    """The address of a page of a neighbouring room, or its planned path while it is not built yet."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return fallback


def photo_url(pk: int) -> str:
    return reverse("innercity:photo", args=[pk])


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    count = selectors.latest_count()
    context = {
        "offered": selectors.public_units().count(),
        "count": count,
        "share": None if count is None or count.share is None else round(count.share * 100, 1),
        "links": {
            "interim": link("interimuse:index", "/innenstadt/zwischennutzung/"),
            "businesses": link("economy:directory", "/innenstadt/geschaefte/"),
            "offers": link("economy:offers", "/innenstadt/geschaefte/angebote/"),
            "footfall": link("economy:passers", "/innenstadt/geschaefte/passanten/"),
            "events": link("events:list", "/veranstaltungen/"),
        },
    }
    return render(request, "innercity/home.html", context)


def _filter(form: UnitFilterForm) -> selectors.UnitFilter:
    if not form.is_valid():
        return selectors.UnitFilter()
    data = form.cleaned_data
    district = data.get("district") or ""
    return selectors.UnitFilter(
        min_area=data.get("min_area"),
        max_area=data.get("max_area"),
        district_id=int(district) if district.isdigit() else None,
        street=data.get("street") or "",
        use=data.get("use") or "",
    )


def unit_card(unit: Unit, unit_url: str) -> dict[str, Any]:
    photos = list(unit.photos.all())
    return {
        "unit": unit,
        "url": unit_url,
        "uses": [use.label for use in unit.uses.all()],
        "district": unit.district.name if unit.district is not None else "",
        "photo": photo_url(photos[0].pk) if photos else "",
        "photo_alt": photos[0].alt_text if photos else "",
    }


@require_GET
def unit_list(request: HttpRequest) -> HttpResponse:
    districts, streets = selectors.public_filter_choices()
    bound = bool(request.GET.keys() - {"page"})
    form = UnitFilterForm(request.GET if bound else None, districts=districts, streets=streets)
    flt = _filter(form) if bound else selectors.UnitFilter()
    page = Paginator(selectors.public_units(flt), PAGE_SIZE).get_page(request.GET.get("page"))
    units = list(page.object_list)
    head = reverse("innercity:unit", args=[0])[: -len("0/")]
    cards = [unit_card(u, f"{head}{u.pk}/") for u in units]
    points = [
        MapPoint(lat=u.lat, lon=u.lon, label=u.address, url=c["url"])
        for u, c in zip(units, cards, strict=True)
    ]
    query = {k: str(v) for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "innercity/unit_list.html",
        {"form": form, "page": page, "cards": cards, "points": points, "query": urlencode(query)},
        status=400 if bound and not form.is_valid() else 200,
    )


@require_GET
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = selectors.public_unit(pk)
    if unit is None:
        candidate = selectors.unit_by_pk(pk)
        if candidate is None or not request.user.has_perm("innercity.edit_unit", candidate):
            raise Http404
        unit = candidate  # the owner or the coordination sees a unit that is not public (yet)
    photos = [{"url": photo_url(p.pk), "photo": p} for p in unit.photos.all()]
    return render(
        request,
        "innercity/unit_detail.html",
        {
            "unit": unit,
            "photos": photos,
            "uses": [use.label for use in unit.uses.all()],
            "is_public": unit.owner_consent_public and unit.status in Unit.PUBLIC_STATUSES,
            "may_edit": request.user.has_perm("innercity.edit_unit", unit),
            "interim_url": link("interimuse:index", "/innenstadt/zwischennutzung/"),
        },
    )


@require_GET
def photo(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A photo of a public unit; the owner and the coordination also see photos of other units."""
    item = selectors.photo_by_pk(pk)
    if item is None:
        raise Http404
    public = selectors.photo_is_public(item)
    if not public and not request.user.has_perm("innercity.edit_unit", item.unit):
        raise Http404
    with item.image.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    history = selectors.count_history()
    latest = history[-1] if history else None
    return render(
        request,
        "innercity/statistics.html",
        {
            "history": history,
            "chart": history_chart(history),
            "latest": latest,
            "streets": list(selectors.count_rows(latest, VacancyCountRow.Scope.STREET)) if latest else [],
            "districts": list(selectors.count_rows(latest, VacancyCountRow.Scope.DISTRICT)) if latest else [],
        },
    )


COUNTS_CSV_HEADER = [
    "stichtag",
    "ebene",
    "schluessel",
    "name",
    "ladenlokale",
    "leer",
    "anteil_leer",
    "median_leerstandsdauer_tage",
    "simuliert",
    "quelle",
]


@require_GET
def counts_csv(request: HttpRequest) -> HttpResponseBase:
    """Every count, in total and per street and district (open data)."""

    def rows() -> Any:
        for count in selectors.count_history():
            yield [
                count.count_date.isoformat(),
                "gesamt",
                "",
                "Innenstadt",
                count.units,
                count.vacant,
                round(count.share, 4) if count.share is not None else "",
                count.median_days if count.median_days is not None else "",
                "ja" if count.simulated else "nein",
                count.source,
            ]
        for row in selectors.all_count_rows().iterator():
            yield [
                row.count.count_date.isoformat(),
                row.scope,
                row.key,
                row.label,
                row.units,
                row.vacant,
                round(row.share, 4) if row.share is not None else "",
                row.median_days if row.median_days is not None else "",
                "ja" if row.count.simulated else "nein",
                row.count.source,
            ]

    return csv_response(filename="leerstand-innenstadt.csv", rows=rows(), header=COUNTS_CSV_HEADER)


UNITS_CSV_HEADER = [
    "id",
    "bezeichnung",
    "strasse",
    "hausnummer",
    "postleitzahl",
    "stadtbezirk",
    "breite",
    "laenge",
    "flaeche_m2",
    "schaufenster_m",
    "etage",
    "stufenlos",
    "miete_monat_euro",
    "verfuegbar_ab",
    "nutzungen",
    "status",
    "simuliert",
]


@require_GET
def units_csv(request: HttpRequest) -> HttpResponseBase:
    """The public offers (open data): no owner, no notes, no reason."""

    def rows() -> Any:
        for unit in selectors.public_units().iterator(chunk_size=500):
            yield [
                unit.pk,
                unit.title_de,
                unit.street,
                unit.house_number,
                unit.postcode,
                unit.district.name if unit.district is not None else "",
                unit.lat,
                unit.lon,
                unit.area_m2,
                unit.shop_window_m if unit.shop_window_m is not None else "",
                unit.floor,
                "ja" if unit.step_free else "nein",
                unit.rent_per_month if unit.rent_per_month is not None else "",
                unit.available_from.isoformat() if unit.available_from else "",
                " ".join(use.key for use in unit.uses.all()),
                unit.status,
                "ja" if unit.simulated else "nein",
            ]

    return csv_response(filename="ladenlokale-innenstadt.csv", rows=rows(), header=UNITS_CSV_HEADER)
