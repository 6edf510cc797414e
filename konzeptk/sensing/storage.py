"""Fast observation inserts: ``executemany`` on SQLite, ``COPY`` on PostgreSQL, ids assigned up front.

Django's ``bulk_create`` prepares every value through the field machinery and splits SQLite
batches at the parameter limit; for millions of rows that costs more than the database itself.
Ids are taken before the insert (SQLite: max(id) under the write lock of the transaction;
PostgreSQL: ``nextval`` of the sequence), so callers get the ids without ``RETURNING``.
Must run inside ``transaction.atomic``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any, NamedTuple

from django.db import IntegrityError, connection, transaction

from konzeptk.sensing import observed_area, partitions, rollups
from konzeptk.sensing.models import Observation

TABLE = Observation._meta.db_table
COLUMNS = (
    "id", "datastream_id", "feature_of_interest_id", "phenomenon_time_start", "phenomenon_time_end", "result_time",
    "result_number", "result_json", "result_quality", "valid_time_start", "valid_time_end", "parameters",
)  # fmt: skip
# PostgreSQL types of COLUMNS, for binary COPY
PG_TYPES = [
    "int8", "int8", "int8", "timestamptz", "timestamptz", "timestamptz",
    "float8", "jsonb", "jsonb", "timestamptz", "timestamptz", "jsonb",
]  # fmt: skip


_sequence: dict[str, str] = {}  # database name → the id sequence of the observation table


def sequence_name() -> str:
    """The id sequence of the observation table (PostgreSQL), looked up once per process and database:
    pg_get_serial_sequence per row made inserts 4–6× slower."""
    database = str(connection.settings_dict["NAME"])
    sequence = _sequence.get(database)
    if sequence is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [TABLE])
            sequence = _sequence[database] = cursor.fetchone()[0]
    return sequence


def _reserve_ids(count: int) -> list[int]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sequence = sequence_name()
            cursor.execute(
                "SELECT array_agg(nextval(%s::regclass)) FROM generate_series(1, %s)", [sequence, count]
            )
            return list(cursor.fetchone()[0])
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {TABLE}")  # noqa: S608 – constant table name
        start = int(cursor.fetchone()[0]) + 1
        return list(range(start, start + count))


class Row(NamedTuple):
    """One observation to insert, without the Django model overhead."""

    datastream_id: int
    feature_of_interest_id: int | None
    phenomenon_time_start: dt.datetime
    phenomenon_time_end: dt.datetime | None = None
    result_time: dt.datetime | None = None
    result_number: float | None = None
    result_json: Any = None
    result_quality: Any = None
    valid_time_start: dt.datetime | None = None
    valid_time_end: dt.datetime | None = None
    parameters: dict[str, Any] | None = None


def insert_rows(rows: Sequence[Row]) -> list[int]:
    """Insert observation rows and refresh their hourly roll-ups; returns their ids in order."""
    if not rows:
        return []
    partitions.ensure_for(r.phenomenon_time_start for r in rows)
    ids = _reserve_ids(len(rows))
    if connection.vendor == "postgresql":
        try:
            with transaction.atomic():  # a savepoint, so a stale partition cache can be repaired below
                _copy(ids, rows)
        except IntegrityError as exc:
            if "no partition" not in str(exc):
                raise
            # another process dropped a partition (retention) that this one still thought existed
            partitions.forget_cache()
            partitions.ensure_for(r.phenomenon_time_start for r in rows)
            _copy(ids, rows)
    else:
        _executemany(ids, rows)
    rollups.add_rows((r.datastream_id, r.phenomenon_time_start, r.result_number) for r in rows)
    observed_area.note(
        {(r.datastream_id, r.feature_of_interest_id) for r in rows}
    )  # no query for known pairs
    return ids


def _copy(ids: list[int], rows: Sequence[Row]) -> None:
    """Binary COPY: psycopg converts each value in C (about 4× faster than text COPY on the client side);
    the JSON columns take the Python objects themselves."""
    columns = ", ".join(COLUMNS)
    with (  # wrap_database_errors: psycopg's errors of the raw COPY become Django's (IntegrityError, DataError …)
        connection.wrap_database_errors,
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {TABLE} ({columns}) FROM STDIN (FORMAT BINARY)") as copy,
    ):
        copy.set_types(PG_TYPES)
        write = copy.write_row
        for pk, r in zip(ids, rows, strict=True):
            write((pk, *r))


def _executemany(ids: list[int], rows: Sequence[Row]) -> None:
    dumps = json.dumps
    values = [
        (
            pk,
            r.datastream_id,
            r.feature_of_interest_id,
            _sqlite_datetime(r.phenomenon_time_start),
            _sqlite_datetime(r.phenomenon_time_end),
            _sqlite_datetime(r.result_time),
            r.result_number,
            None if r.result_json is None else dumps(r.result_json),
            None if r.result_quality is None else dumps(r.result_quality),
            _sqlite_datetime(r.valid_time_start),
            _sqlite_datetime(r.valid_time_end),
            None if r.parameters is None else dumps(r.parameters),
        )
        for pk, r in zip(ids, rows, strict=True)
    ]
    columns = ", ".join(COLUMNS)
    placeholders = ", ".join(["%s"] * len(COLUMNS))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {TABLE} ({columns}) VALUES ({placeholders})", values)  # noqa: S608


def _sqlite_datetime(value: dt.datetime | None) -> str | None:
    """What Django's SQLite backend stores: naive UTC text."""
    if value is None:
        return None
    return str(value.astimezone(dt.UTC).replace(tzinfo=None))


def insert_observations(observations: Sequence[Observation]) -> None:
    """Insert unsaved model instances and set their ``pk``."""
    rows = [Row(*(getattr(o, name) for name in Row._fields)) for o in observations]
    for pk, o in zip(insert_rows(rows), observations, strict=True):
        o.pk = pk
        o._state.adding = False
        o._state.db = connection.alias
