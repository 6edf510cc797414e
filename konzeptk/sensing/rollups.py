"""Hourly roll-ups of observations (``ObservationHour``): refresh per batch, rebuild, read.

Every write path hands the (datastream, phenomenon time) pairs it touched to :func:`refresh`, inside its
transaction. The affected UTC hours are grouped into runs of consecutive hours per datastream; each run is
recomputed from the raw rows with one DELETE and one INSERT … SELECT … GROUP BY (same SQL shape on SQLite and
PostgreSQL), so hours that lost all numeric results disappear and nothing is counted twice.

Plain inserts (``storage.insert_rows``: CreateObservations, the MQTT bridge, imports) do not recompute: they add
their rows to the hours with :func:`add_rows` (count and sum add up, minimum and maximum widen), which does not
read the raw rows again and keeps the part of a write that concurrent writers must take in turn short.

Concurrent writers (several MQTT bridges, parallel CreateObservations, single POSTs) to the same datastream: on
PostgreSQL both functions first take a transaction-level advisory lock per datastream (in id order, so two
writers cannot deadlock on them) – :func:`add_rows` a *shared* one, :func:`refresh` an exclusive one. Adders do
not wait for each other: their upserts add up on the hour row (its row lock orders them). A recompute waits until
the adders in flight have committed and keeps new ones out until it has committed, so it sees every row counted
in the hours it overwrites (READ COMMITTED), and no adder adds to them meanwhile. Every writer locks the hour rows
before the Datastream row. SQLite writers are serialised by the database anyway.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection

from konzeptk.sensing.models import Observation, ObservationHour

OBS = Observation._meta.db_table
HOURS = ObservationHour._meta.db_table
ONE_HOUR = dt.timedelta(hours=1)
_LOCK_SPACE = 0x5E_05_1B  # advisory lock space: (space, datastream id) serialises roll-up refreshes
#: The adders' lock (PostgreSQL), for statements of their own; parameters: :func:`lock_params`.
SHARED_LOCK = "pg_advisory_xact_lock_shared(%s::int4, (%s::int8 %% 2147483647)::int4)"


def floor_hour(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)


def _param(value: dt.datetime) -> Any:
    if connection.vendor == "postgresql":
        return value
    return value.astimezone(dt.UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S")


def _hour_expression() -> str:
    if connection.vendor == "postgresql":
        return "date_trunc('hour', phenomenon_time_start AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'"
    return "substr(phenomenon_time_start, 1, 13) || ':00:00'"


def _runs(hours: set[dt.datetime]) -> list[tuple[dt.datetime, dt.datetime]]:
    """Sorted hours → [start, end) ranges of consecutive hours."""
    runs: list[tuple[dt.datetime, dt.datetime]] = []
    for hour in sorted(hours):
        if runs and runs[-1][1] == hour:
            runs[-1] = (runs[-1][0], hour + ONE_HOUR)
        else:
            runs.append((hour, hour + ONE_HOUR))
    return runs


def _recompute(cursor: Any, datastream_id: int, start: dt.datetime | None, end: dt.datetime | None) -> None:
    where = "datastream_id = %s"
    params: list[Any] = [datastream_id]
    hour_where = where
    hour_params = list(params)
    if start is not None and end is not None:
        where += " AND phenomenon_time_start >= %s AND phenomenon_time_start < %s"
        params += [_param(start), _param(end)]
        hour_where += " AND hour >= %s AND hour < %s"
        hour_params += [_param(start), _param(end)]
    cursor.execute(f"DELETE FROM {HOURS} WHERE {hour_where}", hour_params)  # noqa: S608 – constant names
    cursor.execute(
        f"INSERT INTO {HOURS} (datastream_id, hour, value_count, value_sum, value_min, value_max) "  # noqa: S608
        f"SELECT datastream_id, {_hour_expression()}, COUNT(*), SUM(result_number), MIN(result_number), "
        f"MAX(result_number) FROM {OBS} WHERE {where} AND result_number IS NOT NULL "
        # never a unique violation on (datastream, hour); consistency with add_rows comes from the lock (_lock)
        "GROUP BY 1, 2 ON CONFLICT (datastream_id, hour) DO UPDATE SET value_count = excluded.value_count, "
        "value_sum = excluded.value_sum, value_min = excluded.value_min, value_max = excluded.value_max",
        params,
    )


def shared_lock_of(column: str) -> str:
    """The adders' lock for the Datastream id in ``column`` of a set-based statement (with parameters: ``%%``)."""
    return f"pg_advisory_xact_lock_shared({_LOCK_SPACE}::int4, ({column}::int8 %% 2147483647)::int4)"


