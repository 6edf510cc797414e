"""Monthly partitions of the observation table on PostgreSQL (declarative range partitioning).

``sensing_observation`` is ``PARTITION BY RANGE (phenomenon_time_start)`` with one partition per UTC month
(``sensing_observation_y2024m07``), b-trees on (time, id) and on (datastream, time, id) (before migrations 0004
and 0005: BRIN on time and a b-tree on (datastream, time)). Django cannot declare partitioned tables, so
migration 0003 converts the table with :func:`convert_to_partitioned` (PostgreSQL only; SQLite keeps the same
columns and b-trees, without partitions). The ORM model is unchanged: the primary key of the table is (id, phenomenon_time_start), ids still come from one sequence.

Partitions are created, never by per-row triggers, but
- at ``migrate`` (the months of existing rows, the current month and :data:`AHEAD` months ahead),
- by every write path before it inserts (:func:`ensure_for`: one catalogue query for months not yet
  known to this process, ``CREATE TABLE … PARTITION OF`` under an advisory lock for missing ones),
- by ``konzeptk prune_observations`` (which also applies the retention, see there).
There is deliberately no DEFAULT partition: a row whose month has no partition fails loudly instead of
landing in a catch-all table that later blocks creating that month's partition.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import time
from collections.abc import Iterable
from typing import Any

from django.db import connection as default_connection
from django.db import transaction

from konzeptk.sensing.odata.errors import ParseError
from konzeptk.sensing.timeutil import STORABLE_YEARS, parse_time_value

TABLE = "sensing_observation"
AHEAD = 3  # months created ahead of the current one
_NAME = re.compile(r"^sensing_observation_y(\d{4})m(\d{2})$")
_LOCK_KEY = 0x5E_05_1A  # advisory lock serialising partition creation
_CACHE_SECONDS = 60.0  # a partition dropped by retention is noticed by other processes within a minute
_known: dict[str, float] = {}
_MAX_TIMES = 10_000  # phenomenon times read from one payload (as many as entities in a deep insert)
# b-tree indexes of the observation table by migration state (name → columns)
BTREES = {
    "sensing_obs_ds_time": "(datastream_id, phenomenon_time_start)",  # 0001–0004
    "sensing_obs_ds_time_id": "(datastream_id, phenomenon_time_start, id)",  # 0005
    "sensing_obs_time_id": "(phenomenon_time_start, id)",  # 0004
}


def month_start(value: dt.datetime) -> dt.date:
    value = value.astimezone(dt.UTC)
    return dt.date(value.year, value.month, 1)


def next_month(month: dt.date) -> dt.date:
    return dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def partition_name(month: dt.date) -> str:
    return f"{TABLE}_y{month.year:04d}m{month.month:02d}"


def month_of(name: str) -> dt.date | None:
    match = _NAME.match(name)
    return dt.date(int(match.group(1)), int(match.group(2)), 1) if match else None


def _bound(month: dt.date) -> str:
    return f"{month.isoformat()} 00:00:00+00"


def is_partitioned(connection: Any = None) -> bool:
    connection = connection or default_connection
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_partitioned_table WHERE partrelid = to_regclass(%s)", [TABLE])
        return cursor.fetchone() is not None


def existing(connection: Any = None) -> list[tuple[dt.date, str]]:
    """(month, partition name) of the attached monthly partitions, oldest first."""
    connection = connection or default_connection
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = to_regclass(%s)",
            [TABLE],
        )
        names = [row[0] for row in cursor.fetchall()]
    return sorted((month, name) for name in names if (month := month_of(name)) is not None)


def _create(cursor: Any, months: Iterable[dt.date]) -> list[str]:
    created: list[str] = []
    months = sorted(set(months))
    if not months:
        return created
    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
    for month in months:
        name = partition_name(month)
        # pg_class through the statement's snapshot: to_regclass may answer from a catalog snapshot taken
        # before another process committed the same partition while this one waited for the lock
        cursor.execute(
            "SELECT NOT EXISTS (SELECT 1 FROM pg_class WHERE relname = %s "
            "AND relnamespace = current_schema()::regnamespace)",
            [name],
        )
        if cursor.fetchone()[0]:
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {name} PARTITION OF {TABLE} "
                f"FOR VALUES FROM ('{_bound(month)}') TO ('{_bound(next_month(month))}')"
            )
            created.append(name)
    return created


def ensure_months(months: Iterable[dt.date], connection: Any = None) -> list[str]:
    """Create the missing partitions of the given months; returns the names created. Cheap when all exist."""
    connection = connection or default_connection
    if connection.vendor != "postgresql":
        return []
    now = time.monotonic()
    wanted = {partition_name(month): month for month in months}
    unknown = [name for name in wanted if _known.get(name, 0.0) < now]
    if not unknown:
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT n FROM unnest(%s::text[]) AS n WHERE to_regclass(n) IS NULL", [unknown])
        missing = [wanted[row[0]] for row in cursor.fetchall()]
        if missing and not is_partitioned(connection):
            return []
        # in a transaction (a savepoint inside the caller's), so the advisory lock of _create is held until
        # the partitions are committed also when the caller runs in autocommit mode
        with transaction.atomic(using=connection.alias):
            created = _create(cursor, missing)

    def remember() -> None:
        until = time.monotonic() + _CACHE_SECONDS
        for name in unknown:
            _known[name] = until

    # Known only once committed: a rolled-back transaction takes its new partitions with it.
    transaction.on_commit(remember, using=connection.alias)
    return created


def ensure_for(times: Iterable[dt.datetime], connection: Any = None) -> list[str]:
    """Partitions for the months of these phenomenon times (call before inserting them)."""
    connection = connection or default_connection
    if connection.vendor != "postgresql":
        return []
    return ensure_months({month_start(t) for t in times}, connection)


def _phenomenon_times(data: Any, found: list[dt.datetime], depth: int = 0) -> None:
    if depth > 8 or len(found) > _MAX_TIMES:
        return
    if isinstance(data, list):
        for item in data:
            _phenomenon_times(item, found, depth + 1)
    elif isinstance(data, dict):
        for key, value in data.items():
            if key == "phenomenonTime" and isinstance(value, str):
                with contextlib.suppress(ParseError):  # refused with its message when the entity is converted
                    found.append(parse_time_value(value)[0])
            elif isinstance(value, dict | list):
                _phenomenon_times(value, found, depth + 1)


def ensure_for_payload(data: Any) -> None:
    """Create the month partitions a payload's observations need before the write's transaction begins.

    ``CREATE TABLE … PARTITION OF`` locks the tables the partition's foreign keys point to; a writer that
    already holds a lock on them (it inserted a FeatureOfInterest, updated a Datastream) and then waits for the
    partition lock deadlocks with the creator. Done first, in its own transaction, it holds nothing else.
    Inside an outer transaction this is what ``Observation.save`` would do anyway.
    """
    times: list[dt.datetime] = []
    _phenomenon_times(data, times)
    storable = [t for t in times if t.year in STORABLE_YEARS]
    if storable:
        ensure_for(storable)


def ensure_ahead(connection: Any = None, ahead: int = AHEAD) -> list[str]:
    """The current month and ``ahead`` months after it."""
    current = month_start(dt.datetime.now(dt.UTC))
    return ensure_months([add_months(current, i) for i in range(ahead + 1)], connection)


def forget_cache() -> None:
    _known.clear()


def convert_to_partitioned(schema_editor: Any) -> None:
    """Turn the plain observation table into the partitioned one, keeping rows, ids and constraints.

    Used by migration 0003 and by the benchmark's temporary database. PostgreSQL only.
    """
    connection = schema_editor.connection
    if connection.vendor != "postgresql" or is_partitioned(connection):
        return
    from django.apps import apps

    feature_index = schema_editor._create_index_name(TABLE, ["feature_of_interest_id"], suffix="")
    datastream_fk = schema_editor._create_index_name(TABLE, ["datastream_id"], suffix="_fk")
    feature_fk = schema_editor._create_index_name(TABLE, ["feature_of_interest_id"], suffix="_fk")
    datastream_table = apps.get_model("sensing", "Datastream")._meta.db_table
    feature_table = apps.get_model("sensing", "FeatureOfInterest")._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {TABLE} IN ACCESS EXCLUSIVE MODE")
        # The b-trees the table has at this migration state (0004/0005 replaced BRIN and the (datastream, time) one)
        cursor.execute(
            "SELECT n FROM unnest(%s::text[]) AS n WHERE to_regclass(n) IS NOT NULL", [list(BTREES)]
        )
        btrees = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            f"SELECT COALESCE(MAX(id), 0), MIN(phenomenon_time_start), MAX(phenomenon_time_start) FROM {TABLE}"  # noqa: S608
        )
        max_id, first, last = cursor.fetchone()
        cursor.execute(f"ALTER TABLE {TABLE} RENAME TO {TABLE}_plain")
        # LIKE copies the columns, their types and NOT NULL; not the identity, indexes or constraints.
        cursor.execute(
            f"CREATE TABLE {TABLE} (LIKE {TABLE}_plain) PARTITION BY RANGE (phenomenon_time_start)"
        )
        months: set[dt.date] = set()
        if first is not None:
            month, end = month_start(first), month_start(last)
            while month <= end:
                months.add(month)
                month = next_month(month)
        current = month_start(dt.datetime.now(dt.UTC))
        months.update(add_months(current, i) for i in range(AHEAD + 1))
        _create(cursor, months)
        cursor.execute(f"INSERT INTO {TABLE} SELECT * FROM {TABLE}_plain")  # noqa: S608
        cursor.execute(f"DROP TABLE {TABLE}_plain")
        cursor.execute(f"CREATE SEQUENCE {TABLE}_id_seq OWNED BY {TABLE}.id")
        cursor.execute("SELECT setval(%s, %s, false)", [f"{TABLE}_id_seq", max_id + 1])
        cursor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN id SET DEFAULT nextval('{TABLE}_id_seq')")
        cursor.execute(
            f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY (id, phenomenon_time_start)"
        )
        for name in btrees:
            cursor.execute(f"CREATE INDEX {name} ON {TABLE} {BTREES[name]}")
        if "sensing_obs_time_id" not in btrees:
            cursor.execute(
                f"CREATE INDEX sensing_obs_time_brin ON {TABLE} USING brin (phenomenon_time_start)"
            )
        cursor.execute(f"CREATE INDEX {feature_index} ON {TABLE} (feature_of_interest_id)")
        cursor.execute(
            f"ALTER TABLE {TABLE} ADD CONSTRAINT {datastream_fk} FOREIGN KEY (datastream_id) "
            f"REFERENCES {datastream_table} (id) DEFERRABLE INITIALLY DEFERRED"
        )
        cursor.execute(
            f"ALTER TABLE {TABLE} ADD CONSTRAINT {feature_fk} FOREIGN KEY (feature_of_interest_id) "
            f"REFERENCES {feature_table} (id) DEFERRABLE INITIALLY DEFERRED"
        )
    forget_cache()


def convert_to_plain(schema_editor: Any, model: Any) -> None:
    """Reverse of :func:`convert_to_partitioned`: the table as Django would create it, rows and ids kept."""
    connection = schema_editor.connection
    if not is_partitioned(connection):
        return
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {TABLE} RENAME TO {TABLE}_partitioned")
        cursor.execute(
            f"ALTER TABLE {TABLE}_partitioned RENAME CONSTRAINT {TABLE}_pkey TO {TABLE}_partitioned_pkey"
        )
        for name in BTREES:
            cursor.execute(f"ALTER INDEX IF EXISTS {name} RENAME TO {name}_partitioned")
        feature_index = schema_editor._create_index_name(TABLE, ["feature_of_interest_id"], suffix="")
        cursor.execute(f"ALTER INDEX {feature_index} RENAME TO sensing_obs_foi_partitioned")
    schema_editor.create_model(model)
    with connection.cursor() as cursor:
        columns = ", ".join(f.column for f in model._meta.local_concrete_fields)
        cursor.execute(
            f"INSERT INTO {TABLE} ({columns}) OVERRIDING SYSTEM VALUE "  # noqa: S608
            f"SELECT {columns} FROM {TABLE}_partitioned"
        )
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), "  # noqa: S608 – constant table name
            f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {TABLE}), false)",
            [TABLE],
        )
        cursor.execute(f"DROP TABLE {TABLE}_partitioned CASCADE")
    forget_cache()
