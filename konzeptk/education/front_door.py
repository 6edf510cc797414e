"""The education network's part of the home page (core/front_door_registry.py): how many learning
offers have a session in the coming seven days, linked to the list of that week. One query."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from konzeptk.core.front_door_registry import CityFigure, Contribution
from konzeptk.education.search import OfferFilter, search_offers


def contribution(limit: int) -> Contribution:
    today = timezone.localdate()
    week = OfferFilter(date_from=today, date_to=today + dt.timedelta(days=6))
    count = search_offers(week).count()
    query = urlencode({"date_from": today.isoformat(), "date_to": (today + dt.timedelta(days=6)).isoformat()})
    return Contribution(
        figures=[
            CityFigure(
                label=_("Lernangebote mit Terminen in den nächsten sieben Tagen"),
                value=number_format(count, force_grouping=True),
                url=f"{reverse('education:list')}?{query}",
                link_text=_("Zu den Bildungsangeboten"),
                measured_on=today,
                order=35,
            )
        ]
    )
