from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from konzeptk.city import selectors
from konzeptk.city import svgmap as svg
from konzeptk.city.models import CityProfile, District, DistrictLayer


def district_list(request: HttpRequest) -> HttpResponse:
    """Every district layer of the active profile with its districts: the list twin of the map."""
    profile = selectors.active_profile()
    layers = list(profile.layers.prefetch_related("districts")) if profile else []
    return render(request, "city/district_list.html", {"profile": profile, "layers": layers})


def city_map_context(profile: CityProfile, layer: DistrictLayer, districts: list[District]) -> dict[str, Any]:
    """What the map include needs: the server-side SVG and the GeoJSON for Leaflet."""
    svgmap = svg.build(profile.boundary, ((d.code, d.name, d.geometry) for d in districts))
    caption_parts = [
        # the layer's name is a heading ("5 Stadtbezirke (ab 1.11.2025)"): never inflected inside a sentence
        ngettext(
            "Karte von %(city)s mit %(n)d Gebiet der Ebene „%(layer)s“.",
            "Karte von %(city)s mit %(n)d Gebieten der Ebene „%(layer)s“.",
            len(districts),
        )
        % {"city": profile.name, "n": len(districts), "layer": layer.name},
    ]
    if layer.schematic:
        caption_parts.append(_("Grenzen schematisch, nicht amtlich."))
    if layer.provisional:
        caption_parts.append(_("Zuschnitt vorläufig."))
    caption_parts.append(_("Die Tabelle daneben enthält dieselben Angaben."))
    geojson = {
        "type": "FeatureCollection",
        "outline": profile.boundary,
        "features": [
            {"type": "Feature", "geometry": d.geometry, "properties": {"code": d.code, "name": d.name}}
            for d in districts
        ],
    }
    return {
        "svgmap": svgmap,
        "geojson": geojson,
        "map_data_id": f"karte-{layer.slug}",
        "caption": " ".join(str(p) for p in caption_parts),
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
