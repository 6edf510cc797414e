"""Public dashboards: one page per topic with sensor list, chart, data table and CSV download."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from konzeptk.accounts.models import Organisation, User
from konzeptk.city import svgmap
from konzeptk.city.selectors import active_profile, current_layer
from konzeptk.core import charts
from konzeptk.core.csv import Cell, csv_response
from konzeptk.sensing import models as m
from konzeptk.sensing import selectors, services
from konzeptk.sensing.forms import ApiTokenForm

TOPICS: dict[str, dict[str, Any]] = {
    "klima": {
        "title": gettext_lazy("Klima & Umwelt"),
        "intro": gettext_lazy(
            "Lufttemperatur an Straßenlaternen und Stickstoffdioxid an Messstationen im Stadtgebiet."
        ),
    },
    "wasser": {
        "title": gettext_lazy("Wasser"),
        "intro": gettext_lazy("Grundwasserstände an Messstellen, gemessen alle 15 Minuten."),
    },
    "mobilitaet": {
        "title": gettext_lazy("Mobilität"),
        "intro": gettext_lazy("Radverkehr an Zählstellen auf der Krefelder Promenade."),
    },
    "innenstadt": {
        "title": gettext_lazy("Innenstadt"),
        "intro": gettext_lazy("Passant:innen in den Einkaufsstraßen der Innenstadt, gezählt pro Stunde."),
    },
}
PERIODS: dict[str, tuple[int, str, Any]] = {
    "1": (1, "hour", gettext_lazy("letzter Tag (Stundenwerte)")),
    "7": (7, "day", gettext_lazy("letzte 7 Tage (Tageswerte)")),
    "30": (30, "day", gettext_lazy("letzte 30 Tage (Tageswerte)")),
    "365": (365, "month", gettext_lazy("letztes Jahr (Monatswerte)")),
}


def dashboard_index(request: HttpRequest) -> HttpResponse:
    counts = {slug: len(selectors.topic_datastreams(slug)) for slug in TOPICS}
    topics = [{"slug": slug, "count": counts[slug], **info} for slug, info in TOPICS.items()]
    user = request.user
    token_orgs = selectors.api_token_organisations(user) if isinstance(user, User) else []
    return render(request, "sensing/index.html", {"topics": topics, "token_orgs": token_orgs})


def _selection(request: HttpRequest, topic: str) -> dict[str, Any]:
    if topic not in TOPICS:
        raise Http404
    streams = selectors.topic_datastreams(topic)
    period_key = request.GET.get("period", "30")
    if period_key not in PERIODS:
        period_key = "30"
    days, interval, _label = PERIODS[period_key]
    selected = streams[0] if streams else None
    wanted = request.GET.get("sensor", "")
    if wanted.isdigit():
        selected = next((s for s in streams if s.pk == int(wanted)), selected)
    buckets: list[selectors.Bucket] = []
    start = end = None
    if selected is not None and selected.phenomenon_time_end is not None:
        end = selected.phenomenon_time_end + dt.timedelta(seconds=1)
        start = end - dt.timedelta(days=days)
        buckets = selectors.aggregate_series(datastream=selected, interval=interval, start=start, end=end)
    return {
        "topic": topic,
        "streams": streams,
        "selected": selected,
        "period_key": period_key,
        "interval": interval,
        "buckets": buckets,
        "start": start,
        "end": end,
    }


@lru_cache(maxsize=8)
def _district_drawing(profile_id: int, stamp: str) -> tuple[svgmap.SvgMap, tuple[float, float, float, float]]:
    """The city outline and districts as SVG, built once per loaded profile (``stamp`` changes on reload)."""
    from shapely.geometry import shape

    profile, districts = selectors.profile_and_districts(profile_id)
    drawing = svgmap.build(profile.boundary, ((d.code, d.name, d.geometry) for d in districts))
    return drawing, shape(profile.boundary).bounds


def sensor_map(rows: list[dict[str, Any]], selected: m.Datastream | None) -> dict[str, Any] | None:
    """Server-side SVG of the districts with one numbered dot per sensor; the table lists the same sensors."""
    profile = active_profile()
    if profile is None:
        return None
    layer = current_layer(profile)
    drawing, bounds = _district_drawing(
        profile.pk, f"{profile.loaded_at.isoformat()}:{layer.pk if layer else 0}"
    )
    project = svgmap.Projection(bounds, drawing.width)
    min_lon, min_lat, max_lon, max_lat = bounds
    dots = []
    for row in rows:
        number, coords = row["number"], row["coords"]
        if coords is None or not (min_lon <= coords[0] <= max_lon and min_lat <= coords[1] <= max_lat):
            continue  # outside the drawing: the table still lists it
        x, y = project(float(coords[0]), float(coords[1]))
        dots.append(
            {
                "x": x,
                "y": y,
                "number": number,
                "name": row["stream"].name,
                "selected": row["stream"] == selected,
            }
        )
    return {"svgmap": drawing, "dots": dots}


def dashboard_topic(request: HttpRequest, topic: str) -> HttpResponse:
    context = _selection(request, topic)
    streams: list[m.Datastream] = context["streams"]
    latest = selectors.latest_observations(streams)
    rows: list[dict[str, Any]] = []
    for ds in streams:
        location = next(iter(ds.thing.locations.all()), None)
        coords = (location.location or {}).get("coordinates") if location else None
        rows.append(
            {
                "number": len(rows) + 1,
                "stream": ds,
                "latest": latest.get(ds.pk),
                "district": (ds.thing.properties or {}).get("bezirk", ""),
                "coords": coords if isinstance(coords, list) and len(coords) == 2 else None,
                "simulated": bool((ds.properties or {}).get("simulated")),
                "source": (ds.properties or {}).get("source", ""),
            }
        )
    buckets = context["buckets"]
    chart = charts.time_series_chart([(b.start, b.mean, b.min, b.max) for b in buckets if b.mean is not None])
    selected = context["selected"]
    heat_table = []
    if topic == "klima" and context["start"] is not None:
        for row in rows:
            ds = row["stream"]
            if (ds.properties or {}).get("kind") == "temperature":
                value = selectors.aggregate_value(
                    datastream=ds, statistic="mean", start=context["start"], end=context["end"]
                )
                heat_table.append({"stream": ds, "district": row["district"], "mean": value})
        heat_table.sort(key=lambda r: -(r["mean"] or -999))
    context.update(
        {
            "info": TOPICS[topic],
            "rows": rows,
            "map": sensor_map(rows, selected),
            "chart": chart,
            "periods": [(key, label) for key, (_d, _i, label) in PERIODS.items()],
            "unit": (selected.unit_of_measurement or {}).get("symbol", "") if selected else "",
            "selected_props": (selected.properties or {}) if selected else {},
            "heat_table": heat_table,
            "any_simulated": any(r["simulated"] for r in rows),
        }
    )
    return render(request, "sensing/topic.html", context)


def dashboard_csv(request: HttpRequest, topic: str) -> HttpResponseBase:
    context = _selection(request, topic)
    selected = context["selected"]
    if selected is None:
        raise Http404
    props = selected.properties or {}
    rows: list[list[Cell]] = []
    if props.get("simulated"):
        rows.append([_("# Hinweis: simulierte Daten, keine echten Messwerte")])
    rows.append([f"# {selected.name}", (selected.unit_of_measurement or {}).get("symbol", "")])
    rows.append([_("Beginn"), _("Mittelwert"), _("Minimum"), _("Maximum"), _("Anzahl")])
    rows.extend(
        [b.start.isoformat(), _fmt(b.mean), _fmt(b.min), _fmt(b.max), b.count] for b in context["buckets"]
    )
    # as before: no byte order mark, semicolons (the buckets of one period are already in memory)
    return csv_response(
        filename=f"{topic}-{selected.pk}-{context['period_key']}.csv", rows=rows, delimiter=";", bom=False
    )


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


# --- API tokens of an organisation (managed by its admins) -----------------------------------
TOKENS_PER_PAGE = 25


def _token_organisation(request: HttpRequest, slug: str) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not request.user.has_perm("sensing.manage_api_tokens", organisation):
        raise PermissionDenied
    return organisation


def _render_tokens(
    request: HttpRequest,
    organisation: Organisation,
    *,
    form: ApiTokenForm | None = None,
    new_token: tuple[m.ApiToken, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    page = Paginator(selectors.api_tokens_of(organisation), TOKENS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "organisation": organisation,
        "page": page,
        "form": form or ApiTokenForm(),
        "new_token": new_token,
    }
    response = render(request, "sensing/api_tokens.html", context, status=status)
    add_never_cache_headers(response)  # the page may carry a new secret
    return response


@login_required
def api_tokens(request: HttpRequest, slug: str) -> HttpResponse:
    """List the organisation's tokens; POST creates one and shows its secret exactly once."""
    organisation = _token_organisation(request, slug)
    if request.method != "POST":
        return _render_tokens(request, organisation)
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            new_token = services.api_token_create(organisation=organisation, name=form.cleaned_data["name"])
        except ValidationError as error:
            form.add_error(None if not hasattr(error, "error_dict") else "name", error.messages)
        else:
            return _render_tokens(request, organisation, new_token=new_token, status=201)
    return _render_tokens(request, organisation, form=form, status=400)


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = _token_organisation(request, slug)
    token = get_object_or_404(m.ApiToken, pk=pk, organisation=organisation)
    services.api_token_revoke(token=token)
    messages.success(
        request, _("Der Schlüssel „%(name)s“ ist widerrufen und gilt nicht mehr.") % {"name": token.name}
    )
    return redirect("sensing:api_tokens", slug=organisation.slug)
