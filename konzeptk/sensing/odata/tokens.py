"""Tokenizer of the query language: a single compiled regular expression, scanned left to right."""

from __future__ import annotations

import re
from dataclasses import dataclass

from konzeptk.sensing.odata.errors import ParseError

# Order matters: datetimes and dates before numbers, geography before names.
_TOKEN_RE = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<datetime>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))
  | (?P<date>\d{4}-\d{2}-\d{2}(?![\d:T]))
  | (?P<time>\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?)
  | (?P<number>-?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?)
  | (?P<geography>geography'(?P<wkt>[^']*)')
  | (?P<string>'(?:[^']|'')*')
  | (?P<name>[A-Za-z_@][A-Za-z0-9_.@]*(?:/[A-Za-z_@][A-Za-z0-9_.@]*)*)
  | (?P<lparen>\()
  | (?P<rparen>\))
  | (?P<comma>,)
  | (?P<minus>-)
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class Token:
    kind: str  # datetime date time number geography string name lparen rparen comma minus end
    text: str
    position: int


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    position = 0
    length = len(text)
    while position < length:
        match = _TOKEN_RE.match(text, position)
        if match is None:
            raise ParseError(f"Unerwartetes Zeichen {text[position]!r}", position)
        kind = match.lastgroup or ""
        if kind == "wkt":  # the inner group of geography
            kind = "geography"
        if kind != "ws":
            value = match.group("wkt") if kind == "geography" else match.group(0)
            tokens.append(Token(kind, value, position))
        position = match.end()
    tokens.append(Token("end", "", length))
    return tokens
