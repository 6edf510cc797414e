"""Geospatial functions without a spatial database (18-088 §9.3.3.5.2, Table 23): evaluated with shapely over
the (small) tables that hold geometries (Locations, FeaturesOfInterest, Datastreams' observedArea) and turned
into ``pk__in``, so the rest of the query – order, ``$top``, ``$skiptoken``, ``$count`` – stays in SQL and pages
correctly. The same code runs on SQLite and PostgreSQL; PostGIS is not used.

- ``geo.intersects`` and ``st_equals/disjoint/touches/within/overlaps/crosses/intersects/contains``: shapely's
  predicates; ``st_relate(g1, g2, 'T*F**F***')``: the DE-9IM pattern with ``relate_pattern``.
- ``geo.distance(g1, g2)`` and ``geo.length(g)`` compared with a number (``geo.distance(location,
  geography'POINT(6.56 51.33)') lt 0.01``): planar, in the units of the coordinates (degrees for WGS 84), as
  PostGIS computes them on a ``geometry``. With literals only they are constants.
"""

from __future__ import annotations

import json
import math
import operator
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL
from shapely import wkt as shapely_wkt
from shapely.errors import ShapelyError
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from konzeptk.sensing.odata.ast import Call, Geography, Literal, Node, Path
from konzeptk.sensing.odata.errors import ParseError, UnsupportedError

if TYPE_CHECKING:
    from konzeptk.sensing.sta.compile import Compiler, Resolved

MAX_SCAN = 50_000  # geometries scanned per geo condition; beyond that the condition is refused (501)
MAX_INLINE_IDS = 500  # more matching ids go to the database as one array parameter

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
_DE9IM = re.compile(r"^[TF*012]{9}$")
_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "gt": operator.gt,
    "ge": operator.ge,
    "lt": operator.lt,
    "le": operator.le,
}
_FLIPPED = {"gt": "lt", "ge": "le", "lt": "gt", "le": "ge", "eq": "eq", "ne": "ne"}


def _literal_geometry(node: Any) -> BaseGeometry:
    if not isinstance(node, Geography):
        raise ParseError("Zweites Argument muss ein geography'…'-Literal sein")
    try:
        geometry = shapely_wkt.loads(node.wkt)
    except (ShapelyError, ValueError, TypeError, AttributeError):
        raise ParseError(f"Ungültige Geometrie {node.wkt[:60]!r}") from None
    if geometry is None or geometry.is_empty:
        raise ParseError(f"Ungültige Geometrie {node.wkt[:60]!r}")
    return geometry


def _geometry(value: Any) -> BaseGeometry | None:
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    try:
        return shape(value) if isinstance(value, dict) else None
    except (ShapelyError, ValueError, TypeError, KeyError, AttributeError, IndexError):
        return None


def _resolve(compiler: Compiler, path: Node) -> Resolved:
    if not isinstance(path, Path):
        raise ParseError("Ein Argument muss eine Geometrie-Eigenschaft sein")
    resolved = compiler.schema.resolve(path.parts)
    if resolved.kind != "geo" or resolved.geo_model is None:
        raise ParseError(f"{'/'.join(path.parts)} ist keine Geometrie")
    if resolved.many:
        compiler.distinct = True
    return resolved


def _matching(resolved: Resolved, test: Callable[[BaseGeometry], bool]) -> Q:
    """``pk__in`` of the rows whose geometry passes ``test``."""
    assert resolved.geo_model is not None
    column = resolved.field.rsplit("__", 1)[-1]
    rows = resolved.geo_model._default_manager.exclude(**{f"{column}__isnull": True})
    ids = []
    pairs = rows.values_list("pk", column).order_by("pk")[: MAX_SCAN + 1].iterator()
    for scanned, (pk, value) in enumerate(pairs, start=1):
        if scanned > MAX_SCAN:  # an incomplete answer would be wrong without notice
            raise UnsupportedError(
                f"Räumliche Funktionen werden über höchstens {MAX_SCAN} Geometrien ausgewertet; "
                "diese Tabelle hat mehr."
            )
        geometry = _geometry(value)
        if geometry is not None and not geometry.is_empty and test(geometry):
            ids.append(pk)
    lookup = f"{resolved.geo_prefix}__pk__in" if resolved.geo_prefix else "pk__in"
    return Q(**{lookup: _id_list(ids)})


