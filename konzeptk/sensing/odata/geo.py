"""Geospatial functions without a spatial database: evaluated with shapely over the (small) tables
that hold geometries (Locations, FeaturesOfInterest, observedArea) and turned into ``pk__in``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q
from shapely import wkt as shapely_wkt
from shapely.errors import ShapelyError
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from konzeptk.sensing.odata.ast import Call, Geography, Path
from konzeptk.sensing.odata.errors import ParseError

if TYPE_CHECKING:
    from konzeptk.sensing.odata.to_django import Compiler

MAX_SCAN = 50_000  # geometries scanned per geo condition

_PREDICATES = {
    "geo.intersects": "intersects",
    "st_intersects": "intersects",
    "st_equals": "equals",
    "st_disjoint": "disjoint",
    "st_touches": "touches",
    "st_within": "within",
    "st_overlaps": "overlaps",
    "st_crosses": "crosses",
    "st_contains": "contains",
}


def _literal_geometry(node: Any) -> BaseGeometry:
    if not isinstance(node, Geography):
        raise ParseError("Zweites Argument muss ein geography'…'-Literal sein")
    try:
        return shapely_wkt.loads(node.wkt)
    except (ShapelyError, ValueError, TypeError):
        raise ParseError(f"Ungültige Geometrie {node.wkt[:60]!r}") from None


def _geometry(value: Any) -> BaseGeometry | None:
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    try:
        return shape(value) if isinstance(value, dict) else None
    except (ShapelyError, ValueError, TypeError, KeyError, AttributeError, IndexError):
        return None


def geo_condition(compiler: Compiler, node: Call) -> Q:
    if node.name == "st_relate":
        raise ParseError("st_relate wird nicht unterstützt")
    path, literal = node.args[0], node.args[1]
    if isinstance(path, Geography) and isinstance(literal, Path):
        path, literal = literal, path
    if not isinstance(path, Path):
        raise ParseError("Erstes Argument muss eine Geometrie-Eigenschaft sein")
    resolved = compiler.schema.resolve(path.parts)
    if resolved.kind != "geo" or resolved.geo_model is None:
        raise ParseError(f"{'/'.join(path.parts)} ist keine Geometrie")
    if resolved.many:
        compiler.distinct = True
    other = _literal_geometry(literal)
    predicate = _PREDICATES[node.name]
    column = resolved.field.rsplit("__", 1)[-1]
    ids = []
    rows = resolved.geo_model._default_manager.values_list("pk", column)[:MAX_SCAN]
    for pk, value in rows:
        geometry = _geometry(value)
        if geometry is not None and getattr(geometry, predicate)(other):
            ids.append(pk)
    lookup = f"{resolved.geo_prefix}__pk__in" if resolved.geo_prefix else "pk__in"
    return Q(**{lookup: ids})
