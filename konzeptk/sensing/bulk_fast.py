"""CreateObservations on PostgreSQL for the common shape, set-based: one statement per Datastream.

What sensors and gateways send in bulk is a list of ``[phenomenonTime, result]`` rows: a UTC instant
(``…Z`` or without an offset) and a number. For such a payload no row becomes a Python object: the times and
results are taken as two columns (``zip``), checked as a whole (the types with ``map``, every time with one
regular expression over the joined column, both at C speed) and sent as two arrays. PostgreSQL parses the
times, takes the ids from the sequence and, in the same statement, inserts the rows, adds them to the hourly
roll-ups (one upsert per hour, set-based) and widens the Datastream's times.

Anything else – other components, a FeatureOfInterest per row, a time with an offset or in another notation,
a value that is not a number, a row that does not fit, a payload for another database – returns None, and
``bulk.observations_create_bulk`` takes it row by row with its answers per row. So does a batch that
PostgreSQL refuses (an impossible date such as 30 February passes the expression): the statement runs in a
savepoint, which is rolled back first, so nothing of it stays.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from typing import Any, NamedTuple

import psycopg
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from konzeptk.sensing import ingest_hook_registry, observed_area, partitions, rollups, writecache
from konzeptk.sensing import models as m
from konzeptk.sensing.odata.errors import ParseError
from konzeptk.sensing.services import Writer, _linked_id, feature_id_for
from konzeptk.sensing.storage import Row, sequence_name

OBS = m.Observation._meta.db_table
DATASTREAMS = m.Datastream._meta.db_table
# years 1800–2199 (timeutil.STORABLE_YEARS), a real month, day, hour, minute and second; optional fraction up to
# microseconds; UTC ("Z") or no offset (UTC as well)
_TIME = (
    r"(?:1[89]|2[01])\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d"
    r"(?:\.\d{1,6})?Z?"
)
_TIMES = re.compile(rf"(?:{_TIME}\n)*{_TIME}")
_NUMBERS = frozenset({float, int})
_HOUR = "date_trunc('hour', t AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'"


def _statement() -> str:
    hours = rollups.upsert_sql(
        f"SELECT %(ds)s::int8, {_HOUR}, count(*), sum(v), min(v), max(v) FROM src GROUP BY 2"  # noqa: S608
    )
    return (
        f"WITH l AS (SELECT {rollups.SHARED_LOCK.replace('%s', '%(space)s', 1).replace('%s', '%(ds)s', 1)} AS x), "  # noqa: S608 – constant names
        # ::timestamp ignores a trailing Z; AT TIME ZONE 'UTC' reads the time as UTC whatever the session's zone
        "src AS (SELECT nextval(%(sequence)s::regclass) AS id, u.n, u.t::timestamp AT TIME ZONE 'UTC' AS t, u.v "
        "FROM l, unnest(string_to_array(%(times)s, E'\\n'), string_to_array(%(values)s, ',')::float8[]) "
        "WITH ORDINALITY AS u(t, v, n)), "
        f"o AS (INSERT INTO {OBS} (id, datastream_id, feature_of_interest_id, phenomenon_time_start, result_number) "
        "SELECT id, %(ds)s, %(foi)s, t, v FROM src), "
        f"h AS ({hours} RETURNING 1 AS done), "
        "s AS (SELECT min(t) AS lo, max(t) AS hi FROM src), "
        f"d AS (UPDATE {DATASTREAMS} SET phenomenon_time_start = LEAST(COALESCE(phenomenon_time_start, s.lo), s.lo), "
        "phenomenon_time_end = GREATEST(COALESCE(phenomenon_time_end, s.hi), s.hi) "
        # after the roll-up rows, like every other writer: no deadlock between them
        "FROM s, (SELECT count(*) FROM h) AS done WHERE id = %(ds)s "
        "AND (phenomenon_time_start IS NULL OR s.lo < phenomenon_time_start OR phenomenon_time_end IS NULL "
        "OR s.hi > phenomenon_time_end)) "
        # the span and the extremes of the values: what the ingest hooks are told, without parsing on the client
        "SELECT array_agg(id ORDER BY n), min(t), max(t), min(v), max(v) FROM src"
    )


class _Group(NamedTuple):
    ds_id: int
    times: tuple[str, ...]
    values: tuple[float | int, ...]
    times_text: str
    values_text: str


def _columns(group: Any) -> _Group | None:
    """(Datastream id, times, results) of a group of the common shape, or None. The columns go to PostgreSQL as
    two texts (times one a line, results separated by commas), which it splits and parses: no array adaptation
    per element on the client."""
    if not isinstance(group, dict) or set(group) - {
        "Datastream",
        "components",
        "dataArray",
        "dataArray@iot.count",
    }:
        return None
    components, rows, ds_ref = group.get("components"), group.get("dataArray"), group.get("Datastream")
    if (
        components not in (["phenomenonTime", "result"], ["result", "phenomenonTime"])
        or type(rows) is not list
    ):
        return None
    if (
        not rows
        or not isinstance(ds_ref, dict)
        or set(map(type, rows)) != {list}
        or set(map(len, rows)) != {2}
    ):
        return None
    ds_id = _linked_id(ds_ref)
    first, second = zip(*rows, strict=True)
    times, values = (first, second) if components[0] == "phenomenonTime" else (second, first)
    if ds_id is None or set(map(type, times)) != {str} or not set(map(type, values)) <= _NUMBERS:
        return None
    joined = "\n".join(times)
    if joined.count("\n") != len(times) - 1 or not _TIMES.fullmatch(joined):  # a line break inside a time
        return None
    return _Group(ds_id, times, values, joined, ",".join(map(repr, values)))


def store(*, payload: Any, writer: Writer) -> list[int | str] | None:
    """Store a CreateObservations payload of the common shape (see the module text); None: not that shape."""
    if connection.vendor != "postgresql" or not isinstance(payload, list) or not payload:
        return None
    groups = []
    for group in payload:
        columns = _columns(group)
        if columns is None:
            return None
        groups.append(columns)
    infos = {}
    for ds_id, *_columns_of_group in groups:
        info = writecache.stream(ds_id)
        if info is None:
            return None  # the row path answers every row of it with the error
        writer.check_orgs([info.organisation_id])
        infos[ds_id] = info
    try:
        features = {ds_id: feature_id_for(info.thing_id) for ds_id, info in infos.items()}
    except ParseError:
        return None  # a Thing without a Location: the row path answers every row with the error
    months = {dt.date(int(t[:4]), int(t[5:7]), 1) for group in groups for t in {t[:7] for t in group.times}}
    partitions.ensure_months(months)
    results: list[int | str] = []
    try:
        with (
            transaction.atomic()
        ):  # a refused batch leaves nothing behind (in an outer transaction: a savepoint)
            ids, summaries = _insert(groups, features)
            observed_area.note(features.items())
            _after_commit(groups, features, ids)
            _tell_hooks(summaries)
    except _Refused:
        return None
    for group_ids in ids:
        results.extend(group_ids)
    return results


class _Summary(NamedTuple):
    """What PostgreSQL reports of a stored group besides its ids: the span of times and the extremes of values."""

    ds_id: int
    first: dt.datetime
    last: dt.datetime
    lowest: float
    highest: float


def _tell_hooks(summaries: list[_Summary]) -> None:
    """The ingest hooks (``ingest_hook_registry``), with what the insert statement reported (no parsing here)."""
    spans: dict[int, tuple[dt.datetime, dt.datetime]] = {}
    results: dict[int, tuple[float, float]] = {}
    for ds_id, first, last, lowest, highest in summaries:
        if ds_id in spans:  # the same Datastream twice in one payload
            first, last = min(first, spans[ds_id][0]), max(last, spans[ds_id][1])
            lowest, highest = min(lowest, results[ds_id][0]), max(highest, results[ds_id][1])
        spans[ds_id], results[ds_id] = (first, last), (lowest, highest)
    ingest_hook_registry.observations_written(spans, results)


class _Refused(Exception):
    """PostgreSQL refused the batch's values (e.g. 30 February): the row path answers per row."""


