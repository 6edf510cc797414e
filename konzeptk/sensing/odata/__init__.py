"""The SensorThings/OData query language: tokenizer, recursive-descent parser, AST, Django translation.

``parse_filter``/``parse_orderby``/``parse_select``/``parse_expand`` and ``parse_options`` turn the text
of the query options into plain dataclasses (``ast``); ``to_django`` compiles them into Django
expressions against a schema. The parser imports nothing from Django and raises only ``ParseError``.
"""

from konzeptk.sensing.odata.errors import ParseError
from konzeptk.sensing.odata.parser import (
    MAX_LENGTH,
    QueryOptions,
    parse_expand,
    parse_filter,
    parse_options,
    parse_orderby,
    parse_select,
)

__all__ = [
    "MAX_LENGTH",
    "ParseError",
    "QueryOptions",
    "parse_expand",
    "parse_filter",
    "parse_options",
    "parse_orderby",
    "parse_select",
]