def _id_list(ids: list[int]) -> Any:
    """The ids for ``IN``: a short list as parameters, a long one as one parameter (SQLite allows 32,766
    parameters per statement; PostgreSQL 65,535) – ``json_each`` on SQLite, ``unnest`` of an array on PostgreSQL."""
    if len(ids) <= MAX_INLINE_IDS:
        return ids
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", (ids,))
    return RawSQL("SELECT value FROM json_each(%s)", (json.dumps(ids),))


def geo_condition(compiler: Compiler, node: Call) -> Q:
    """A boolean spatial function (``geo.intersects``, ``st_*``)."""
    path, literal = node.args[0], node.args[1]
    if isinstance(path, Geography) and isinstance(literal, Path):
        path, literal = literal, path
    resolved = _resolve(compiler, path)
    other = _literal_geometry(literal)
    if node.name == "st_relate":
        pattern = node.args[2]
        if not isinstance(pattern, Literal) or not isinstance(pattern.value, str):
            raise ParseError("st_relate braucht als drittes Argument ein DE-9IM-Muster wie 'T*F**F***'")
        matrix = pattern.value.upper()
        if not _DE9IM.match(matrix):
            raise ParseError(
                f"Ungültiges DE-9IM-Muster {pattern.value[:20]!r} (9 Zeichen aus T, F, *, 0, 1, 2)"
            )
        return _matching(resolved, lambda geometry: bool(geometry.relate_pattern(other, matrix)))
    predicate = _PREDICATES[node.name]
    return _matching(resolved, lambda geometry: bool(getattr(geometry, predicate)(other)))


def _measure(name: str, first: BaseGeometry, second: BaseGeometry | None) -> float:
    if name == "geo.length":
        return float(first.length)
    assert second is not None
    return float(first.distance(second))


def constant(node: Call) -> float | None:
    """``geo.distance``/``geo.length`` of literals only: a number; None when a property is involved."""
    if not all(isinstance(arg, Geography) for arg in node.args):
        for arg in node.args:
            if not isinstance(arg, Geography | Path):
                raise ParseError(f"{node.name}() nimmt Geometrie-Eigenschaften und geography'…'-Literale")
        return None
    geometries = [_literal_geometry(arg) for arg in node.args]
    return _measure(node.name, geometries[0], geometries[1] if len(geometries) > 1 else None)


def measure_condition(compiler: Compiler, op: str, node: Call, number: Any, flipped: bool = False) -> Q:
    """``geo.distance(…) op number`` / ``geo.length(…) op number`` with a property among the arguments."""
    if isinstance(number, bool) or not isinstance(number, int | float) or not math.isfinite(number):
        raise ParseError(f"{node.name}() lässt sich nur mit einer Zahl vergleichen")
    if flipped:
        op = _FLIPPED[op]
    compare = _COMPARE[op]
    value = float(number)
    if node.name == "geo.length":
        resolved = _resolve(compiler, node.args[0])
        return _matching(resolved, lambda geometry: compare(float(geometry.length), value))
    path, literal = node.args
    if isinstance(path, Geography):
        path, literal = literal, path
    if isinstance(literal, Path):
        raise ParseError(
            "geo.distance() vergleicht eine Geometrie-Eigenschaft mit einem geography'…'-Literal"
        )
    resolved = _resolve(compiler, path)
    other = _literal_geometry(literal)
    return _matching(resolved, lambda geometry: compare(float(geometry.distance(other)), value))
