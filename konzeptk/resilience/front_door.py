"""Heat protection's part of the home page (core/front_door_registry.py): while a heat warning is in
force, how many cool places are open now, linked to their map. Two queries; nothing otherwise."""

from __future__ import annotations

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from konzeptk.core.front_door_registry import CityFigure, Contribution
from konzeptk.resilience import coolplaces, heat


def contribution(limit: int) -> Contribution:
    if not heat.heat_warning_active():
        return Contribution()
    when = coolplaces.moment()
    open_now = coolplaces.cool_places(coolplaces.CoolPlaceFilter(open_now=True), when=when).count()
    return Contribution(
        figures=[
            CityFigure(
                label=_("Hitzewarnung: kühle Orte, die jetzt geöffnet sind"),
                value=number_format(open_now, force_grouping=True),
                url=reverse("resilience:cool_places") + "?open_now=on",
                link_text=_("Kühle Orte auf der Karte"),
                measured_at=when.local,
                order=1,  # first: it is about health today
            )
        ]
    )
