"""The reach of the education offers for the coordination circle: table and chart of the people
reached per 1,000 residents by district and age band (published through the disclosure control), the
seniors reached per year, the white spots in short, and the same table as CSV."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from konzeptk.core import charts, numbers
from konzeptk.core.csv import Cell, csv_response
from konzeptk.education import white_spot_selectors
from konzeptk.education.white_spots import AGE_GROUP_BY_KEY, Criteria
from konzeptk.insights import education_reach, privacy
from konzeptk.insights.education_forms import ReachYearForm
from konzeptk.insights.education_reach import Figure, ReachReport
from konzeptk.insights.models import POPULATION_BANDS


def _band_label(band: str) -> str:
    return {
        "6-17": _("6 bis 17 Jahre"),
        "18-64": _("18 bis 64 Jahre"),
        "65+": _("65 Jahre und älter"),
    }.get(band, band)


def _rate_text(figure: Figure) -> str:
    rate = figure.per_thousand
    return _("zu wenige Angaben") if rate is None else numbers.number(rate, 1)


def _bars(rows: Sequence[tuple[str, Figure]]) -> list[charts.Bar]:
    return charts.bars([(label, f.per_thousand or 0.0, _rate_text(f)) for label, f in rows])


@require_GET
def education_reach_page(request: HttpRequest) -> HttpResponse:
    years = education_reach.reach_years()
    form = ReachYearForm(request.GET or None, years=years)
    year = form.chosen_year()
    report = education_reach.reach_report(year=year)
    spots = white_spot_selectors.white_spot_report(
        Criteria(age=AGE_GROUP_BY_KEY["seniors"]), now=timezone.now()
    )
    context = {
        "form": form,
        "year": year,
        "report": report,
        "bands": [(b, _band_label(b)) for b in POPULATION_BANDS],
        "seniors": education_reach.seniors_series(),
        "spots": spots,
        "max_deviation": privacy.MAX_DEVIATION,
        "min_described": privacy.MIN_DESCRIBED,
    }
    if report is not None:
        context["district_bars"] = _bars([(row.name, row.total) for row in report.rows])
        context["band_bars"] = _bars(
            [(_band_label(b), f) for b, f in zip(report.bands, report.band_totals, strict=True)]
        )
    return render(request, "insights/education_reach.html", context)


def _csv_rows(report: ReachReport | None) -> Iterator[Sequence[Cell]]:
    if report is None:
        return
    for row in report.rows:
        for band, figure in zip(("", *report.bands), (row.total, *row.bands), strict=True):
            rate = figure.per_thousand
            yield (
                report.year,
                row.name,
                band or _("alle"),
                round(figure.population) if figure.population is not None else "",
                figure.published,
                round(rate, 1) if rate is not None else "",
                "" if rate is not None else _("zu wenige Angaben"),
            )


@require_GET
def education_reach_csv(request: HttpRequest) -> StreamingHttpResponse:
    form = ReachYearForm(request.GET or None, years=education_reach.reach_years())
    year = form.chosen_year()
    return csv_response(
        filename=f"bildung-reichweite-{year}.csv",
        rows=_csv_rows(education_reach.reach_report(year=year)),
        header=[
            _("Jahr"),
            _("Stadtbezirk"),
            _("Altersgruppe"),
            _("Einwohnerinnen und Einwohner"),
            _("erreichte Personen (geschützte Zahl)"),
            _("je 1.000 Einwohner"),
            _("Hinweis"),
        ],
    )
