"""The context of the passer-by page: the chosen counter, its figures and the charts (core/charts.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from konzeptk.core import charts
from konzeptk.economy import footfall
from konzeptk.sensing import models as sm


def _day(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        day = dt.date.fromisoformat(text[:10])
    except ValueError:
        return None
    return day if 1990 <= day.year <= 2100 else None  # counters exist in no other years


def _chart(values: list[tuple[str, float | None]]) -> charts.LineChart | None:
    known = [v for _label, v in values if v is not None]
    top = max(known) if known else 0.0
    if top <= 0:
        return None
    step = charts.nice_step(top)
    top = step * (int(top // step) + 1)
    return charts.line_chart(values, top=top)


def passers_context(request: HttpRequest, *, today: dt.date, counters: list[sm.Datastream]) -> dict[str, Any]:
    """Counter by ``?counter=<id>``, week by ``?week=YYYY-MM-DD`` and day by ``?day=YYYY-MM-DD``."""
    context: dict[str, Any] = {"counters": counters, "dashboard": None}
    if not counters:
        return context
    wanted = request.GET.get("counter", "")
    chosen = next((c for c in counters if str(c.pk) == wanted), counters[0])
    week, day = _day(request.GET.get("week")), _day(request.GET.get("day"))
    status = 200
    if (request.GET.get("week") and week is None) or (request.GET.get("day") and day is None):
        context["bad_date"] = True
        status = 400
    board = footfall.dashboard(chosen, today=today, week_start=week, hours_day=day)
    names = [_("Mo"), _("Di"), _("Mi"), _("Do"), _("Fr"), _("Sa"), _("So")]
    context.update(
        {
            "status": status,
            "chosen": chosen,
            "dashboard": board,
            "simulated": bool((chosen.properties or {}).get("simulated")),
            "source": (chosen.properties or {}).get("source", ""),
            "weeks_chart": _chart([(p.label, p.total) for p in board.weeks]),
            "profile_chart": _chart([(names[i], v) for i, v in board.profile]),
            "profile_rows": [(names[i], v) for i, v in board.profile],
            "hours_chart": _chart([(f"{t.hour:02d}", v) for t, v in board.hours]),
            # links only within the counted days: a crawler (or a person) never pages into empty weeks
            "previous_week": board.week_start - dt.timedelta(days=7)
            if board.first_day and board.week_start - dt.timedelta(days=1) >= board.first_day
            else None,
            "next_week": board.week_start + dt.timedelta(days=7)
            if board.last_day and board.week_start + dt.timedelta(days=7) <= board.last_day
            else None,
            "weather_labels": {
                "rain": _("Regentage (mindestens 1 mm)"),
                "dry": _("trockene Tage"),
                "summer": _("Sommertage (mindestens 25 °C)"),
                "hot": _("heiße Tage (mindestens 30 °C)"),
            },
        }
    )
    return context
