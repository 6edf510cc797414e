"""The public climate dashboard ``/klima/`` and its figures as CSV (open data)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from konzeptk.climate import charts, selectors
from konzeptk.climate.models import Mode, Sector
from konzeptk.core import charts as core_charts
from konzeptk.core import numbers
from konzeptk.core.csv import csv_response


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    figures = selectors.dashboard_figures()
    rows, modal = figures.rows, figures.modal
    latest = rows[-1] if rows else None
    latest_modal = modal[-1] if modal else None
    return render(
        request,
        "climate/dashboard.html",
        {
            "points": figures.points,
            "rows": rows,
            "latest": latest,
            "sectors": Sector.choices,
            "sector_bars": core_charts.bars(
                [
                    (str(label), latest.sectors[key], numbers.number(latest.sectors[key], 0))
                    for key, label in Sector.choices
                ]
            )
            if latest
            else [],
            "emissions_chart": charts.emissions_chart(rows, figures.points),
            "budget": figures.budget,
            "solar": figures.solar,
            "solar_chart": charts.growth_chart(figures.solar, scale=0.001),
            "solar_totals": figures.solar_totals,
            "solar_districts": figures.solar_districts,
            "solar_district_bars": core_charts.bars(
                [
                    (r.name, r.amount, numbers.number(r.amount / 1000, 2))
                    for r in figures.solar_districts
                    if r.name
                ]
            ),
            "solar_run": figures.solar_run,
            "charging": figures.charging,
            "charging_chart": charts.growth_chart(figures.charging),
            "charging_totals": figures.charging_totals,
            "charging_districts": figures.charging_districts,
            "charging_run": figures.charging_run,
            "modal": modal,
            "modes": Mode.choices,
            "modal_bars": core_charts.bars(
                [
                    (
                        str(label),
                        latest_modal.shares.get(key, 0.0),
                        numbers.number(latest_modal.shares.get(key, 0.0), 1) + " %",
                    )
                    for key, label in Mode.choices
                ]
            )
            if latest_modal
            else [],
            "latest_modal": latest_modal,
        },
    )


@require_GET
def emissions_csv(request: HttpRequest) -> StreamingHttpResponse:
    rows = selectors.balances()
    header = [
        "jahr",
        "einwohner",
        *Sector.values,
        "summe_t",
        "t_je_einwohner",
        "pfad_t_je_einwohner",
        "quelle",
        "lizenz",
        "simuliert",
    ]
    return csv_response(
        filename="treibhausgase-krefeld.csv",
        header=header,
        rows=(
            [
                r.year,
                r.population,
                *(r.sectors[s] for s in Sector.values),
                round(r.total_t, 1),
                r.per_capita,
                r.path_per_capita,
                r.source,
                r.licence,
                "ja" if r.simulated else "nein",
            ]
            for r in rows
        ),
    )


@require_GET
def solar_csv(request: HttpRequest) -> StreamingHttpResponse:
    """Installed capacity per year (aggregated; the register holds the units themselves)."""
    return csv_response(
        filename="photovoltaik-krefeld.csv",
        header=["jahr", "zubau_kwp", "stilllegung_kwp", "bestand_kwp_jahresende", "quelle", "lizenz"],
        rows=(
            [
                p.year,
                round(p.added, 3),
                round(p.removed, 3),
                p.total,
                "Marktstammdatenregister (Bundesnetzagentur)",
                "DL-DE-BY-2.0",
            ]
            for p in selectors.solar_over_time()
        ),
    )


@require_GET
def solar_districts_csv(request: HttpRequest) -> StreamingHttpResponse:
    return csv_response(
        filename="photovoltaik-bezirke-krefeld.csv",
        header=["bezirk", "einheiten", "leistung_kwp", "quelle", "lizenz"],
        rows=(
            [
                r.name or "ohne Koordinaten",
                r.count,
                round(r.amount, 3),
                "Marktstammdatenregister (Bundesnetzagentur)",
                "DL-DE-BY-2.0",
            ]
            for r in selectors.solar_by_district()
        ),
    )


@require_GET
def charging_csv(request: HttpRequest) -> StreamingHttpResponse:
    stations = selectors.charging_stations().iterator(chunk_size=2000)
    return csv_response(
        filename="ladepunkte-krefeld.csv",
        header=[
            "betreiber",
            "strasse",
            "hausnummer",
            "postleitzahl",
            "ort",
            "bezirk",
            "breitengrad",
            "laengengrad",
            "inbetriebnahme",
            "nennleistung_kw",
            "ladepunkte",
            "schnelllader",
            "simuliert",
            "quelle",
            "lizenz",
        ],
        rows=(
            [
                s.operator,
                s.street,
                s.house_number,
                s.postcode,
                s.place,
                s.district.name if s.district else "",
                s.lat,
                s.lon,
                s.commissioned_on,
                s.power_kw,
                s.points,
                "ja" if s.fast else "nein",
                "ja" if s.simulated else "nein",
                "Ladesäulenregister (Bundesnetzagentur)",
                "CC BY 4.0",
            ]
            for s in stations
        ),
    )


@require_GET
def modal_split_csv(request: HttpRequest) -> StreamingHttpResponse:
    return csv_response(
        filename="modal-split-krefeld.csv",
        header=["jahr", *Mode.values, "umweltverbund", "quelle", "lizenz", "simuliert"],
        rows=(
            [
                y.year,
                *(y.shares.get(m) for m in Mode.values),
                y.sustainable,
                y.source,
                y.licence,
                "ja" if y.simulated else "nein",
            ]
            for y in selectors.modal_split()
        ),
    )
