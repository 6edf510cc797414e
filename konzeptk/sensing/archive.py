"""Parquet archive of raw observations, written by retention before a month leaves the database.

``konzeptk prune_observations --keep-months N --archive DIR`` writes one Parquet file per month
(``observations-2024-07.parquet``) with every column of ``sensing_observation`` (ids, datastream,
feature of interest, phenomenon/result/valid times in UTC, numeric result, the JSON columns as JSON
text). The file is written to a temporary name in DIR, read back and compared with the database
(row count, sum of ids, first and last time) and only then renamed to its final name; the month is
removed from the database afterwards, in the same transaction. If anything differs, :class:`ArchiveError`
is raised and the transaction (roll-ups included) is rolled back, so nothing is removed.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from django.db import connection

from konzeptk.sensing import partitions
from konzeptk.sensing.storage import COLUMNS, TABLE

CHUNK = 50_000  # rows per fetch and per row group
_TIME = pa.timestamp("us", tz="UTC")
_JSON_COLUMNS = frozenset(("result_json", "result_quality", "parameters"))
_TIME_COLUMNS = frozenset(
    ("phenomenon_time_start", "phenomenon_time_end", "result_time", "valid_time_start", "valid_time_end")
)
SCHEMA = pa.schema(
    [
        pa.field("id", pa.int64(), nullable=False),
        pa.field("datastream_id", pa.int64(), nullable=False),
        pa.field("feature_of_interest_id", pa.int64()),
        pa.field("phenomenon_time_start", _TIME, nullable=False),
        pa.field("phenomenon_time_end", _TIME),
        pa.field("result_time", _TIME),
        pa.field("result_number", pa.float64()),
        pa.field("result_json", pa.string()),  # JSON text
        pa.field("result_quality", pa.string()),  # JSON text
        pa.field("valid_time_start", _TIME),
        pa.field("valid_time_end", _TIME),
        pa.field("parameters", pa.string()),  # JSON text
    ],
    metadata={"source": "konzeptk sensing_observation", "times": "UTC"},
)
assert tuple(SCHEMA.names) == COLUMNS  # the archive has exactly the table's columns


class ArchiveError(RuntimeError):
    """The written file does not match the database: nothing may be removed."""


@dataclass(frozen=True)
class Fingerprint:
    rows: int
    id_sum: int
    first: dt.datetime | None
    last: dt.datetime | None


@dataclass(frozen=True)
class ArchivedMonth:
    month: dt.date
    path: Path
    rows: int


def file_name(month: dt.date) -> str:
    return f"observations-{month.year:04d}-{month.month:02d}.parquet"


def _bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    following = partitions.next_month(month)
    return (
        dt.datetime(month.year, month.month, 1, tzinfo=dt.UTC),
        dt.datetime(following.year, following.month, 1, tzinfo=dt.UTC),
    )


def _utc(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, str):  # SQLite without converters
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:  # Django keeps UTC in SQLite, without offset
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def _json_text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _db_fingerprint(month: dt.date) -> Fingerprint:
    start, end = _bounds(month)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*), COALESCE(SUM(id), 0), MIN(phenomenon_time_start), MAX(phenomenon_time_start) "  # noqa: S608
            f"FROM {TABLE} WHERE phenomenon_time_start >= %s AND phenomenon_time_start < %s",
            [start, end],
        )
        rows, id_sum, first, last = cursor.fetchone()
    return Fingerprint(int(rows), int(id_sum), _utc(first), _utc(last))


def _batches(month: dt.date) -> Iterator[pa.RecordBatch]:
    start, end = _bounds(month)
    columns = ", ".join(COLUMNS)
    with connection.chunked_cursor() as cursor:  # server-side cursor on PostgreSQL
        cursor.execute(
            f"SELECT {columns} FROM {TABLE} "  # noqa: S608 – constant names
            "WHERE phenomenon_time_start >= %s AND phenomenon_time_start < %s ORDER BY id",
            [start, end],
        )
        while chunk := cursor.fetchmany(CHUNK):
            arrays = []
            for index, name in enumerate(COLUMNS):
                values = [row[index] for row in chunk]
                if name in _TIME_COLUMNS:
                    values = [_utc(v) for v in values]
                elif name in _JSON_COLUMNS:
                    values = [_json_text(v) for v in values]
                arrays.append(pa.array(values, type=SCHEMA.field(name).type))
            yield pa.RecordBatch.from_arrays(arrays, schema=SCHEMA)


def file_fingerprint(path: Path) -> Fingerprint:
    """Read the written file back (not only its footer) and describe it like the database rows."""
    table = pq.read_table(path, columns=["id", "phenomenon_time_start"])
    if table.num_rows == 0:
        return Fingerprint(0, 0, None, None)
    ids = table.column("id").to_pylist()
    times = table.column("phenomenon_time_start").to_pylist()
    return Fingerprint(len(ids), sum(ids), _utc(min(times)), _utc(max(times)))


def lock_month(month: dt.date) -> None:
    """Keep writers out of the month until the transaction ends (PostgreSQL partition; SQLite's
    transactions already hold the write lock)."""
    if partitions.is_partitioned():
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {partitions.partition_name(month)} IN SHARE MODE")


def archive_month(*, month: dt.date, directory: Path) -> ArchivedMonth:
    """Write the month's raw observations to ``directory`` and verify the file; call inside the transaction
    that then removes the month (after :func:`lock_month`)."""
    directory.mkdir(parents=True, exist_ok=True)
    expected = _db_fingerprint(month)
    target = directory / file_name(month)
    fd, tmp_name = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        with pq.ParquetWriter(tmp, SCHEMA, compression="zstd") as writer:
            for batch in _batches(month):
                writer.write_batch(batch, row_group_size=CHUNK)
        found = file_fingerprint(tmp)
        if found != expected:
            raise ArchiveError(
                f"Archiv {target.name} stimmt nicht mit der Datenbank überein "
                f"({found.rows} statt {expected.rows} Zeilen); nichts wurde gelöscht."
            )
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)
    return ArchivedMonth(month, target, expected.rows)


def months_with_rows(cutoff: dt.datetime) -> list[dt.date]:
    """The months before ``cutoff`` that hold raw observations, oldest first."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT DISTINCT date_trunc('month', phenomenon_time_start AT TIME ZONE 'UTC')::date "  # noqa: S608
                f"FROM {TABLE} WHERE phenomenon_time_start < %s",
                [cutoff],
            )
            return sorted(row[0] for row in cursor.fetchall())
        # SQLite keeps UTC as text 'YYYY-MM-DD HH:MM:SS'
        cursor.execute(
            f"SELECT DISTINCT substr(phenomenon_time_start, 1, 7) FROM {TABLE} "  # noqa: S608
            "WHERE phenomenon_time_start < %s",
            [cutoff],
        )
        return sorted(dt.date(int(v[:4]), int(v[5:7]), 1) for (v,) in cursor.fetchall())
