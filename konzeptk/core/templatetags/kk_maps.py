"""``{% kk_map %}``: the platform's map component in a template (see konzeptk/core/maps.py)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

from konzeptk.core.maps import BaseMap, MapPoint, map_context

register = template.Library()


def _point(item: Any, label_attr: str, link_prefix: str) -> MapPoint | None:
    """A MapPoint from a MapPoint, a dict or a model instance with ``lat``/``lon``; None without a place."""
    if isinstance(item, MapPoint):
        return item
    get = item.get if isinstance(item, dict) else lambda key, default=None: getattr(item, key, default)
    lat, lon = get("lat"), get("lon")
    if lat is None or lon is None:
        return None
    url = get("url") or ""
    if not url and link_prefix and get("pk") is not None:
        url = f"{link_prefix}{get('pk')}/"
    try:
        label = str(get(label_attr) or "")
        mark = str(get("mark") or "")
        return MapPoint(lat=float(lat), lon=float(lon), label=label, url=str(url), mark=mark)
    except (TypeError, ValueError):
        return None


@register.inclusion_tag("core/_map.html")
def kk_map(
    items: Iterable[Any] | None = None,
    *,
    map_id: str = "karte",
    caption: str = "",
    label_attr: str = "title",
    link_prefix: str = "",
    data_url: str = "",
    geojson: dict[str, Any] | None = None,
    small: bool = False,
    picker: str = "",
    click_map: dict[str, Any] | None = None,
    base: BaseMap | None = None,
) -> dict[str, Any]:
    """A map of ``items`` (objects or dicts with lat, lon, a label and url or pk) on the city's base map.

    ``link_prefix`` + pk + "/" is the address of an item without its own ``url`` (no query per item).
    ``picker="id_lat id_lon"``: a click on the map fills these two inputs. ``base``: the base map a view
    has looked up already (saves its queries).
    """
    ids = picker.split()
    pair = (ids[0], ids[1]) if len(ids) == 2 else None
    many = [] if items is None else [items] if isinstance(items, dict) or hasattr(items, "lat") else items
    points = [p for p in (_point(i, label_attr, link_prefix) for i in many) if p is not None]
    return map_context(
        points=points,
        map_id=map_id,
        caption=caption,
        data_url=data_url,
        geojson=geojson,
        small=small,
        picker=pair,
        click_map=click_map,
        base=base,
    )
