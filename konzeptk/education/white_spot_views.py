"""The white-spot page for the coordination circle (public read): where a group finds no suitable
offer on site nearby, on the map and as a table, and who could fill the gap."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from konzeptk.core import numbers
from konzeptk.core.maps import MapPoint
from konzeptk.education import digcomp, white_spot_selectors
from konzeptk.education.white_spot_forms import WhiteSpotForm, default_criteria, language_name
from konzeptk.education.white_spots import AGE_GROUPS, Spot


def _map_point(spot: Spot, radius: str) -> MapPoint:
    if spot.white:
        label = _("%(district)s: kein passendes Angebot im Umkreis von %(radius)s km") % {
            "district": spot.anchor.name,
            "radius": radius,
        }
    else:
        label = ngettext(
            "%(district)s: %(count)s passendes Angebot im Umkreis von %(radius)s km",
            "%(district)s: %(count)s passende Angebote im Umkreis von %(radius)s km",
            spot.offers_in_reach,
        ) % {
            "district": spot.anchor.name,
            "count": spot.offers_in_reach,
            "radius": radius,
        }
    return MapPoint(lat=spot.anchor.lat, lon=spot.anchor.lon, label=label, mark=str(spot.offers_in_reach))


@require_GET
def white_spot_page(request: HttpRequest) -> HttpResponse:
    form = WhiteSpotForm(request.GET or None, languages=white_spot_selectors.offer_languages())
    context: dict[str, Any] = {"form": form, "report": None}
    if form.is_bound and not form.is_valid():
        return render(request, "education/white_spots.html", context)
    criteria = form.criteria() if form.is_bound else default_criteria()
    report = white_spot_selectors.white_spot_report(criteria, now=timezone.now())
    radius = numbers.number(criteria.radius_km, 1)
    context.update(
        {
            "report": report,
            "criteria": criteria,
            "radius": radius,
            "points": [_map_point(s, radius) for s in report.spots],
            "area_name": str(digcomp.AREAS[criteria.area]) if criteria.area else "",
            "language_name": language_name(criteria.language) if criteria.language else "",
            "groups": AGE_GROUPS,
        }
    )
    return render(request, "education/white_spots.html", context)
