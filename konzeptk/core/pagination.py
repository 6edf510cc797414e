"""Bounded paging and bounded numbers for every list route of /api/v1/.

An unbounded ``offset`` (``9223372036854775808``) or id (``99999999999999999999999``) reached the
database as a number it cannot hold and ended in an HTTP 500. Here every list route pages with
:class:`Pagination` (``limit`` 1 to ``MAX_LIMIT``, ``offset`` 0 to ``MAX_OFFSET``) and every id in
a path or query is an :data:`ObjectId`; anything outside is refused with a 400 and a JSON error
before a query runs. Beyond ``MAX_OFFSET`` a client narrows its filter instead of paging on.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

# The platform's page size limit (settings), never more than 1000.
MAX_LIMIT = min(int(getattr(settings, "NINJA_PAGINATION_MAX_LIMIT", 1000)), 1000)
MAX_OFFSET = 1_000_000
DEFAULT_LIMIT = int(getattr(settings, "NINJA_PAGINATION_PER_PAGE", 50))
# Largest id a database column holds (64-bit signed, as BigAutoField and SQLite's INTEGER).
MAX_ID = 2**63 - 1

ObjectId = Annotated[int, Field(ge=1, le=MAX_ID, description="Kennung (ID), eine positive ganze Zahl")]
Limit = Annotated[int, Field(ge=1, le=MAX_LIMIT, description=f"Höchstzahl der Einträge (1 bis {MAX_LIMIT})")]
Offset = Annotated[
    int, Field(ge=0, le=MAX_OFFSET, description=f"Zahl der übersprungenen Einträge (0 bis {MAX_OFFSET})")
]


class Pagination(LimitOffsetPagination):
    """``limit``/``offset`` paging with both bounded; the answer is ``{"items": [...], "count": n}``."""

    class Input(Schema):
        limit: int = Field(
            min(DEFAULT_LIMIT, MAX_LIMIT),
            ge=1,
            le=MAX_LIMIT,
            description=f"Höchstzahl der Einträge (1 bis {MAX_LIMIT})",
        )
        offset: int = Field(
            0, ge=0, le=MAX_OFFSET, description=f"Zahl der übersprungenen Einträge (0 bis {MAX_OFFSET})"
        )

    def __init__(self, max_limit: int = MAX_LIMIT, **kwargs: Any) -> None:
        super().__init__(max_limit=min(max_limit, MAX_LIMIT), **kwargs)