def lock_params(datastream_id: int) -> list[int]:
    return [_LOCK_SPACE, datastream_id]


def _lock(cursor: Any, datastream_id: int, *, shared: bool = False) -> None:
    if connection.vendor == "postgresql":
        lock = SHARED_LOCK if shared else SHARED_LOCK.replace("_shared", "")
        cursor.execute(f"SELECT {lock}", lock_params(datastream_id))


def upsert_sql(source: str) -> str:
    """Add the hours of ``source`` (VALUES or SELECT of datastream id, hour, count, sum, min, max) to the roll-up:
    count and sum add up, minimum and maximum widen."""
    least, greatest = ("LEAST", "GREATEST") if connection.vendor == "postgresql" else ("MIN", "MAX")
    return (
        f"INSERT INTO {HOURS} AS h (datastream_id, hour, value_count, value_sum, value_min, value_max) "
        f"{source} ON CONFLICT (datastream_id, hour) DO UPDATE SET "
        "value_count = h.value_count + excluded.value_count, value_sum = h.value_sum + excluded.value_sum, "
        f"value_min = {least}(h.value_min, excluded.value_min), value_max = {greatest}(h.value_max, excluded.value_max)"
    )


def add_rows(rows: Iterable[tuple[int, dt.datetime, float | None]]) -> None:
    """Add newly inserted rows (datastream id, phenomenon time, numeric result) to their hours: count and sum
    add up, minimum and maximum widen (``INSERT … ON CONFLICT DO UPDATE``), without reading the raw rows again.
    For inserts only (``storage.insert_rows``); changes and deletions use :func:`refresh`."""
    hours: dict[
        tuple[int, int], list[float]
    ] = {}  # (datastream, hour since the epoch) → count, sum, min, max
    for datastream_id, time, value in rows:
        if value is None:
            continue
        key = (datastream_id, int(time.timestamp() // 3600))
        found = hours.get(key)
        if found is None:
            hours[key] = [1, value, value, value]
        else:
            found[0] += 1
            found[1] += value
            if value < found[2]:
                found[2] = value
            if value > found[3]:
                found[3] = value
    if not hours:
        return
    sql = upsert_sql("VALUES (%s, %s, %s, %s, %s, %s)")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(hours) == 1:
            # one datastream, one hour: the lock and the upsert in one statement (one round trip less); the
            # joined CTE runs before the row exists
            [((ds, hour), v)] = hours.items()
            cursor.execute(
                f"WITH l AS (SELECT {SHARED_LOCK}) "  # noqa: S608 – constant SQL
                + upsert_sql(
                    "SELECT v.* FROM (VALUES (%s::int8, "
                    "%s::timestamptz, %s::int4, %s::float8, %s::float8, %s::float8)) AS v CROSS JOIN l",
                ),
                [*lock_params(ds), ds, dt.datetime.fromtimestamp(hour * 3600, dt.UTC), int(v[0]), *v[1:]],
            )
            return
        for datastream_id in sorted({key[0] for key in hours}):  # in id order: no deadlock between writers
            _lock(cursor, datastream_id, shared=True)
        cursor.executemany(
            sql,
            [
                (ds, _param(dt.datetime.fromtimestamp(hour * 3600, dt.UTC)), int(v[0]), v[1], v[2], v[3])
                for (ds, hour), v in sorted(hours.items())
            ],
        )


def refresh(touched: Iterable[tuple[int, dt.datetime]]) -> None:
    """Recompute the hours of the given (datastream id, phenomenon time) pairs. Call inside the write's transaction."""
    by_stream: dict[int, set[int]] = {}  # hours since the epoch: integer arithmetic, no datetime per row
    for datastream_id, time in touched:
        by_stream.setdefault(datastream_id, set()).add(int(time.timestamp() // 3600))
    if not by_stream:
        return
    with connection.cursor() as cursor:
        for datastream_id, hours in sorted(by_stream.items()):
            _lock(cursor, datastream_id)
            as_datetimes = {dt.datetime.fromtimestamp(hour * 3600, dt.UTC) for hour in hours}
            for start, end in _runs(as_datetimes):
                _recompute(cursor, datastream_id, start, end)


def rebuild(datastream_id: int | None = None) -> int:
    """Recompute the roll-ups (of all datastreams or one) from the raw rows; returns the number of hours stored.

    Only hours from the first raw observation on are recomputed: older hours may be all that is left of raw rows
    removed by ``prune_observations`` (retention), so they are kept.
    """
    from django.db.models import Min

    from konzeptk.sensing.models import Datastream

    ids = (
        [datastream_id]
        if datastream_id is not None
        else list(Datastream.objects.values_list("pk", flat=True))
    )
    far = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)  # after every storable time (timeutil.STORABLE_YEARS)
    with connection.cursor() as cursor:
        for pk in ids:
            first = Observation.objects.filter(datastream_id=pk).aggregate(
                first=Min("phenomenon_time_start")
            )["first"]
            if first is not None:
                _recompute(cursor, pk, floor_hour(first), far)
    qs = ObservationHour.objects.all()
    if datastream_id is not None:
        qs = qs.filter(datastream_id=datastream_id)
    return qs.count()


def hours_between(
    datastream_id: int, start: dt.datetime, end: dt.datetime
) -> list[tuple[dt.datetime, int, float, float, float]]:
    """(UTC hour, count, sum, min, max) of whole hours in [start, end); start and end are full hours."""
    rows = (
        ObservationHour.objects.filter(datastream_id=datastream_id, hour__gte=start, hour__lt=end)
        .order_by()
        .values_list("hour", "value_count", "value_sum", "value_min", "value_max")
    )
    return list(rows)


def _offset_stretches(
    first: dt.datetime, last: dt.datetime, tz: ZoneInfo
) -> list[tuple[dt.datetime, dt.datetime, dt.timedelta]]:
    """[start, end) stretches of whole UTC hours with a constant UTC offset of ``tz``."""

    def offset(at: dt.datetime) -> dt.timedelta:
        return at.astimezone(tz).utcoffset() or dt.timedelta(0)

    stretches = []
    start, current = first, offset(first)
    probe = first
    while probe < last:
        step = min(probe + dt.timedelta(days=1), last)
        if step < last and offset(step) == current:
            probe = step
            continue
        hour = probe + ONE_HOUR  # the change lies in (probe, step]: find its hour
        while hour < step and offset(hour) == current:
            hour += ONE_HOUR
        if hour >= last:
            break
        stretches.append((start, hour, current))
        start, current, probe = hour, offset(hour), hour
    stretches.append((start, last, current))
    return stretches


def local_buckets(
    datastream_id: int, first: dt.datetime, last: dt.datetime, interval: str, tz: ZoneInfo
) -> list[tuple[dt.datetime, int, float, float, float]]:
    """(naive local day or month start, count, sum, min, max) from the whole hours in [first, last)."""
    columns = "SUM(value_count), SUM(value_sum), MIN(value_min), MAX(value_max)"
    result = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT date_trunc(%s, hour AT TIME ZONE %s), {columns} FROM {HOURS} "  # noqa: S608
                "WHERE datastream_id = %s AND hour >= %s AND hour < %s GROUP BY 1",
                [interval, str(tz), datastream_id, first, last],
            )
            return [(key, n, total, low, high) for key, n, total, low, high in cursor.fetchall()]
        length, pattern = (10, "%Y-%m-%d") if interval == "day" else (7, "%Y-%m")
        for start, end, offset in _offset_stretches(first, last, tz):
            hours = int(offset.total_seconds() // 3600)
            cursor.execute(
                f"SELECT substr(datetime(hour, %s), 1, {length}), {columns} FROM {HOURS} "  # noqa: S608
                "WHERE datastream_id = %s AND hour >= %s AND hour < %s GROUP BY 1",
                [f"{hours:+d} hours", datastream_id, _param(start), _param(end)],
            )
            result += [(dt.datetime.strptime(key, pattern), *rest) for key, *rest in cursor.fetchall()]
    return result
