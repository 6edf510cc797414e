"""Server-driven paging of the SensorThings collections: the order, keyset pages, nextLinks and ``$count``.

- Every collection without ``$orderby`` has a default order that an index serves: Observations
  (phenomenonTime, id) on the b-tree ``sensing_obs_time_id`` (or (datastream, time) below a Datastream), all
  other entities their id. Ordered by that key – or by ``id`` or, for Observations, ``phenomenonTime`` alone,
  ascending or descending – the nextLink carries a ``$skiptoken`` with the last row's key, so the next page
  starts where the index says, and page 10 costs what page 1 costs. Any other ``$orderby`` pages by ``$skip``.
- A nextLink keeps the request's ``$filter``, ``$orderby``, ``$select`` and ``$expand``; the nextLink of an
  expanded collection (``Datastreams(1)/Observations?…``) is built from the ``$expand`` item's own options.
- ``$count`` counts exactly, or – with ``KONZEPTK_STA_COUNT_MODE=estimate`` on PostgreSQL – exactly up to
  ``KONZEPTK_STA_COUNT_ESTIMATE_THRESHOLD`` rows and the planner's estimate beyond.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db import connections, models
from django.db.models import Q

from konzeptk.core import jsonsafe
from konzeptk.sensing.odata import ParseError, QueryOptions
from konzeptk.sensing.odata.ast import unparse
from konzeptk.sensing.odata.parser import ExpandItem
from konzeptk.sensing.sta.compile import compile_orderby
from konzeptk.sensing.sta.schema import OBSERVATION, EntityType
from konzeptk.sensing.timeutil import parse_instant

Keyset = tuple[str, bool]  # (model field of the sort key, descending)


def keyset_field(entity: EntityType, options: QueryOptions) -> Keyset | None:
    """The key a collection in this order is paged by, or None (then it pages by ``$skip``)."""
    if not options.orderby:
        return ("phenomenon_time_start", False) if entity is OBSERVATION else ("pk", False)
    if len(options.orderby) == 1:
        parts = getattr(options.orderby[0].expr, "parts", None)
        descending = options.orderby[0].descending
        if parts in (("id",), ("@iot.id",)):
            return ("pk", descending)
        if entity is OBSERVATION and parts == ("phenomenonTime",):
            return ("phenomenon_time_start", descending)
    return None


def ordering(entity: EntityType, options: QueryOptions) -> list[Any]:
    """ORDER BY of a collection: the keyset key and id, or the compiled ``$orderby`` with id last."""
    keyset = keyset_field(entity, options)
    if keyset is not None:
        field, descending = keyset
        sign = "-" if descending else ""
        return [f"{sign}pk"] if field == "pk" else [f"{sign}{field}", f"{sign}pk"]
    order = compile_orderby([(o.expr, o.descending) for o in options.orderby], entity.resolver())
    order.append("-pk" if options.orderby[-1].descending else "pk")
    return order


def after_token(qs: models.QuerySet[Any], keyset: Keyset, token: str) -> models.QuerySet[Any]:
    """Rows after the one the token names. Written as ``key >= v AND (key > v OR id > pk)``: the first part is
    an index range (and prunes partitions), the second only breaks ties on ``v``."""
    field, descending = keyset
    value, pk = decode_skiptoken(token)
    op, op_eq = ("lt", "lte") if descending else ("gt", "gte")
    if field == "pk":
        return qs.filter(**{f"pk__{op}": pk})
    instant = parse_instant(value) if isinstance(value, str) else None
    if instant is None:
        raise ParseError("$skiptoken ist ungültig")
    return qs.filter(
        Q(**{f"{field}__{op_eq}": instant}) & (Q(**{f"{field}__{op}": instant}) | Q(**{f"pk__{op}": pk}))
    )


def decode_skiptoken(token: str) -> tuple[Any, int]:
    try:
        # a token is [value, id]: one level of nesting; anything deeper is refused before parsing
        value, pk = jsonsafe.loads(base64.urlsafe_b64decode(token.encode() + b"==").decode(), max_depth=1)
        if not isinstance(pk, int) or isinstance(pk, bool) or not 0 < pk < 2**63:
            raise ValueError
        if not isinstance(value, int | str) or isinstance(value, bool):
            raise ValueError
        return value, pk
    except (ValueError, TypeError, UnicodeDecodeError):
        raise ParseError("$skiptoken ist ungültig") from None


def encode_skiptoken(value: Any, pk: int) -> str:
    if isinstance(value, dt.datetime):
        value = value.isoformat()
    return base64.urlsafe_b64encode(json.dumps([value, pk]).encode()).decode().rstrip("=")


def token_for(keyset: Keyset, obj_or_value: Any, pk: int) -> str:
    """The token after a row: ``obj_or_value`` is the model instance or the key value itself."""
    field = keyset[0]
    if field == "pk":
        return encode_skiptoken(pk, pk)
    value = getattr(obj_or_value, field) if isinstance(obj_or_value, models.Model) else obj_or_value
    return encode_skiptoken(value, pk)


# --- query options as text, for nextLinks ----------------------------------------------------
def option_params(options: QueryOptions, *, paging: bool = False) -> dict[str, str]:
    """``$filter``, ``$orderby``, ``$select``, ``$expand`` (and with ``paging`` ``$top``/``$skip``/``$count``) of
    parsed options, written back as query option text that parses to the same options."""
    params: dict[str, str] = {}
    if options.filter is not None:
        params["$filter"] = unparse(options.filter)
    if options.orderby:
        params["$orderby"] = ",".join(
            unparse(o.expr) + (" desc" if o.descending else "") for o in options.orderby
        )
    if options.select:
        params["$select"] = ",".join(options.select)
    if options.expand:
        params["$expand"] = ",".join(_expand_text(item) for item in options.expand)
    if options.result_format:
        params["$resultFormat"] = options.result_format
    if paging:
        if options.top is not None:
            params["$top"] = str(options.top)
        if options.skip:
            params["$skip"] = str(options.skip)
        if options.count:
            params["$count"] = "true"
    return params


def _expand_text(item: ExpandItem) -> str:
    inner = option_params(item.options, paging=True)
    if not inner:
        return item.path
    return item.path + "(" + ";".join(f"{key}={value}" for key, value in inner.items()) + ")"


def query_string(params: dict[str, str]) -> str:
    return urlencode(params, safe="$")


def nested_next_links(options: QueryOptions, top: int, keyset: Keyset | None) -> Callable[..., str]:
    """nextLinks of an expanded collection: the nested collection's own URL with the ``$expand`` item's options.
    The option text is written once per ``$expand`` item; per parent only the ``$skiptoken`` differs. The link
    takes the parent's URL, the navigation path and the last row shown (a model instance or its key value) and id."""
    params = option_params(options)
    params["$top"] = str(top)
    query = query_string(params)
    by_skip = f"{query}&$skip={options.skip + top}"

    def link(parent_link: str, path: str, last: Any, last_pk: int | None) -> str:
        if keyset is None or last_pk is None:
            return f"{parent_link}/{path}?{by_skip}"
        return f"{parent_link}/{path}?{query}&$skiptoken={token_for(keyset, last, last_pk)}"

    return link


# --- $count ---------------------------------------------------------------------------------
def count(qs: models.QuerySet[Any]) -> int:
    """``@iot.count``: exact (``COUNT(*)`` without ORDER BY), or bounded exact plus estimate (see module doc)."""
    qs = qs.order_by()
    connection = connections[qs.db]
    if getattr(settings, "STA_COUNT_MODE", "exact") != "estimate" or connection.vendor != "postgresql":
        return qs.count()
    threshold = int(getattr(settings, "STA_COUNT_ESTIMATE_THRESHOLD", 10_000))
    exact = qs[: threshold + 1].count()  # COUNT(*) over a LIMIT: stops after threshold + 1 rows
    if exact <= threshold:
        return exact
    sql, params = qs.values("pk").query.get_compiler(using=qs.db).as_sql()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return max(exact, int(plan[0]["Plan"]["Plan Rows"]))
