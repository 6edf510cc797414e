"""POST Observation on the hot path: one statement on PostgreSQL, three in one transaction on SQLite.

A LoRaWAN network server or a sensor gateway posts one observation at a time, many clients at once and often to
the same Datastream. Each such write must add to the Datastream-hour of the roll-up (one row for all its writers)
and may widen the Datastream's times (one row). Whoever holds those row locks makes every other writer of the
Datastream wait until it has committed, so the time between taking them and the COMMIT is what limits concurrent
writers. Through the general path (``services.entity_create``) that time was two more round trips and the
Python work in between (with threads, also the wait for the interpreter lock).

Here, when everything the write needs is already known to this process (``writecache``: the Datastream's Thing
and organisation, the generated FeatureOfInterest; ``observed_area``: the (Datastream, feature) pair; the month's
partition), the observation is stored

- on PostgreSQL by one statement in autocommit mode: the INSERT, the roll-up upsert and the widening of the
  Datastream's times as data-modifying CTEs. A single statement is a transaction of its own (all or nothing);
  the row locks are taken at its end and released by the commit that follows it inside the server;
- on SQLite by three statements in one transaction (SQLite has one writer at a time anyway).

The Datastream row is only updated when the new times really widen it. Everything else (deep insert, a linked
FeatureOfInterest, a nested URL other than ``Datastreams(id)/Observations``, anything not cached yet, invalid
input) goes through ``services.entity_create``, which also gives the error answers.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from konzeptk.sensing import ingest_hook_registry, observed_area, partitions, rollups, services, writecache
from konzeptk.sensing import models as m
from konzeptk.sensing.sta.schema import OBSERVATION, EntityType
from konzeptk.sensing.storage import COLUMNS, _sqlite_datetime

OBS = m.Observation._meta.db_table
HOURS = m.ObservationHour._meta.db_table
DATASTREAMS = m.Datastream._meta.db_table
_INSERT_COLUMNS = COLUMNS[1:]  # without the id (the sequence or SQLite assigns it)
_PG_TYPES = (
    "int8", "int8", "timestamptz", "timestamptz", "timestamptz", "float8", "jsonb", "jsonb", "timestamptz",
    "timestamptz", "jsonb",
)  # fmt: skip
_JSON_COLUMNS = {"result_json", "result_quality", "parameters"}
_PROPS = {name: prop for name, prop in OBSERVATION.props.items() if prop.kind != "id"}
_IGNORED = {"@iot.id", "id"}


def observation_create(
    *, data: Any, writer: services.Writer, parent: tuple[EntityType, models.Model, str] | None = None
) -> models.Model:
    """Create an Observation (POST ``Observations`` or ``Datastreams(id)/Observations``); see the module text."""
    obs = _prepare(data, writer, parent)
    if obs is None:
        return services.entity_create(entity=OBSERVATION, data=data, writer=writer, parent=parent)
    if connection.vendor == "postgresql":
        _store_postgresql(obs)
    else:
        with transaction.atomic():
            _store_sqlite(obs)
    obs._state.adding = False
    obs._state.db = connection.alias
    services._after_commit([("Observation", obs)])
    start = obs.phenomenon_time_start
    number = obs.result_number
    ingest_hook_registry.observations_written(
        {obs.datastream_id: (start, obs.phenomenon_time_end or start)},
        {obs.datastream_id: (float(number), float(number))} if number is not None else None,
    )
    return obs


def _prepare(data: Any, writer: services.Writer, parent: Any) -> m.Observation | None:
    """The unsaved Observation, or None when the general path must take this write."""
    if not isinstance(data, dict):
        return None
    datastream_id: int | None = None
    if parent is not None:
        parent_entity, parent_obj, nav_name = parent
        if parent_entity.name != "Datastream" or nav_name != "Observations" or "Datastream" in data:
            return None
        datastream_id = parent_obj.pk
    attrs: dict[str, Any] = {}
    for key, value in data.items():
        prop = _PROPS.get(key)
        if prop is not None:
            attrs.update(services._convert(OBSERVATION, key, prop, value))
        elif key == "Datastream" and parent is None and isinstance(value, dict):
            datastream_id = services._linked_id(value)
        elif key not in _IGNORED and not key.endswith(services.IGNORED_SUFFIXES):
            return None  # a FeatureOfInterest, an unknown key …: the general path decides
    if datastream_id is None or "result_number" not in attrs:
        return None
    info = writecache.stream(datastream_id)
    if info is None:
        return None  # answered by the general path (400, no such Datastream)
    writer.check_orgs([info.organisation_id])
    feature_id = writecache.feature_id(info.thing_id)
    if feature_id is None or not observed_area.is_known(datastream_id, feature_id):
        return None  # the general path creates or reads them and fills the caches
    attrs.setdefault("phenomenon_time_start", timezone.now())
    partitions.ensure_for([attrs["phenomenon_time_start"]])  # no query once the month's partition is known
    return m.Observation(datastream_id=datastream_id, feature_of_interest_id=feature_id, **attrs)


def _values(obs: m.Observation, *, sqlite: bool) -> list[Any]:
    values = []
    for column in _INSERT_COLUMNS:
        value = getattr(obs, column)
        if value is not None and column in _JSON_COLUMNS:
            value = json.dumps(value)
        elif sqlite and isinstance(value, dt.datetime):
            value = _sqlite_datetime(value)
        values.append(value)
    return values


def _widen(obs: m.Observation) -> tuple[list[str], list[str], list[Any], list[Any]]:
    """SET clauses, WHERE conditions and their parameters that widen the Datastream's times by ``obs``."""
    sqlite = connection.vendor == "sqlite"
    least, greatest = ("MIN", "MAX") if sqlite else ("LEAST", "GREATEST")
    value = _sqlite_datetime if sqlite else (lambda t: t)
    start = obs.phenomenon_time_start
    bounds = [("phenomenon_time_start", least, "<", start)]
    bounds.append(("phenomenon_time_end", greatest, ">", obs.phenomenon_time_end or start))
    if obs.result_time is not None:
        bounds += [("result_time_start", least, "<", obs.result_time)]
        bounds += [("result_time_end", greatest, ">", obs.result_time)]
    sets = [f"{column} = {fn}(COALESCE({column}, %s), %s)" for column, fn, _op, _t in bounds]
    wheres = [f"{column} IS NULL OR %s {op} {column}" for column, _fn, op, _t in bounds]
    set_params = [v for _c, _f, _o, t in bounds for v in (value(t), value(t))]
    where_params = [value(t) for _c, _f, _o, t in bounds]
    return sets, wheres, set_params, where_params


