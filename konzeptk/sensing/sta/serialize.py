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
            out[name] = property_value(entity, name, obj)
    for nav_name in entity.navs:
        if wanted is None or nav_name in wanted:
            out[f"{nav_name}@iot.navigationLink"] = f"{link}/{nav_name}"
    return out


def check_select(entity: EntityType, select: list[str] | None) -> None:
    from konzeptk.sensing.odata.errors import ParseError

    for name in select or ():
        if name not in entity.props and name not in entity.navs and name != "@iot.selfLink":
            raise ParseError(f"{entity.name} hat keine Eigenschaft {name!r} ($select)")
