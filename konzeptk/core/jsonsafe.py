"""JSON from strangers: nesting depth is checked before parsing.

Python's parser recurses once per ``[`` or ``{``; a body of 100,000 ``[`` ends in a RecursionError
(an HTTP 500) instead of a clear refusal. :func:`loads` counts the depth first, outside strings,
in one pass of C-speed regular expressions, and refuses deeper documents with :class:`JsonTooDeep`
(a ValueError, like every other invalid JSON).
"""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Any

MAX_DEPTH = 32

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(rb"[^\[\]{}]+")
_OPEN = frozenset(b"[{")


class JsonTooDeep(ValueError):
    def __init__(self, max_depth: int) -> None:
        self.max_depth = max_depth
        super().__init__(f"JSON is nested deeper than {max_depth} levels")


def depth(data: str | bytes) -> int:
    """The deepest nesting of arrays and objects in ``data`` (strings are skipped)."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else bytes(data)
    brackets = _NOT_BRACKET.sub(b"", _STRING.sub(b"", raw))
    if not brackets:
        return 0
    return max(0, max(accumulate(1 if byte in _OPEN else -1 for byte in brackets)))


def check_depth(data: str | bytes, max_depth: int = MAX_DEPTH) -> None:
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else bytes(data)
    if raw.count(b"[") + raw.count(b"{") <= max_depth:
        return  # cannot be deeper than it has brackets (every small body)
    if depth(raw) > max_depth:
        raise JsonTooDeep(max_depth)


def loads(data: str | bytes, *, max_depth: int = MAX_DEPTH, **kwargs: Any) -> Any:
    """``json.loads`` that refuses documents nested deeper than ``max_depth`` with JsonTooDeep."""
    check_depth(data, max_depth)
    return json.loads(data, **kwargs)