def _hour(obs: m.Observation) -> tuple[dt.datetime, list[Any]]:
    number = obs.result_number
    return rollups.floor_hour(obs.phenomenon_time_start), [number, number, number]


def _store_postgresql(obs: m.Observation) -> None:
    columns = ", ".join(_INSERT_COLUMNS)
    placeholders = ", ".join(f"%s::{kind}" for kind in _PG_TYPES)
    sets, wheres, set_params, where_params = _widen(obs)
    params: list[Any] = [*rollups.lock_params(obs.datastream_id), *_values(obs, sqlite=False)]
    sql = (
        f"WITH l AS (SELECT {rollups.SHARED_LOCK} AS locked), "  # noqa: S608 – constant names
        f"o AS (INSERT INTO {OBS} ({columns}) SELECT {placeholders} FROM l RETURNING id), "
    )
    after = (
        "l"  # the roll-up row before the Datastream row, like every other writer (no deadlock between them)
    )
    if obs.result_number is not None:
        hour, value = _hour(obs)
        source = "SELECT %s::int8, %s::timestamptz, 1, %s::float8, %s::float8, %s::float8 FROM l"
        sql += f"h AS ({rollups.upsert_sql(source)} RETURNING 1 AS done), "
        params += [obs.datastream_id, hour, *value]
        after = "(SELECT count(*) FROM h) AS done"
    widen, widens = ", ".join(sets), " OR ".join(wheres)
    sql += f"d AS (UPDATE {DATASTREAMS} SET {widen} FROM {after} WHERE id = %s AND ({widens}))"  # noqa: S608
    params += [*set_params, obs.datastream_id, *where_params]
    with connection.cursor() as cursor:
        cursor.execute(sql + " SELECT id FROM o", params)  # noqa: S608 – constant names
        obs.pk = cursor.fetchone()[0]


def _store_sqlite(obs: m.Observation) -> None:
    columns = ", ".join(_INSERT_COLUMNS)
    placeholders = ", ".join(["%s"] * len(_INSERT_COLUMNS))
    sets, wheres, set_params, where_params = _widen(obs)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {OBS} ({columns}) VALUES ({placeholders}) RETURNING id",  # noqa: S608 – constant names
            _values(obs, sqlite=True),
        )
        obs.pk = cursor.fetchone()[0]
        if obs.result_number is not None:
            hour, value = _hour(obs)
            cursor.execute(
                rollups.upsert_sql("VALUES (%s, %s, 1, %s, %s, %s)"),
                [obs.datastream_id, _sqlite_datetime(hour), *value],
            )
        cursor.execute(
            f"UPDATE {DATASTREAMS} SET {', '.join(sets)} WHERE id = %s AND ({' OR '.join(wheres)})",  # noqa: S608
            [*set_params, obs.datastream_id, *where_params],
        )
