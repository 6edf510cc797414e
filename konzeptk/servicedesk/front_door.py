"""The Mängelmelder's part of the home page (core/front_door_registry.py): how many public reports are
open, linked to the list of open reports. One query."""

from __future__ import annotations

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from konzeptk.core.front_door_registry import CityFigure, Contribution
from konzeptk.servicedesk import selectors


def contribution(limit: int) -> Contribution:
    count = selectors.open_report_count()
    return Contribution(
        figures=[
            CityFigure(
                label=_("offene Mängelmeldungen"),
                value=number_format(count, force_grouping=True),
                url=reverse("servicedesk:list"),
                link_text=_("Zum Mängelmelder"),
                order=30,
            )
        ]
    )
