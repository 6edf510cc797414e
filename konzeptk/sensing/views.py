"""Public dashboards: one page per topic with sensor list, chart, data table and CSV download."""

from __future__ import annotations

import datetime as dt
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
from konzeptk.core import charts
from konzeptk.core.csv import Cell, csv_response
from konzeptk.core.maps import MapPoint
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


def sensor_map(rows: list[dict[str, Any]], selected: m.Datastream | None, period: str) -> list[MapPoint]:
    """The sensors as points of the platform's map component, numbered as in the table beside the map;
    each links to its own series (the selected one says so)."""
    points = []
    for row in rows:
        coords = row["coords"]
        if coords is None:
            continue  # without a place: the table still lists it
        stream = row["stream"]
        label = f"{row['number']}: {stream.name}"
        if stream == selected:
            label = _("%(label)s (gewählt)") % {"label": label}
        points.append(
            MapPoint(
                lat=float(coords[1]),
                lon=float(coords[0]),
                label=label,
                url=f"?sensor={stream.pk}&period={period}",
                mark=str(row["number"]),
            )
        )
    return points


SIMULATED_MARK = "(simuliert)"


def source_label(props: dict[str, Any]) -> str:
    """The source of a datastream as shown: "(simuliert)" once when its data are simulated, whether or not
    the stored source already says so (the demo of December 2026 wrote it into the source as well)."""
    source = str(props.get("source", "")).strip()
    while source.endswith(SIMULATED_MARK):
        source = source.removesuffix(SIMULATED_MARK).rstrip()
    if props.get("simulated") and source:
        return f"{source} ({_('simuliert')})"
    return source


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
                "source": source_label(ds.properties or {}),
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
            "map_points": sensor_map(rows, selected, context.get("period_key", "")),
            "chart": chart,
            "periods": [(key, label) for key, (_d, _i, label) in PERIODS.items()],
            "unit": (selected.unit_of_measurement or {}).get("symbol", "") if selected else "",
            "selected_props": (selected.properties or {}) if selected else {},
            "selected_source": source_label(selected.properties or {}) if selected else "",
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
    # the one CSV format (docs/data.md): what used to be comment lines (name, unit, simulated) are columns
    name, unit = selected.name, (selected.unit_of_measurement or {}).get("symbol", "")
    simulated = "ja" if props.get("simulated") else "nein"
    rows: list[list[Cell]] = [
        [name, unit, b.start.isoformat(), _fmt(b.mean), _fmt(b.min), _fmt(b.max), b.count, simulated]
        for b in context["buckets"]
    ]
    return csv_response(
        filename=f"{topic}-{selected.pk}-{context['period_key']}.csv", header=CSV_HEADER, rows=rows
    )


#: the columns of a dashboard's CSV (fixed names, like the other CSVs of the platform)
CSV_HEADER = ["datenreihe", "einheit", "beginn", "mittelwert", "minimum", "maximum", "anzahl", "simuliert"]


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
