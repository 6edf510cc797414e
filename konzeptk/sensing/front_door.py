"""The urban data platform's part of the home page (core/front_door_registry.py): the air temperature now
and the passers-by of the latest day, each linked to its dashboard. Four queries."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from konzeptk.core.front_door_registry import CityFigure, Contribution
from konzeptk.sensing import selectors


def contribution(limit: int) -> Contribution:
    figures = []
    simulated = _("simuliert")
    temperature = selectors.live_temperature()
    if temperature is not None:
        figures.append(
            CityFigure(
                label=_("Lufttemperatur"),
                value=f"{number_format(temperature.value, 1)} °C",
                url=reverse("sensing:topic", args=[temperature.topic]),
                link_text=_("Zum Dashboard Klima & Umwelt"),
                measured_at=temperature.as_of if isinstance(temperature.as_of, dt.datetime) else None,
                note=simulated if temperature.simulated else "",
                order=10,
            )
        )
    passers = selectors.passers_by_on_latest_day()
    if passers is not None:
        figures.append(
            CityFigure(
                label=_("Passant:innen in der Innenstadt an einem Tag"),
                value=number_format(round(passers.value), force_grouping=True),
                url=reverse("sensing:topic", args=[passers.topic]),
                link_text=_("Zum Dashboard Innenstadt"),
                measured_on=passers.as_of if not isinstance(passers.as_of, dt.datetime) else None,
                note=simulated if passers.simulated else "",
                order=20,
            )
        )
    return Contribution(figures=figures)
