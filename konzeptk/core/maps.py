"""The one map component of the platform (server side).

Every map is a ``<figure class="kk-map">`` built by ``core/_map.html``: without JavaScript it is the
server-rendered SVG of the city profile (outline and districts) with the features as dots; with
JavaScript ``core/map.js`` replaces the SVG by Leaflet (markers, clusters) drawn on the same base map.
No tile server is needed; a tile or WMTS source is the setting ``MAP_TILE_URL``. The page always
shows the same features as a list or table next to the map.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from shapely.geometry import mapping, shape

from konzeptk.city import svgmap
from konzeptk.city.models import CityProfile, DistrictLayer
from konzeptk.city.selectors import active_profile, current_layer, districts_of

#: Never more features than this inline in a page (a data source with more must page itself).
MAX_INLINE_FEATURES = 500


@dataclass(frozen=True)
class MapPoint:
    """One feature on a map: a point with a label and, if it has a page, its address. ``mark`` is a short
    text on the pin (the number of the row in the list beside the map)."""

    lat: float
    lon: float
    label: str
    url: str = ""
    mark: str = ""


@dataclass(frozen=True)
class BaseMap:
    drawing: svgmap.SvgMap
    geojson: dict[str, Any]
    bounds: tuple[float, float, float, float]


def _light(geometry: dict[str, Any]) -> dict[str, Any]:
    return dict(mapping(shape(geometry).simplify(0.0005, preserve_topology=True)))


@lru_cache(maxsize=8)
def _base_map(profile_id: int, layer_id: int, stamp: str) -> BaseMap:
    """Outline and districts as SVG and as light GeoJSON, built once per profile load."""
    profile = CityProfile.objects.get(pk=profile_id)
    layer = DistrictLayer.objects.filter(pk=layer_id).first()
    districts = list(districts_of(layer)) if layer else []
    drawing = svgmap.build(profile.boundary, ((d.code, d.name, d.geometry) for d in districts))
    geojson = {
        "outline": _light(profile.boundary),
        "districts": {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "geometry": _light(d.geometry), "properties": {"name": d.name}}
                for d in districts
            ],
        },
    }
    return BaseMap(drawing=drawing, geojson=geojson, bounds=shape(profile.boundary).bounds)


def base_map() -> BaseMap | None:
    """The base map of the active city profile, or None when no profile is loaded."""
    profile = active_profile()
    if profile is None:
        return None
    layer = current_layer(profile)
    return _base_map(profile.pk, layer.pk if layer else 0, profile.loaded_at.isoformat())


def _inside(point: MapPoint, bounds: tuple[float, float, float, float]) -> bool:
    min_lon, min_lat, max_lon, max_lat = bounds
    pad = 0.05
    return min_lon - pad <= point.lon <= max_lon + pad and min_lat - pad <= point.lat <= max_lat + pad


def _points_of(geojson: dict[str, Any]) -> list[MapPoint]:
    """The Point features of a FeatureCollection, for the SVG without JavaScript."""
    found = []
    for feature in geojson.get("features", []):
        geometry = feature.get("geometry") or {}
        if geometry.get("type") != "Point":
            continue
        try:
            lon, lat = (float(c) for c in geometry["coordinates"][:2])
        except (TypeError, ValueError, KeyError):
            continue
        if math.isfinite(lat) and math.isfinite(lon):
            found.append(
                MapPoint(lat=lat, lon=lon, label=str((feature.get("properties") or {}).get("name", "")))
            )
    return found


def map_context(
    *,
    points: Iterable[MapPoint],
    map_id: str,
    caption: str,
    data_url: str = "",
    geojson: dict[str, Any] | None = None,
    small: bool = False,
    picker: tuple[str, str] | None = None,
    click_map: dict[str, Any] | None = None,
    base: BaseMap | None = None,
) -> dict[str, Any]:
    """What ``core/_map.html`` needs. ``data_url`` (GeoJSON) or ``geojson`` add features for Leaflet.

    ``picker`` is the pair of ids of the latitude and longitude inputs a click on the map fills;
    ``click_map`` (name, src, width, height, alt) puts a clickable image in place of the SVG for a
    form without JavaScript.
    """
    base = base or base_map()
    if base is None:
        return {"kk_map": None}
    project = svgmap.Projection(base.bounds, base.drawing.width)
    if geojson is not None and not points:
        points = _points_of(geojson)
    shown = [p for p in points if _inside(p, base.bounds)][:MAX_INLINE_FEATURES]
    dots = []
    for p in shown:
        x, y = project(p.lon, p.lat)
        dots.append({"x": x, "y": y, "label": p.label, "mark": p.mark})
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
            "properties": {"name": p.label, "url": p.url, "mark": p.mark},
        }
        for p in shown
    ]
    data = {
        **base.geojson,
        "features": geojson or {"type": "FeatureCollection", "features": features},
    }
    return {
        "kk_map": {
            "id": map_id,
            "caption": caption,
            "drawing": base.drawing,
            "dots": dots,
            "data": data,
            "data_url": data_url,
            "small": small,
            "picker": picker,
            "click_map": click_map,
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        }
    }
