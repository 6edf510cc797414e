"""Recursive-descent parser of the SensorThings 1.1 query options.

Grammar of ``$filter`` (lowest precedence first)::

    expr       := or
    or         := and ("or" and)*
    and        := not ("and" not)*
    not        := "not" not | comparison
    comparison := additive (("eq"|"ne"|"gt"|"ge"|"lt"|"le") additive)?
    additive   := multiplicative (("add"|"sub") multiplicative)*
    multiplicative := unary (("mul"|"div"|"mod") unary)*
    unary      := "-" unary | primary
    primary    := literal | "(" expr ")" | NAME "(" [expr ("," expr)*] ")" | PATH

``$orderby`` is ``expr ["asc"|"desc"] ("," ...)*``, ``$select`` a comma list of names,
``$expand`` a comma list of ``Path[/Path...][(option=value;...)]`` with nested options.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from konzeptk.sensing.odata.ast import (
    ARITHMETIC_OPS,
    COMPARISON_OPS,
    BinOp,
    Call,
    Geography,
    Literal,
    Negate,
    Node,
    Not,
    Path,
)
from konzeptk.sensing.odata.errors import ParseError
from konzeptk.sensing.odata.tokens import Token, tokenize

MAX_LENGTH = 10_000  # characters per query option; longer input is refused before tokenizing
MAX_DEPTH = 64  # nesting of parentheses / operators (an arithmetic chain counts per operator)
MAX_TERMS = 400  # and/or operands in one expression (each one is a level of the compiled tree)
MAX_EXPAND_DEPTH = 6
MAX_TOP = 10_000
MAX_SKIP = 1_000_000  # beyond this, $skiptoken (observations) or a narrower $filter

# Function name → allowed argument counts (STA 1.1 Table 23 and geospatial functions).
FUNCTIONS: dict[str, tuple[int, ...]] = {
    "substringof": (2,),
    "endswith": (2,),
    "startswith": (2,),
    "length": (1,),
    "indexof": (2,),
    "substring": (2, 3),
    "tolower": (1,),
    "toupper": (1,),
    "trim": (1,),
    "concat": (2,),
    "year": (1,),
    "month": (1,),
    "day": (1,),
    "hour": (1,),
    "minute": (1,),
    "second": (1,),
    "fractionalseconds": (1,),
    "date": (1,),
    "time": (1,),
    "totaloffsetminutes": (1,),
    "now": (0,),
    "mindatetime": (0,),
    "maxdatetime": (0,),
    "round": (1,),
    "floor": (1,),
    "ceiling": (1,),
    "geo.distance": (2,),
    "geo.length": (1,),
    "geo.intersects": (2,),
    "st_equals": (2,),
    "st_disjoint": (2,),
    "st_touches": (2,),
    "st_within": (2,),
    "st_overlaps": (2,),
    "st_crosses": (2,),
    "st_intersects": (2,),
    "st_contains": (2,),
    "st_relate": (3,),
}
KEYWORDS = {*COMPARISON_OPS, *ARITHMETIC_OPS, "and", "or", "not", "asc", "desc"}


def _check_length(text: str, option: str) -> None:
    if len(text) > MAX_LENGTH:
        raise ParseError(f"{option} ist zu lang ({len(text)} Zeichen, höchstens {MAX_LENGTH})")


class _ExprParser:
    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.index = 0
        self.depth = 0
        self.terms = 0

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        if token.kind != "end":
            self.index += 1
        return token

    def at_keyword(self, *words: str) -> bool:
        tok = self.current
        return tok.kind == "name" and tok.text in words

    def expect(self, kind: str, what: str) -> Token:
        tok = self.current
        if tok.kind != kind:
            found = tok.text or "Ende der Eingabe"
            raise ParseError(f"{what} erwartet, gefunden: {found!r}", tok.position)
        return self.advance()

    def _enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ParseError(f"Ausdruck ist zu tief verschachtelt (höchstens {MAX_DEPTH} Ebenen)")

    def expression(self) -> Node:
        self._enter()
        try:
            return self.or_expr()
        finally:
            self.depth -= 1

    def _term(self) -> None:
        self.terms += 1
        if self.terms > MAX_TERMS:
            raise ParseError(f"Ausdruck hat zu viele mit and/or verknüpfte Teile (höchstens {MAX_TERMS})")

    def or_expr(self) -> Node:
        node = self.and_expr()
        while self.at_keyword("or"):
            self.advance()
            self._term()
            node = BinOp("or", node, self.and_expr())
        return node

    def and_expr(self) -> Node:
        node = self.not_expr()
        while self.at_keyword("and"):
            self.advance()
            self._term()
            node = BinOp("and", node, self.not_expr())
        return node

    def not_expr(self) -> Node:
        if self.at_keyword("not"):
            self.advance()
            self._enter()
            try:
                return Not(self.not_expr())
            finally:
                self.depth -= 1
        return self.comparison()

    def comparison(self) -> Node:
        node = self.additive()
        if self.at_keyword(*COMPARISON_OPS):
            op = self.advance().text
            node = BinOp(op, node, self.additive())
            if self.at_keyword(*COMPARISON_OPS):
                raise ParseError("Vergleiche lassen sich nicht verketten", self.current.position)
        return node

    def additive(self) -> Node:
        node = self.multiplicative()
        entered = 0
        try:
            while self.at_keyword("add", "sub"):
                op = self.advance().text
                self._enter()  # a left-deep chain is as deep for the compiler as nesting
                entered += 1
                node = BinOp(op, node, self.multiplicative())
        finally:
            self.depth -= entered
        return node

    def multiplicative(self) -> Node:
        node = self.unary()
        entered = 0
        try:
            while self.at_keyword("mul", "div", "mod"):
                op = self.advance().text
                self._enter()
                entered += 1
                node = BinOp(op, node, self.unary())
        finally:
            self.depth -= entered
        return node

    def unary(self) -> Node:
        if self.current.kind == "minus":
            self.advance()
            self._enter()
            try:
                return Negate(self.unary())
            finally:
                self.depth -= 1
        return self.primary()

    def primary(self) -> Node:
        tok = self.current
        if tok.kind == "lparen":
            self.advance()
            node = self.expression()
            self.expect("rparen", "')'")
            return node
        if tok.kind == "number":
            self.advance()
            return Literal(_number(tok))
        if tok.kind == "string":
            self.advance()
            return Literal(tok.text[1:-1].replace("''", "'"))
        if tok.kind == "datetime":
            self.advance()
            return Literal(_datetime(tok))
        if tok.kind == "date":
            self.advance()
            try:
                return Literal(dt.date.fromisoformat(tok.text))
            except ValueError:
                raise ParseError(f"Ungültiges Datum {tok.text!r}", tok.position) from None
        if tok.kind == "time":
            self.advance()
            try:
                return Literal(dt.time.fromisoformat(tok.text))
            except ValueError:
                raise ParseError(f"Ungültige Uhrzeit {tok.text!r}", tok.position) from None
        if tok.kind == "geography":
            self.advance()
            return Geography(tok.text)
        if tok.kind == "name":
            return self.name_or_call()
        found = tok.text or "Ende der Eingabe"
        raise ParseError(f"Wert, Eigenschaft oder '(' erwartet, gefunden: {found!r}", tok.position)

    def name_or_call(self) -> Node:
        tok = self.advance()
        text = tok.text
        if self.current.kind == "lparen":
            name = text.lower()
            if name not in FUNCTIONS:
                raise ParseError(f"Unbekannte Funktion {text!r}", tok.position)
            self.advance()
            args: list[Node] = []
            if self.current.kind != "rparen":
                args.append(self.expression())
                while self.current.kind == "comma":
                    self.advance()
                    args.append(self.expression())
            self.expect("rparen", "')'")
            if len(args) not in FUNCTIONS[name]:
                raise ParseError(f"Falsche Zahl von Argumenten für {name}()", tok.position)
            return Call(name, tuple(args))
        if text in ("true", "false"):
            return Literal(text == "true")
        if text == "null":
            return Literal(None)
        if text in KEYWORDS:
            raise ParseError(f"Operator {text!r} an dieser Stelle nicht erwartet", tok.position)
        return Path(tuple(text.split("/")))


def _number(tok: Token) -> int | float:
    text = tok.text
    if any(c in text for c in ".eE"):
        value = float(text)
        if value in (float("inf"), float("-inf")):
            raise ParseError(f"Zahl außerhalb des Wertebereichs: {text!r}", tok.position)
        return value
    if len(text) > 20 or abs(int(text)) > 2**63 - 1:
        raise ParseError(f"Zahl außerhalb des Wertebereichs: {text[:30]!r}", tok.position)
    return int(text)


def _datetime(tok: Token) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(tok.text)
    except ValueError:
        raise ParseError(f"Ungültiger Zeitpunkt {tok.text!r}", tok.position) from None


def parse_filter(text: str) -> Node:
    _check_length(text, "$filter")
    parser = _ExprParser(text)
    node = parser.expression()
    if parser.current.kind != "end":
        raise ParseError(f"Unerwartet: {parser.current.text!r}", parser.current.position)
    return node


@dataclass(frozen=True)
class OrderBy:
    expr: Node
    descending: bool = False


def parse_orderby(text: str) -> list[OrderBy]:
    _check_length(text, "$orderby")
    parser = _ExprParser(text)
    result: list[OrderBy] = []
    while True:
        expr = parser.expression()
        descending = False
        if parser.current.kind == "name" and parser.current.text.lower() in ("asc", "desc"):
            descending = parser.advance().text.lower() == "desc"
        result.append(OrderBy(expr, descending))
        if parser.current.kind == "comma":
            parser.advance()
            continue
        if parser.current.kind != "end":
            raise ParseError(
                f"',' oder Ende erwartet, gefunden: {parser.current.text!r}", parser.current.position
            )
        return result


def parse_select(text: str) -> list[str]:
    _check_length(text, "$select")
    names = [part.strip() for part in text.split(",")]
    for name in names:
        if not name or not all(c.isalnum() or c in "_@./" for c in name):
            raise ParseError(f"Ungültiger Name in $select: {name!r}")
    return names


@dataclass
class ExpandItem:
    path: str  # one navigation property; "A/B" is stored as A with a nested expand of B
    options: QueryOptions


@dataclass
class QueryOptions:
    filter: Node | None = None
    orderby: list[OrderBy] = field(default_factory=list)
    select: list[str] | None = None
    expand: list[ExpandItem] = field(default_factory=list)
    top: int | None = None
    skip: int = 0
    count: bool = False
    result_format: str | None = None


def _split_top_level(text: str, separator: str) -> list[str]:
    """Split at ``separator`` outside parentheses and quotes."""
    parts: list[str] = []
    depth = 0
    in_string = False
    start = 0
    for i, char in enumerate(text):
        if char == "'":
            in_string = not in_string
        elif in_string:
            continue
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                raise ParseError("')' ohne passende '('", i)
        elif char == separator and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    if depth != 0 or in_string:
        raise ParseError("Klammern oder Anführungszeichen nicht geschlossen")
    parts.append(text[start:])
    return parts


def parse_expand(text: str, _depth: int = 0) -> list[ExpandItem]:
    _check_length(text, "$expand")
    if _depth > MAX_EXPAND_DEPTH:
        raise ParseError(f"$expand ist zu tief verschachtelt (höchstens {MAX_EXPAND_DEPTH} Ebenen)")
    items: list[ExpandItem] = []
    for raw in _split_top_level(text, ","):
        raw = raw.strip()
        if not raw:
            raise ParseError("Leerer Eintrag in $expand")
        options_text = ""
        if "(" in raw:
            head, _, rest = raw.partition("(")
            if not rest.endswith(")"):
                raise ParseError(f"Eintrag in $expand endet nicht mit ')': {raw[:50]!r}")
            options_text = rest[:-1]
            raw = head.strip()
        segments = raw.split("/")
        for segment in segments:
            if not segment.isidentifier():
                raise ParseError(f"Ungültiger Name in $expand: {segment[:50]!r}")
        if len(segments) + _depth > MAX_EXPAND_DEPTH + 1:
            raise ParseError(f"$expand ist zu tief verschachtelt (höchstens {MAX_EXPAND_DEPTH} Ebenen)")
        options = (
            _parse_nested_options(options_text, _depth + len(segments)) if options_text else QueryOptions()
        )
        # A/B/C(opts) → A($expand=B($expand=C(opts)))
        item = ExpandItem(segments[-1], options)
        for segment in reversed(segments[:-1]):
            item = ExpandItem(segment, QueryOptions(expand=[item]))
        _merge_expand(items, item)
    return items


def _merge_expand(items: list[ExpandItem], new: ExpandItem) -> None:
    for existing in items:
        if existing.path == new.path:
            for child in new.options.expand:
                _merge_expand(existing.options.expand, child)
            return
    items.append(new)


def _parse_nested_options(text: str, depth: int) -> QueryOptions:
    pairs: dict[str, str] = {}
    for part in _split_top_level(text, ";"):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        if not sep:
            raise ParseError(f"Option ohne '=' in $expand: {part[:50]!r}")
        pairs[key.strip()] = value
    return parse_options(pairs, _depth=depth)


OPTION_NAMES = {"$filter", "$orderby", "$select", "$expand", "$top", "$skip", "$count", "$resultFormat"}


def _int_option(name: str, value: str, maximum: int | None = None) -> int:
    value = value.strip()
    if not value.isdigit() or len(value) > 12:
        raise ParseError(f"{name} muss eine nicht-negative ganze Zahl sein, nicht {value[:30]!r}")
    number = int(value)
    return min(number, maximum) if maximum is not None else number


def parse_options(params: dict[str, str], *, _depth: int = 0) -> QueryOptions:
    """Parse the query options of one request (or one ``$expand`` item) into ``QueryOptions``."""
    options = QueryOptions()
    for name, value in params.items():
        if not name.startswith("$"):
            continue
        if name not in OPTION_NAMES:
            raise ParseError(f"Unbekannte Abfrageoption {name[:40]!r}")
        if name == "$filter":
            options.filter = parse_filter(value)
        elif name == "$orderby":
            options.orderby = parse_orderby(value)
        elif name == "$select":
            options.select = parse_select(value)
        elif name == "$expand":
            options.expand = parse_expand(value, _depth)
        elif name == "$top":
            options.top = _int_option(name, value, MAX_TOP)
        elif name == "$skip":
            options.skip = _int_option(name, value)
            if options.skip > MAX_SKIP:
                raise ParseError(f"$skip darf höchstens {MAX_SKIP} sein; bitte den Filter eingrenzen")
        elif name == "$count":
            if value not in ("true", "false"):
                raise ParseError("$count muss true oder false sein")
            options.count = value == "true"
        elif name == "$resultFormat":
            if value != "dataArray":
                raise ParseError("$resultFormat kennt nur dataArray")
            options.result_format = value
    return options