def _insert(groups: list[_Group], features: dict[int, int]) -> tuple[list[list[int]], list[_Summary]]:
    sql = _statement()
    out: list[list[int]] = []
    summaries: list[_Summary] = []
    sequence = sequence_name()
    raw = connection.connection  # psycopg's own cursor: server-side binding, the arrays go as binary
    try:
        with connection.wrap_database_errors, psycopg.Cursor(raw) as cursor:
            for group in groups:
                params = {
                    "space": rollups.lock_params(group.ds_id)[0], "ds": group.ds_id, "foi": features[group.ds_id],
                    "sequence": sequence, "times": group.times_text, "values": group.values_text,
                }  # fmt: skip
                started = time.perf_counter()
                cursor.execute(sql, params)
                row = cursor.fetchone()
                if connection.queries_logged:  # counted like every statement of Django's own cursors
                    elapsed = time.perf_counter() - started
                    connection.queries_log.append({"sql": sql, "time": f"{elapsed:.3f}"})
                if (
                    row is None or row[0] is None
                ):  # pragma: no cover – a group has at least one row (_columns)
                    out.append([])
                    continue
                ids, first, last, lowest, highest = row
                out.append(list(ids))
                summaries.append(_Summary(group.ds_id, first, last, float(lowest), float(highest)))
    except DatabaseError as exc:
        if (getattr(exc.__cause__, "sqlstate", None) or "").startswith("22"):  # a value PostgreSQL refuses
            raise _Refused from exc
        raise
    return out, summaries


def _after_commit(groups: list[_Group], features: dict[int, int], ids: list[list[int]]) -> None:
    if not settings.MQTT_URL:
        return
    from konzeptk.sensing import mqtt_publish

    def publish() -> None:  # rows built after the commit, only for the notifications
        stored = [
            (
                pk,
                Row(
                    ds_id,
                    features[ds_id],
                    dt.datetime.fromisoformat(t).replace(tzinfo=dt.UTC),
                    result_number=float(v),
                ),
            )
            for (ds_id, times, values, _t, _v), group_ids in zip(groups, ids, strict=True)
            for pk, t, v in zip(group_ids, times, values, strict=True)
        ]
        mqtt_publish.publish_messages(mqtt_publish.row_notifications(stored))

    transaction.on_commit(publish)
