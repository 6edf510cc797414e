"""CreateObservations (SensorThings dataArray extension): many observations per request, answered per row.

Bad rows are answered with an error, good rows are stored (in one transaction, through ``storage.insert_rows``).
The Datastream, its organisation and the generated FeatureOfInterest come from the write cache (``writecache``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from konzeptk.sensing import models as m
from konzeptk.sensing.errors import StaError
from konzeptk.sensing.odata.errors import ParseError
from konzeptk.sensing.services import (
    Writer,
    _extend_datastream_times,
    _linked_id,
    _result_fields,
    _stream_info,
    feature_id_for,
)
from konzeptk.sensing.storage import Row, insert_rows
from konzeptk.sensing.timeutil import STORABLE_YEARS, check_storable, parse_instant, parse_time_value

# Converters write into the slots of a storage.Row (a list of its fields, in order): no dict per row.
_FOI, _START, _END, _RESULT_TIME, _NUMBER, _JSON, _QUALITY, _VALID_START, _VALID_END, _PARAMETERS = range(
    1, 11
)
_fromiso = dt.datetime.fromisoformat


def _phenomenon(v: Any, slots: list[Any]) -> None:
    if type(v) is str and "/" not in v and len(v) <= 64:  # the common case: one instant
        try:
            parsed = _fromiso(v)
        except ValueError:
            raise ParseError(f"phenomenonTime ist kein gültiger ISO-8601-Zeitpunkt: {v[:40]!r}") from None
        parsed = (parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)
        if parsed.year not in STORABLE_YEARS:
            check_storable(parsed)
        slots[_START] = parsed
        return
    slots[_START], slots[_END] = parse_time_value(v, "phenomenonTime")
    check_storable(slots[_START])


def _result(v: Any, slots: list[Any]) -> None:
    if v is None:
        raise ParseError("result fehlt")
    if type(v) is float and math.isfinite(v):
        slots[_NUMBER] = v
    else:
        fields = _result_fields(v)
        slots[_NUMBER], slots[_JSON] = fields["result_number"], fields["result_json"]


def _result_time(v: Any, slots: list[Any]) -> None:
    slots[_RESULT_TIME] = None if v is None else parse_instant(v, "resultTime")


def _quality(v: Any, slots: list[Any]) -> None:
    slots[_QUALITY] = v


def _valid(v: Any, slots: list[Any]) -> None:
    if v is not None:
        slots[_VALID_START], slots[_VALID_END] = parse_time_value(v, "validTime")


def _parameters(v: Any, slots: list[Any]) -> None:
    if v is not None and not isinstance(v, dict):
        raise ParseError("parameters muss ein JSON-Objekt sein")
    slots[_PARAMETERS] = v


def _feature(v: Any, slots: list[Any]) -> None:
    if isinstance(v, bool) or not isinstance(v, int | str) or not str(v).isdigit():
        raise ParseError("FeatureOfInterest/id muss eine ganze Zahl sein")
    slots[_FOI] = int(v)


ROW_CONVERTERS: dict[str, Callable[[Any, list[Any]], None]] = {
    "phenomenonTime": _phenomenon,
    "result": _result,
    "resultTime": _result_time,
    "resultQuality": _quality,
    "validTime": _valid,
    "parameters": _parameters,
    "FeatureOfInterest/id": _feature,
}
ALLOWED_COMPONENTS = set(ROW_CONVERTERS)


def observations_create_bulk(*, payload: Any, writer: Writer) -> list[int | str]:
    """Store the rows of a CreateObservations request; returns per row the new id or an error text."""
    if not isinstance(payload, list):
        raise ParseError("CreateObservations erwartet eine JSON-Liste")
    results: list[int | str] = []
    pending: list[tuple[int, Row]] = []
    now = timezone.now()
    feature_ids_seen: set[int] = set()
    for group in payload:
        if not isinstance(group, dict):
            raise ParseError("Jeder Eintrag von CreateObservations muss ein JSON-Objekt sein")
        ds_ref = group.get("Datastream")
        ds_id = _linked_id(ds_ref) if isinstance(ds_ref, dict) else None
        if ds_id is None:
            raise ParseError("Jeder Eintrag braucht Datastream mit @iot.id")
        info = _stream_info(ds_id)
        writer.check_orgs([info.organisation_id])
        components = group.get("components")
        rows = group.get("dataArray")
        if not isinstance(components, list) or not all(isinstance(c, str) for c in components):
            raise ParseError("components muss eine Liste von Namen sein")
        unknown = [c for c in components if c not in ALLOWED_COMPONENTS]
        if unknown:
            raise ParseError(f"Unbekannte components: {', '.join(unknown)[:200]}")
        if "result" not in components:
            raise ParseError("components muss result enthalten")
        if len(set(components)) != len(components):
            raise ParseError("components nennt einen Namen doppelt")
        if not isinstance(rows, list):
            raise ParseError("dataArray muss eine Liste sein")
        converters = [ROW_CONVERTERS[name] for name in components]
        with_feature = "FeatureOfInterest/id" in components
        default_feature_id: int | None = None
        width = len(converters)
        template: list[Any] = [ds_id] + [None] * (len(Row._fields) - 1)
        make = Row._make
        for row in rows:
            try:
                if type(row) is not list or len(row) != width:
                    raise ParseError(f"Zeile hat nicht {width} Werte")
                slots = template.copy()
                for convert, value in zip(converters, row, strict=True):
                    convert(value, slots)
                if slots[_START] is None:
                    slots[_START] = now
                if with_feature:
                    feature_ids_seen.add(slots[_FOI])
                else:
                    if default_feature_id is None:
                        default_feature_id = feature_id_for(info.thing_id)
                    slots[_FOI] = default_feature_id
                pending.append((len(results), make(slots)))
                results.append(0)
            except (ParseError, StaError) as exc:
                results.append(f"error: {getattr(exc, 'message', str(exc))}")
    if feature_ids_seen:
        existing = set(
            m.FeatureOfInterest.objects.filter(pk__in=feature_ids_seen).values_list("pk", flat=True)
        )
        kept = []
        for index, obs in pending:
            if obs.feature_of_interest_id in existing:
                kept.append((index, obs))
            else:
                results[index] = f"error: FeatureOfInterest {obs.feature_of_interest_id} gibt es nicht"
        pending = kept
    with transaction.atomic():
        ids = insert_rows([row for _index, row in pending])
        _extend_datastream_times([row for _index, row in pending])
        if settings.MQTT_URL:  # every new observation, built from the rows (no query, no model instances)
            from konzeptk.sensing import mqtt_publish

            stored = list(zip(ids, [row for _index, row in pending], strict=True))
            transaction.on_commit(
                lambda: mqtt_publish.publish_messages(mqtt_publish.row_notifications(stored))
            )
    for (index, _row), pk in zip(pending, ids, strict=True):
        results[index] = pk
    return results
