"""The strategy's part of the home page (core/front_door_registry.py): how many published indicators are
on course, linked to the indicator list. Two queries."""

from __future__ import annotations

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from konzeptk.core.front_door_registry import CityFigure, Contribution
from konzeptk.strategy import selectors
from konzeptk.strategy.trajectory import Status


def contribution(limit: int) -> Contribution:
    assessments = selectors.latest_assessments()
    if not assessments:
        return Contribution()
    on_track = sum(1 for a in assessments.values() if a.status == Status.ON_TRACK)
    return Contribution(
        figures=[
            CityFigure(
                label=_("Kennzahlen der Strategie auf Kurs"),
                value=_("%(on_track)s von %(total)s")
                % {"on_track": number_format(on_track), "total": number_format(len(assessments))},
                url=reverse("strategy:indicators"),
                link_text=_("Zu den Kennzahlen"),
                order=40,
            )
        ]
    )
