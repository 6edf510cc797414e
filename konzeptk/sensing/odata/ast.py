"""The syntax tree of a ``$filter``/``$orderby`` expression: small frozen dataclasses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

LiteralValue = str | int | float | bool | None | dt.datetime | dt.date | dt.time


@dataclass(frozen=True)
class Literal:
    value: LiteralValue


@dataclass(frozen=True)
class Geography:
    """A ``geography'POINT(7.5 51.3)'`` literal; ``wkt`` is the text inside the quotes."""

    wkt: str


@dataclass(frozen=True)
class Path:
    """A property path such as ``Datastream/Thing/name`` or ``properties/owner``."""

    parts: tuple[str, ...]


@dataclass(frozen=True)
class BinOp:
    op: str  # eq ne gt ge lt le and or add sub mul div mod
    left: Node
    right: Node


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class Negate:
    operand: Node


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Node, ...]


Node = Literal | Geography | Path | BinOp | Not | Negate | Call

COMPARISON_OPS = ("eq", "ne", "gt", "ge", "lt", "le")
LOGICAL_OPS = ("and", "or")
ARITHMETIC_OPS = ("add", "sub", "mul", "div", "mod")


def unparse(node: Node) -> str:
    """Write the node back as filter text (fully parenthesised); parse(unparse(n)) == n."""
    if isinstance(node, Literal):
        v = node.value
        if v is None:
            return "null"
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, str):
            return "'" + v.replace("'", "''") + "'"
        if isinstance(v, dt.datetime):
            return v.isoformat().replace("+00:00", "Z")
        if isinstance(v, dt.date | dt.time):
            return v.isoformat()
        return repr(v)
    if isinstance(node, Geography):
        return "geography'" + node.wkt + "'"
    if isinstance(node, Path):
        return "/".join(node.parts)
    if isinstance(node, BinOp):
        return f"({unparse(node.left)} {node.op} {unparse(node.right)})"
    if isinstance(node, Not):
        return f"not ({unparse(node.operand)})"
    if isinstance(node, Negate):
        return f"-({unparse(node.operand)})"
    return node.name + "(" + ", ".join(unparse(a) for a in node.args) + ")"
