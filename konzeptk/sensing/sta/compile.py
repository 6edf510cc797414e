"""Compile the AST into Django ``Q`` objects and expressions, type-checked against a schema.

Every type error (``name gt 5``), unknown property or unsupported combination is a ``ParseError``
before any SQL runs, so bad input yields a 400 and never a database error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import models
from django.db.models import F, Q, Value
from django.db.models import functions as fn
from django.db.models.expressions import Combinable
from django.db.models.fields.json import KT
from django.db.models.lookups import (
    Contains,
    EndsWith,
    Exact,
    GreaterThan,
    GreaterThanOrEqual,
    LessThan,
    LessThanOrEqual,
    StartsWith,
)
from django.utils import timezone

from konzeptk.sensing.odata.ast import BinOp, Call, Geography, Literal, Negate, Node, Not, Path
from konzeptk.sensing.odata.errors import ParseError, UnsupportedError
from konzeptk.sensing.sta.geo import constant, geo_condition, measure_condition

UTC = dt.UTC


@dataclass(frozen=True)
class Resolved:
    """A property path resolved by the schema into a Django lookup path."""

    field: str  # e.g. "datastream__thing__name"
    kind: str  # string number datetime bool json result geo id
    many: bool = False  # crosses a to-many relation (query needs DISTINCT)
    end_field: str | None = None  # for time intervals: the end column
    geo_model: type[models.Model] | None = None  # for geo: the model holding the GeoJSON column
    geo_prefix: str = ""  # for geo: relation path from the queried model to geo_model


class Schema(Protocol):
    def resolve(self, parts: tuple[str, ...]) -> Resolved: ...


@dataclass
class Typed:
    expr: Any
    kind: str  # string number datetime date time bool json result geo null id
    resolved: Resolved | None = None
    literal: Any = None
    is_literal: bool = False


_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "eq": Exact,
    "gt": GreaterThan,
    "ge": GreaterThanOrEqual,
    "lt": LessThan,
    "le": LessThanOrEqual,
}
_COMPATIBLE = {
    "number": {"number", "id"},
    "id": {"number", "id", "string"},
    "string": {"string", "id"},
    "datetime": {"datetime", "date"},
    "date": {"date", "datetime"},
    "time": {"time"},
    "bool": {"bool"},
}


class Compiler:
    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.distinct = False

    # --- boolean context -------------------------------------------------------------------
    def condition(self, node: Node) -> Q:
        if isinstance(node, BinOp) and node.op in ("and", "or"):
            left, right = self.condition(node.left), self.condition(node.right)
            return left & right if node.op == "and" else left | right
        if isinstance(node, Not):
            return ~self.condition(node.operand)
        if isinstance(node, BinOp) and node.op in ("eq", "ne", "gt", "ge", "lt", "le"):
            return self.compare(node.op, self.value(node.left), self.value(node.right))
        if isinstance(node, Call) and node.name in _BOOLEAN_FUNCTIONS:
            return self.boolean_call(node)
        typed = self.value(node)
        if typed.kind == "bool":
            return Q(Exact(typed.expr, Value(True)))
        if typed.kind == "json" and typed.resolved:
            return Q(**{typed.resolved.field: True})
        raise ParseError("Ausdruck ergibt keinen Wahrheitswert")

    def compare(self, op: str, left: Typed, right: Typed) -> Q:
        if left.is_literal and not right.is_literal:
            flipped = {"gt": "lt", "ge": "le", "lt": "gt", "le": "ge"}.get(op, op)
            return self.compare(flipped, right, left)
        if left.kind == "geomeasure":  # geo.distance/geo.length over a property, evaluated with shapely
            if not right.is_literal:
                raise ParseError(f"{left.literal.name}() lässt sich nur mit einer Zahl vergleichen")
            return measure_condition(self, op, left.literal, right.literal)
        if right.kind == "geomeasure":
            raise ParseError(f"{right.literal.name}() lässt sich nur mit einer Zahl vergleichen")
        if right.kind == "null" or left.kind == "null":
            if op not in ("eq", "ne"):
                raise ParseError("null lässt sich nur mit eq und ne vergleichen")
            if left.resolved is None:
                raise ParseError("null lässt sich nur mit einer Eigenschaft vergleichen")
            fields = [left.resolved.field]
            if left.kind == "result":
                fields = ["result_number", "result_json"]
            q = Q()
            for name in fields:
                q &= Q(**{f"{name}__isnull": True})
            return q if op == "eq" else ~q
        if left.kind in ("result", "json") and left.resolved is not None:
            return self._compare_flexible(op, left, right)
        if left.kind == "geo" or right.kind == "geo":
            raise ParseError("Geometrien lassen sich nur mit geo.*- und st_*-Funktionen vergleichen")
        if right.kind not in _COMPATIBLE.get(left.kind, {left.kind}):
            raise ParseError(f"Typen passen nicht zusammen: {left.kind} {op} {right.kind}")
        lhs, rhs = left.expr, right.expr
        resolved = left.resolved
        if left.kind == "datetime" and right.kind == "date" and right.is_literal:
            rhs = Value(dt.datetime.combine(right.literal, dt.time(), tzinfo=UTC))
        if left.kind in ("datetime",) and resolved is not None and resolved.end_field and op in ("lt", "le"):
            # An interval lies before X when its end does. Writes guarantee start <= end, so start < X (<= X)
            # follows; saying so lets the database use the (datastream, time) index and prune partitions.
            end = fn.Coalesce(F(resolved.end_field), F(resolved.field))
            return Q(_COMPARE[op](end, rhs)) & Q(_COMPARE[op](F(resolved.field), rhs))
        if left.kind == "id" and right.kind == "string":
            if not str(right.literal).isdigit():
                return Q(pk__in=[])
            rhs = Value(int(right.literal))
        if op == "ne":
            return ~Q(Exact(lhs, rhs))
        return Q(_COMPARE[op](lhs, rhs))

    def _compare_flexible(self, op: str, left: Typed, right: Typed) -> Q:
        """``result`` and JSON properties take the type of the value they are compared with."""
        assert left.resolved is not None
        if left.kind == "result":
            if right.kind == "number":
                lhs: Any = F("result_number")
            elif right.is_literal and op in ("eq", "ne"):
                q = Q(result_json=right.literal)
                return q if op == "eq" else ~q
            elif right.kind == "string":
                lhs = KT("result_json")
            else:
                raise ParseError(f"result lässt sich nicht mit {right.kind} vergleichen")
        else:
            field = left.resolved.field
            if right.is_literal and op in ("eq", "ne"):
                q = Q(**{field: right.literal if right.kind != "datetime" else right.literal.isoformat()})
                return q if op == "eq" else ~q
            if right.kind == "number":
                lhs = fn.Cast(KT(field), models.FloatField())
            elif right.kind in ("string", "datetime"):
                lhs = KT(field)
            else:
                raise ParseError(f"Eigenschaft lässt sich nicht mit {right.kind} vergleichen")
        rhs = right.expr
        if right.kind == "datetime" and right.is_literal:
            rhs = Value(right.literal.isoformat())
        if op == "ne":
            return ~Q(Exact(lhs, rhs))
        return Q(_COMPARE[op](lhs, rhs))

    def boolean_call(self, node: Call) -> Q:
        name = node.name
        if name.startswith(("st_", "geo.")):
            return self.geo_call(node)
        a, b = (self.string(arg) for arg in node.args)
        if name == "substringof":
            return Q(Contains(b, a))
        if name == "startswith":
            return Q(StartsWith(a, b))
        return Q(EndsWith(a, b))

    def geo_call(self, node: Call) -> Q:

        return geo_condition(self, node)

    # --- value context ---------------------------------------------------------------------
    def string(self, node: Node) -> Any:
        typed = self.value(node)
        if typed.kind == "json" and typed.resolved is not None:
            return KT(typed.resolved.field)
        if typed.kind == "result":
            return KT("result_json")
        if typed.kind != "string":
            raise ParseError(f"Zeichenkette erwartet, nicht {typed.kind}")
        return typed.expr

    def number(self, node: Node) -> Any:
        typed = self.value(node)
        if typed.kind == "result":
            return F("result_number")
        if typed.kind == "json" and typed.resolved is not None:
            return fn.Cast(KT(typed.resolved.field), models.FloatField())
        if typed.kind not in ("number", "id"):
            raise ParseError(f"Zahl erwartet, nicht {typed.kind}")
        return typed.expr

    def datetime(self, node: Node) -> Any:
        typed = self.value(node)
        if typed.kind not in ("datetime",):
            raise ParseError(f"Zeitpunkt erwartet, nicht {typed.kind}")
        return typed.expr

    def value(self, node: Node) -> Typed:
        if isinstance(node, Literal):
            return _literal(node.value)
        if isinstance(node, Path):
            resolved = self.schema.resolve(node.parts)
            if resolved.many:
                self.distinct = True
            if resolved.kind in ("json", "result", "geo"):
                return Typed(None, resolved.kind, resolved)
            return Typed(F(resolved.field), resolved.kind, resolved)
        if isinstance(node, Negate):
            return Typed(-1 * self.number(node.operand), "number")
        if isinstance(node, BinOp):
            if node.op in ("add", "sub", "mul", "div", "mod"):
                return self.arithmetic(node)
            raise ParseError(f"Wahrheitswert an Stelle eines Werts ({node.op})")
        if isinstance(node, Call):
            return self.call(node)
        if isinstance(node, Geography):
            return Typed(None, "geo", literal=node.wkt, is_literal=True)
        raise ParseError("Wahrheitswert an Stelle eines Werts")

    def arithmetic(self, node: BinOp) -> Typed:
        left, right = self.number(node.left), self.number(node.right)
        if node.op == "mod":
            return Typed(fn.Mod(left, right), "number")
        if node.op == "div":
            expr = fn.Cast(left, models.FloatField()) / fn.NullIf(fn.Cast(right, models.FloatField()), 0.0)
            return Typed(expr, "number")
        expr = {"add": Combinable.__add__, "sub": Combinable.__sub__, "mul": Combinable.__mul__}[node.op](
            _as_combinable(left), _as_combinable(right)
        )
        return Typed(models.ExpressionWrapper(expr, output_field=models.FloatField()), "number")

    def call(self, node: Call) -> Typed:
        name, args = node.name, node.args
        if name in _BOOLEAN_FUNCTIONS:
            raise ParseError(f"{name}() ergibt einen Wahrheitswert, keinen Wert")
        if name == "length":
            return Typed(fn.Length(self.string(args[0])), "number")
        if name == "indexof":
            return Typed(fn.StrIndex(self.string(args[0]), self.string(args[1])) - 1, "number")
        if name == "substring":
            start = self.number(args[1]) + 1
            if len(args) == 3:
                return Typed(fn.Substr(self.string(args[0]), start, self.number(args[2])), "string")
            return Typed(fn.Substr(self.string(args[0]), start), "string")
        if name in ("tolower", "toupper", "trim"):
            func: Any = {"tolower": fn.Lower, "toupper": fn.Upper, "trim": fn.Trim}[name]
            return Typed(func(self.string(args[0])), "string")
        if name == "concat":
            return Typed(fn.Concat(self.string(args[0]), self.string(args[1])), "string")
        if name in _EXTRACT:
            return Typed(_EXTRACT[name](self.datetime(args[0]), tzinfo=UTC), "number")
        if name == "date":
            return Typed(fn.TruncDate(self.datetime(args[0]), tzinfo=UTC), "date")
        if name == "time":
            return Typed(fn.TruncTime(self.datetime(args[0]), tzinfo=UTC), "time")
        if name == "fractionalseconds":
            return Typed(Value(0.0), "number")  # stored with whole-second precision in comparisons
        if name == "totaloffsetminutes":
            self.datetime(args[0])
            return Typed(Value(0), "number")  # all times are stored in UTC
        if name == "now":
            return Typed(Value(timezone.now()), "datetime")
        if name == "mindatetime":
            return Typed(Value(dt.datetime(1, 1, 1, tzinfo=UTC)), "datetime")
        if name == "maxdatetime":
            return Typed(Value(dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)), "datetime")
        if name in ("round", "floor", "ceiling"):
            func2: Any = {"round": fn.Round, "floor": fn.Floor, "ceiling": fn.Ceil}[name]
            return Typed(func2(self.number(args[0])), "number")
        if name in ("geo.distance", "geo.length"):
            number = constant(node)
            if number is None:  # a property among the arguments: only in a comparison (compare())
                return Typed(None, "geomeasure", literal=node)
            return Typed(Value(number, models.FloatField()), "number", literal=number, is_literal=True)
        raise UnsupportedError(f"Funktion {name}() wird nicht unterstützt")

    def order_expression(self, node: Node) -> Any:
        typed = self.value(node)
        if typed.kind == "result":
            return F("result_number")
        if typed.kind == "json" and typed.resolved is not None:
            return KT(typed.resolved.field)
        if typed.kind in ("geo", "geomeasure"):
            raise ParseError("Nach Geometrien lässt sich nicht sortieren")
        if typed.is_literal:
            raise ParseError("$orderby braucht eine Eigenschaft")
        return typed.expr


_BOOLEAN_FUNCTIONS = {
    "substringof",
    "startswith",
    "endswith",
    "geo.intersects",
    "st_equals",
    "st_disjoint",
    "st_touches",
    "st_within",
    "st_overlaps",
    "st_crosses",
    "st_intersects",
    "st_contains",
    "st_relate",
}
_EXTRACT: dict[str, Any] = {
    "year": fn.ExtractYear,
    "month": fn.ExtractMonth,
    "day": fn.ExtractDay,
    "hour": fn.ExtractHour,
    "minute": fn.ExtractMinute,
    "second": fn.ExtractSecond,
}


def _as_combinable(expr: Any) -> Any:
    return expr if isinstance(expr, Combinable) else Value(expr)


def _literal(value: Any) -> Typed:
    if value is None:
        return Typed(Value(None), "null", literal=None, is_literal=True)
    if isinstance(value, bool):
        return Typed(Value(value, models.BooleanField()), "bool", literal=value, is_literal=True)
    if isinstance(value, int):
        if abs(value) > 2**63 - 1:
            raise ParseError("Zahl außerhalb des Wertebereichs")
        return Typed(Value(value, models.BigIntegerField()), "number", literal=value, is_literal=True)
    if isinstance(value, float):
        return Typed(Value(value, models.FloatField()), "number", literal=value, is_literal=True)
    if isinstance(value, str):
        return Typed(Value(value, models.CharField()), "string", literal=value, is_literal=True)
    if isinstance(value, dt.datetime):
        return Typed(Value(value, models.DateTimeField()), "datetime", literal=value, is_literal=True)
    if isinstance(value, dt.date):
        return Typed(Value(value, models.DateField()), "date", literal=value, is_literal=True)
    return Typed(Value(value, models.TimeField()), "time", literal=value, is_literal=True)


def compile_filter(node: Node, schema: Schema) -> tuple[Q, bool]:
    """Return the condition and whether the query needs DISTINCT (to-many paths)."""
    compiler = Compiler(schema)
    q = compiler.condition(node)
    return q, compiler.distinct


def compile_orderby(nodes: list[tuple[Node, bool]], schema: Schema) -> list[Any]:
    compiler = Compiler(schema)
    result = []
    for node, descending in nodes:
        expr = compiler.order_expression(node)
        if not hasattr(expr, "asc"):
            expr = Value(expr)
        result.append(expr.desc() if descending else expr.asc())
    if compiler.distinct:
        raise ParseError("$orderby über eine Liste von Entitäten ist nicht eindeutig")
    return result
