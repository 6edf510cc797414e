"""CreateObservations on PostgreSQL lands first, then is folded into the observation table.

Accepting a batch costs what the database needs to keep it safe and no more: the rows of the common shape
(``bulk_fast``) go by one binary COPY into ``sensing_observation_landing`` – no index, no foreign key, no
partition, no roll-up. When the COPY commits (with a worker it is a transaction of its own: one statement per
request), the batch is durable and answered with its selfLinks (201).

Ids come in blocks of ``BLOCK``; a process reserves ``BLOCKS_PER_VALUE`` blocks with one value of the block
sequence (:class:`_Reserved`), so a request needs no statement for its ids. Each block holds rows of one
Datastream and FeatureOfInterest and belongs to one request; its first row (id = the block's first id) names
them, the other rows leave those two columns empty. A block's rows and its first row are committed by the same
COPY, so a committed block is always whole.

The fold (:func:`fold`) then moves whole blocks into the partitioned observation table in one set-based
statement: the rows go into their month partitions, their hours into the roll-ups (one upsert per hour), the
Datastreams' phenomenon times widen, the observedArea grows, the ingest hooks hear of the batch, MQTT
subscribers get each observation. Folders take turns (an advisory lock); a row whose Datastream or
FeatureOfInterest was deleted meanwhile is dropped, as the deletion would have removed it.

Who folds, ``settings.SENSING_FOLD`` (environment ``KONZEPTK_SENSING_FOLD``):

- ``"celery"`` (the default with Redis): the COPY commits on its own, then the task ``sensing.fold_landed`` is
  queued for a worker; the request answers at once. Beat runs the same task every minute as a safety net.
- ``"inline"`` (the default without Redis, and the tests): the request folds in the COPY's transaction, so the
  observations are visible when the answer arrives.

Until a row is folded, ``GET Observations(id)`` reads it from the landing table (:func:`find`): every selfLink
of the answer resolves at once. Lists, filters and aggregates show it after the fold (with a worker: within
milliseconds to a few seconds, depending on the backlog). A change or deletion of a landed observation folds
first.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice
from operator import itemgetter
from typing import Any, NamedTuple

import psycopg
from django.conf import settings
from django.db import connection, transaction

from konzeptk.sensing import ingest_hook_registry, observed_area, partitions, rollups
from konzeptk.sensing import models as m
from konzeptk.sensing.storage import Row
from konzeptk.sensing.timeutil import STORABLE_YEARS

TABLE = "sensing_observation_landing"
BLOCK_SEQUENCE = "sensing_observation_landing_block_seq"
OBS = m.Observation._meta.db_table
DATASTREAMS = m.Datastream._meta.db_table
FEATURES = m.FeatureOfInterest._meta.db_table
#: ids of landed rows come in blocks of this many; a block holds the rows of one request and one Datastream
BLOCK = 16_384
#: blocks a process reserves with one value of the block sequence
BLOCKS_PER_VALUE = 64
#: landed ids start here; the observation sequence of every other writer ends below it (migration 0006). Both stay
#: below 2**53, the integers JavaScript clients read exactly.
FIRST_LANDED_ID = 2**50
#: the Datastream and FeatureOfInterest only in a block's first row: the others carry two empty (NULL) columns,
#: which take no space in the row
COLUMNS = ("id", "phenomenon_time_start", "result_number", "datastream_id", "feature_of_interest_id")
_TYPES = ("int8", "timestamptz", "float8", "int8", "int8")
CREATE_SQL = [
    f"CREATE TABLE IF NOT EXISTS {TABLE} (id bigint NOT NULL, phenomenon_time_start timestamptz NOT NULL, "
    "result_number double precision NOT NULL, datastream_id bigint, feature_of_interest_id bigint)",
    f"CREATE SEQUENCE IF NOT EXISTS {BLOCK_SEQUENCE} START {FIRST_LANDED_ID} "
    f"INCREMENT {BLOCK * BLOCKS_PER_VALUE} MINVALUE {FIRST_LANDED_ID} MAXVALUE {2**53 - BLOCK * BLOCKS_PER_VALUE}",
]


def create(execute: Any) -> None:
    """The landing table and the block sequence (migrations 0006 and 0007, the benchmark's database); the
    observation sequence ends below the landed ids. ``execute``: a schema editor's or cursor's ``execute``."""
    for sql in CREATE_SQL:
        execute(sql)
    execute(f"ALTER SEQUENCE {OBS}_id_seq MAXVALUE {FIRST_LANDED_ID - 1}")


_FOLD_LOCK = 0x5E_05_F0  # advisory lock: one folder at a time
#: rows per fold statement: a large backlog is folded in several transactions, each of bounded size
FOLD_ROWS = 500_000
_HOUR = "date_trunc('hour', t AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'"


def available() -> bool:
    """Whether this database lands CreateObservations (PostgreSQL, with the table of migration 0006)."""
    if connection.vendor != "postgresql":
        return False
    database = str(connection.settings_dict["NAME"])
    known = _tables.get(database)
    if known is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [TABLE])
            known = _tables[database] = bool(cursor.fetchone()[0])
    return known


_tables: dict[str, bool] = {}


def forget_tables() -> None:
    """Ask the database again whether it has the landing table (after migrating to or from it); forget the
    reserved blocks too (a sequence made anew starts again)."""
    _tables.clear()
    _reserved.forget()


class _Reserved:
    """The blocks this process may fill, per database: ``BLOCKS_PER_VALUE`` for each value of the block sequence.

    A block is used once, by one request's rows of one Datastream, and never shared. Blocks left unused when a
    process ends are lost ids, no more: the sequence has room for 2**53 - 2**50 of them. A forked child starts
    with an empty reserve, so it never fills its parent's blocks."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._free: dict[str, list[int]] = {}
        os.register_at_fork(after_in_child=self._empty)

    def take(self, count: int, cursor: Any) -> list[int]:
        database = str(connection.settings_dict["NAME"])
        with self._lock:
            free = self._free.setdefault(database, [])
            while len(free) < count:
                _logged(cursor, f"SELECT nextval('{BLOCK_SEQUENCE}')", [])
                first = int(cursor.fetchone()[0])
                free.extend(range(first, first + BLOCK * BLOCKS_PER_VALUE, BLOCK))
            taken = free[:count]
            del free[:count]
            return taken

    def forget(self) -> None:
        with self._lock:
            self._free.clear()

    def _empty(self) -> None:
        self._lock = threading.Lock()  # another thread of the parent may have held it at the fork
        self._free = {}


_reserved = _Reserved()


class Unstorable(Exception):
    """A time of the batch lies outside ``STORABLE_YEARS``: nothing was landed (the COPY was abandoned)."""


def land(batches: Sequence[tuple[int, int, Sequence[tuple[dt.datetime, float]]]]) -> list[range]:
    """Store (Datastream id, FeatureOfInterest id, [(time, result), …]) batches in the landing table by one
    binary COPY; returns the new ids as ranges, in the order of the rows. In the caller's transaction (which
    then folds, or queues the fold for its commit) or, outside one, as a transaction of its own.

    Each batch fills ``ceil(rows / BLOCK)`` fresh blocks of this process's reserve; its ids are its blocks' ids
    in row order (contiguous within a block).

    Raises :class:`Unstorable` (nothing is landed; a caller's transaction must be rolled back) when a time lies
    outside the storable years. The times are checked after the last row is written and before the COPY ends:
    the database stores rows more slowly than they are written, so the check takes no time of its own."""
    chunks = [
        (ds_id, foi_id, rows[part : part + BLOCK] if len(rows) > BLOCK else rows)
        for ds_id, foi_id, rows in batches
        for part in range(0, len(rows), BLOCK)
    ]
    connection.ensure_connection()  # outside a transaction nothing may have opened it yet
    raw = connection.connection  # psycopg's own cursor: the rows travel as binary
    out: list[range] = []
    with connection.wrap_database_errors, psycopg.Cursor(raw) as cursor:
        blocks = _reserved.take(len(chunks), cursor)
        started = time.perf_counter()
        with cursor.copy(f"COPY {TABLE} ({', '.join(COLUMNS)}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(list(_TYPES))
            write = copy.write_row
            for first, (ds_id, foi_id, rows) in zip(blocks, chunks, strict=True):
                when, value = rows[0]
                write((first, when, value, ds_id, foi_id))  # the block's first row names its owners
                for pk, (when, value) in zip(
                    range(first + 1, first + len(rows)), islice(rows, 1, None), strict=True
                ):
                    write((pk, when, value, None, None))
                out.append(range(first, first + len(rows)))
            if not all(_storable(rows) for _ds, _foi, rows in batches):
                raise Unstorable  # psycopg ends the COPY with an error
        _count(f"COPY {TABLE}", started)
    return out


_time_of = itemgetter(0)


def _storable(rows: Sequence[tuple[dt.datetime, float]]) -> bool:
    """Whether the earliest and the latest time lie in the storable years (a month partition can take them)."""
    return min(map(_time_of, rows)).year in STORABLE_YEARS and max(map(_time_of, rows)).year in STORABLE_YEARS


def _logged(cursor: Any, sql: str, params: Sequence[Any]) -> None:
    started = time.perf_counter()
    cursor.execute(sql, params, binary=True)
    _count(sql, started)


def _count(sql: str, started: float) -> None:
    """Counted like every statement of Django's own cursors (query-count tests, the debug toolbar)."""
    if connection.queries_logged:
        connection.queries_log.append({"sql": sql, "time": f"{time.perf_counter() - started:.3f}"})


def fold_mode() -> str:
    return str(getattr(settings, "SENSING_FOLD", "inline"))


@dataclass(frozen=True)
class Folded:
    rows: int  # moved into the observation table
    dropped: int  # whose Datastream or FeatureOfInterest had been deleted


def fold(limit: int = FOLD_ROWS) -> Folded:
    """Move every landed row into the observation table (in transactions of at most ``limit`` rows)."""
    if not available():
        return Folded(0, 0)
    if not _partitions_first():
        return Folded(0, 0)  # nothing landed: one statement
    moved = dropped = 0
    while True:
        rows, lost = _fold_once(limit)
        moved, dropped = moved + rows, dropped + lost
        if rows + lost < limit:
            return Folded(moved, dropped)


def _partitions_first() -> bool:
    """The month partitions of the landed rows, before the fold takes any lock: creating a partition locks the
    tables its foreign keys point to, and a folder already holding row locks there could deadlock with a writer
    (the same reason the HTTP write paths create partitions before their transaction, ``partitions.py``).
    False: nothing has landed."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT array_agg(DISTINCT date_trunc('month', phenomenon_time_start AT TIME ZONE 'UTC')::date) "  # noqa: S608
            f"FROM {TABLE}"
        )
        months = cursor.fetchone()[0]
    if months:
        partitions.ensure_months(months)
    return bool(months)


class _Stream(NamedTuple):
    """What one fold statement reports per Datastream."""

    ds_id: int
    first: dt.datetime
    last: dt.datetime
    lowest: float
    highest: float
    features: list[int]


def _fold_once(limit: int) -> tuple[int, int]:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_FOLD_LOCK])
        # the batch: whole blocks (those of the first ``limit`` rows) taken out of the landing table into a
        # temporary one, each row with the owners it or its block's first row names (rows landed before
        # migration 0007 name their own; a row without any, which a committed block cannot have, would be dropped
        # below with the orphans); the roll-up locks below are taken for exactly its Datastreams (rows landing
        # meanwhile wait for the next turn)
        cursor.execute(
            "CREATE TEMPORARY TABLE sensing_fold_batch (id bigint, ds bigint, foi bigint, "
            "t timestamptz, v double precision) ON COMMIT DROP"
        )
        cursor.execute(
            f"WITH moved AS (DELETE FROM {TABLE} WHERE id - id %% {BLOCK} IN "  # noqa: S608 – constant names
            f"(SELECT id - id %% {BLOCK} FROM {TABLE} LIMIT %s) RETURNING {', '.join(COLUMNS)}), "
            "owner AS (SELECT id, datastream_id, feature_of_interest_id FROM moved WHERE datastream_id IS NOT NULL) "
            "INSERT INTO sensing_fold_batch SELECT m.id, COALESCE(m.datastream_id, o.datastream_id), "
            "COALESCE(m.feature_of_interest_id, o.feature_of_interest_id), "
            f"m.phenomenon_time_start, m.result_number FROM moved m LEFT JOIN owner o ON o.id = m.id - m.id %% {BLOCK}",
            [limit],
        )
        taken = cursor.rowcount
        if not taken:
            cursor.execute("DROP TABLE sensing_fold_batch")
            return 0, 0
        # rows whose Datastream or generated FeatureOfInterest is gone: dropped, as the deletion removes them;
        # the Datastreams and months are read from the batch as it was (a harmless superset)
        cursor.execute(
            f"WITH gone AS (DELETE FROM sensing_fold_batch b WHERE NOT EXISTS (SELECT 1 FROM {DATASTREAMS} d "  # noqa: S608
            f"WHERE d.id = b.ds) OR NOT EXISTS (SELECT 1 FROM {FEATURES} f WHERE f.id = b.foi) RETURNING 1) "
            "SELECT (SELECT count(*) FROM gone), array_agg(DISTINCT ds ORDER BY ds), "
            "array_agg(DISTINCT date_trunc('month', t AT TIME ZONE 'UTC')::date) FROM sensing_fold_batch"
        )
        lost, streams, months = cursor.fetchone()
        if lost == taken:
            cursor.execute("DROP TABLE sensing_fold_batch")
            return 0, lost
        partitions.ensure_months(months)
        # the adders' roll-up locks, in id order like every writer
        cursor.execute(
            f"SELECT count({rollups.shared_lock_of('ds')}) FROM (SELECT unnest(%s::int8[]) AS ds ORDER BY 1) AS s",  # noqa: S608
            [streams],
        )
        cursor.execute(_fold_statement())
        reports = [_Stream._make(row) for row in cursor.fetchall()]
        notify = _rows_for_mqtt(cursor)
        cursor.execute(
            "DROP TABLE sensing_fold_batch"
        )  # also inside an outer transaction (ON COMMIT is later)
    _after(reports, notify)
    return taken - lost, lost


def _fold_statement() -> str:
    hours = rollups.upsert_sql(
        f"SELECT ds, {_HOUR}, count(*), sum(v), min(v), max(v) FROM sensing_fold_batch GROUP BY 1, 2 ORDER BY 1, 2"  # noqa: S608
    )
    return (
        f"WITH o AS (INSERT INTO {OBS} (id, datastream_id, feature_of_interest_id, phenomenon_time_start, "  # noqa: S608 – constant names
        # in the order of the (datastream, time, id) index: the b-trees fill page after page as they would from
        # a sensor's own stream, instead of splitting pages half-full wherever the landing table's order leads
        "result_number) SELECT id, ds, foi, t, v FROM sensing_fold_batch ORDER BY ds, t, id), "
        f"h AS ({hours} RETURNING 1 AS done), "
        "s AS (SELECT ds, min(t) AS lo, max(t) AS hi, min(v) AS vlo, max(v) AS vhi, "
        "array_agg(DISTINCT foi) AS features FROM sensing_fold_batch GROUP BY ds), "
        # after the roll-up rows, like every other writer: no deadlock between them
        f"d AS (UPDATE {DATASTREAMS} AS x SET "
        "phenomenon_time_start = LEAST(COALESCE(x.phenomenon_time_start, s.lo), s.lo), "
        "phenomenon_time_end = GREATEST(COALESCE(x.phenomenon_time_end, s.hi), s.hi) "
        "FROM s, (SELECT count(*) FROM h) AS done WHERE x.id = s.ds "
        "AND (x.phenomenon_time_start IS NULL OR s.lo < x.phenomenon_time_start OR x.phenomenon_time_end IS NULL "
        "OR s.hi > x.phenomenon_time_end)) "
        "SELECT ds, lo, hi, vlo, vhi, features FROM s ORDER BY ds"
    )


def _rows_for_mqtt(cursor: Any) -> list[tuple[int, Row]]:
    if not settings.MQTT_URL:
        return []
    cursor.execute("SELECT id, ds, foi, t, v FROM sensing_fold_batch ORDER BY id")
    return [(pk, Row(ds, foi, t, result_number=v)) for pk, ds, foi, t, v in cursor.fetchall()]


def _after(reports: list[_Stream], notify: list[tuple[int, Row]]) -> None:
    """After the fold's commit: the observedArea, the ingest hooks and the MQTT subscribers."""
    observed_area.note((r.ds_id, foi) for r in reports for foi in r.features)
    ingest_hook_registry.observations_written(
        {r.ds_id: (r.first, r.last) for r in reports},
        {r.ds_id: (float(r.lowest), float(r.highest)) for r in reports},
    )
    if notify:
        from konzeptk.sensing import mqtt_publish

        transaction.on_commit(lambda: mqtt_publish.publish_messages(mqtt_publish.row_notifications(notify)))


def find(pk: int) -> m.Observation | None:
    """A landed observation not yet folded, as an unsaved model instance (for ``GET Observations(id)``)."""
    if pk < FIRST_LANDED_ID or not available():
        return None
    block = pk - pk % BLOCK
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, phenomenon_time_start, result_number, datastream_id, feature_of_interest_id "  # noqa: S608
            f"FROM {TABLE} WHERE id IN (%s, %s)",
            [pk, block],
        )
        rows = {row[0]: row for row in cursor.fetchall()}
    row = rows.get(pk)
    owner = row if row is not None and row[3] is not None else rows.get(block)  # it or its block's first row
    if row is None or owner is None:
        return None
    return m.Observation(
        id=pk,
        datastream_id=owner[3],
        feature_of_interest_id=owner[4],
        phenomenon_time_start=row[1],
        result_number=row[2],
    )


def pending() -> int:
    """Landed rows not yet folded."""
    if not available():
        return 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {TABLE}")  # noqa: S608 – constant name
        return int(cursor.fetchone()[0])
