"""Entities as SensorThings JSON, with selfLinks, navigationLinks, $select and $expand."""

from __future__ import annotations

from typing import Any

from django.db import models

from konzeptk.sensing.sta.schema import ENTITY_TYPES, EntityType
from konzeptk.sensing.timeutil import format_instant, format_time


def property_value(entity: EntityType, name: str, obj: models.Model) -> Any:
    prop = entity.props[name]
    if prop.kind == "id":
        return obj.pk
    if prop.kind == "result":
        number = obj.result_number  # type: ignore[attr-defined]
        if number is not None and number.is_integer() and abs(number) < 2**53:
            return int(number)
        return number if number is not None else obj.result_json  # type: ignore[attr-defined]
    if prop.kind == "datetime":
        start = getattr(obj, prop.field)
        if prop.end_field:
            return format_time(start, getattr(obj, prop.end_field))
        return format_instant(start)
    return getattr(obj, prop.field)


def self_link(base: str, entity: EntityType, pk: Any) -> str:
    return f"{base}/{entity.set_name}({pk})"


def serialize_plain(entity_name: str, obj: models.Model, base: str = "") -> dict[str, Any]:
    entity = ENTITY_TYPES[entity_name]
    return serialize(entity, obj, base, select=None)


def serialize(entity: EntityType, obj: models.Model, base: str, select: list[str] | None) -> dict[str, Any]:
    link = self_link(base, entity, obj.pk)
    out: dict[str, Any] = {}
    wanted = set(select) if select else None
    if wanted is None or "id" in wanted or "@iot.id" in wanted:
        out["@iot.id"] = obj.pk
    if wanted is None or "@iot.selfLink" in wanted:
        out["@iot.selfLink"] = link
    for name in entity.props:
        if name in ("id", "@iot.id"):
            continue
        if wanted is None or name in wanted:
            value = property_value(entity, name, obj)
            if value is None and name == "properties":
                continue  # like FROST: absent, not null (clients such as frost-sta-client reject null here)
            out[name] = value
    for nav_name in entity.navs:
        if wanted is None or nav_name in wanted:
            out[f"{nav_name}@iot.navigationLink"] = f"{link}/{nav_name}"
    return out


def check_select(entity: EntityType, select: list[str] | None) -> None:
    from konzeptk.sensing.odata.errors import ParseError

    for name in select or ():
        if name not in entity.props and name not in entity.navs and name != "@iot.selfLink":
            raise ParseError(f"{entity.name} hat keine Eigenschaft {name!r} ($select)")


class UtcIso(models.Func):
    """A timestamp as STA text (``YYYY-MM-DDTHH:MM:SS.mmmZ``, UTC, milliseconds truncated), formatted by the
    database – the same text as :func:`format_instant`, without loading a datetime object per row."""

    output_field = models.CharField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # Django stores naive UTC text 'YYYY-MM-DD HH:MM:SS[.ffffff]'; cut it instead of going through floats.
        template = (
            "(substr(%(expressions)s, 1, 10) || 'T' || substr(%(expressions)s, 12, 8) || '.' || "
            "substr(%(expressions)s || '.000', 21, 3) || 'Z')"
        )
        return self.as_sql(compiler, connection, template=template, **extra)


def _columns(entity: EntityType, select: list[str] | None) -> list[tuple[str, str, list[Any]]]:
    """(STA name, kind, column expressions) of the properties to fetch for :func:`serialize_queryset`."""
    wanted = set(select) if select else None
    columns = []
    for name, prop in entity.props.items():
        if name in ("id", "@iot.id") or (wanted is not None and name not in wanted):
            continue
        if prop.kind == "datetime":
            exprs: list[Any] = [UtcIso(prop.field)]
            if prop.end_field:
                exprs.append(UtcIso(prop.end_field))
        elif prop.kind == "result":
            exprs = [prop.field, "result_json"]
        else:
            exprs = [prop.field]
        columns.append((name, prop.kind, exprs))
    return columns


def serialize_queryset(
    entity: EntityType,
    qs: models.QuerySet[Any],
    base: str,
    select: list[str] | None,
    start: int,
    stop: int,
    *,
    key: str | None = None,
    keys: list[Any] | None = None,
) -> list[tuple[Any, dict[str, Any]]]:
    """(pk, the same JSON as :func:`serialize`) for the rows ``qs[start:stop]``, read as plain tuples (no model
    instances, timestamps formatted by the database): the fast path for long lists without ``$expand``.
    With ``key`` (a model field), each row's raw value of it is appended to ``keys`` (for the ``$skiptoken``)."""
    columns = _columns(entity, select)
    expressions: dict[str, Any] = {}
    fields: list[str] = ["pk"]
    if key is not None:
        fields.append(key)
    for index, (_name, _kind, exprs) in enumerate(columns):
        for position, expr in enumerate(exprs):
            if isinstance(expr, str):
                fields.append(expr)
            else:
                alias = f"_sta_{index}_{position}"
                expressions[alias] = expr
                fields.append(alias)
    wanted = set(select) if select else None
    with_id = wanted is None or "id" in wanted or "@iot.id" in wanted
    with_link = wanted is None or "@iot.selfLink" in wanted
    navs = [name for name in entity.navs if wanted is None or name in wanted]
    prefix = f"{base}/{entity.set_name}("
    out = []
    for row in qs.annotate(**expressions).values_list(*fields)[start:stop]:
        pk = row[0]
        if key is not None and keys is not None:
            keys.append(row[1])
        item: dict[str, Any] = {}
        if with_id:
            item["@iot.id"] = pk
        link = f"{prefix}{pk})"
        if with_link:
            item["@iot.selfLink"] = link
        position = 1 if key is None else 2
        for name, kind, exprs in columns:
            if kind == "datetime":
                start = row[position]
                if len(exprs) == 2:
                    end = row[position + 1]
                    item[name] = f"{start}/{end}" if start is not None and end is not None else start
                else:
                    item[name] = start
            elif kind == "result":
                number = row[position]
                if number is not None and number.is_integer() and abs(number) < 2**53:
                    item[name] = int(number)
                else:
                    item[name] = number if number is not None else row[position + 1]
            elif row[position] is not None or name != "properties":
                item[name] = row[position]
            position += len(exprs)
        for nav_name in navs:
            item[f"{nav_name}@iot.navigationLink"] = f"{link}/{nav_name}"
        out.append((pk, item))
    return out
