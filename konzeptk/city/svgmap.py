"""A server-rendered SVG map of the city: outline and districts, readable without JavaScript."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry


@dataclass(frozen=True)
class SvgShape:
    path: str
    label: str
    label_x: float
    label_y: float
    code: str


@dataclass(frozen=True)
class SvgMap:
    width: int
    height: int
    outline: str
    shapes: list[SvgShape]


class Projection:
    """Equirectangular projection around the city's mean latitude, fitted into the box."""

    def __init__(self, bounds: tuple[float, float, float, float], width: int, padding: int = 8) -> None:
        min_lon, min_lat, max_lon, max_lat = bounds
        self.k = math.cos(math.radians((min_lat + max_lat) / 2))
        span_x = (max_lon - min_lon) * self.k or 1.0
        span_y = (max_lat - min_lat) or 1.0
        self.scale = (width - 2 * padding) / span_x
        self.min_lon, self.max_lat, self.padding = min_lon, max_lat, padding
        self.height = math.ceil(span_y * self.scale + 2 * padding)

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        x = (lon - self.min_lon) * self.k * self.scale + self.padding
        y = (self.max_lat - lat) * self.scale + self.padding
        return round(x, 1), round(y, 1)


def _path(geom: BaseGeometry, project: Projection) -> str:
    geom = geom.simplify(0.0003, preserve_topology=True)
    polygons = list(getattr(geom, "geoms", [geom]))
    parts = []
    for polygon in polygons:
        for ring in [polygon.exterior, *polygon.interiors]:
            points = [project(x, y) for x, y in ring.coords]
            parts.append("M" + " L".join(f"{x},{y}" for x, y in points) + " Z")
    return " ".join(parts)


def build(
    boundary: dict[str, Any], areas: Iterable[tuple[str, str, dict[str, Any]]], width: int = 640
) -> SvgMap:
    """``areas`` yields (code, label, GeoJSON geometry)."""
    outline = shape(boundary)
    project = Projection(outline.bounds, width)
    shapes = []
    for code, label, geometry in areas:
        geom = shape(geometry)
        point = geom.representative_point()
        x, y = project(point.x, point.y)
        shapes.append(SvgShape(path=_path(geom, project), label=label, label_x=x, label_y=y, code=code))
    return SvgMap(width=width, height=project.height, outline=_path(outline, project), shapes=shapes)
