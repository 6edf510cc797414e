"""Retention and downsampling: raw observations for N months, hourly roll-ups for ever.

``konzeptk prune_observations --keep-months N`` (run e.g. monthly by cron/systemd timer) keeps the raw rows of
the current month and the N months before it. Older raw rows go; their hours stay in ``ObservationHour``
(count, sum, min, max per datastream and UTC hour), so hourly/daily/monthly means, minima, maxima and counts
of the dashboards and indicators stay exact for the whole history. Before anything is removed, the roll-ups
of the pruned range are recomputed from the raw rows (so hours written around the roll-up path, e.g. by raw
SQL, are not lost). On partitioned PostgreSQL whole monthly partitions are detached and dropped (no
``DELETE``, no table bloat); elsewhere the rows are deleted.

With ``archive`` (``--archive DIR``) every month that is removed is first written to a Parquet file in that
directory and verified by reading it back (``archive.py``); if a file does not match the database, nothing
is removed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.db.models import Min

from konzeptk.sensing import archive as parquet_archive
from konzeptk.sensing import models as m
from konzeptk.sensing import partitions, rollups

OBS = m.Observation._meta.db_table


@dataclass
class PruneResult:
    cutoff: dt.datetime
    rows: int = 0
    datastreams: int = 0
    dropped_partitions: list[str] = field(default_factory=list)
    created_partitions: list[str] = field(default_factory=list)
    archived: list[parquet_archive.ArchivedMonth] = field(default_factory=list)
    archive_months: list[dt.date] = field(default_factory=list)


def cutoff_for(keep_months: int, now: dt.datetime | None = None) -> dt.datetime:
    """Start of the oldest month kept: the current UTC month and ``keep_months`` months before it."""
    current = partitions.month_start(now or dt.datetime.now(dt.UTC))
    first = partitions.add_months(current, -keep_months)
    return dt.datetime(first.year, first.month, 1, tzinfo=dt.UTC)


def observations_prune(
    *,
    keep_months: int,
    now: dt.datetime | None = None,
    dry_run: bool = False,
    archive: Path | None = None,
) -> PruneResult:
    """Remove raw observations older than the retention period; roll-ups of their hours are kept.
    With ``archive``, each removed month is first written to a verified Parquet file there
    (:class:`~konzeptk.sensing.archive.ArchiveError` if one does not match: then nothing is removed)."""
    if keep_months < 1:
        raise ValueError("keep_months must be at least 1")
    cutoff = cutoff_for(keep_months, now)
    result = PruneResult(cutoff)
    old = m.Observation.objects.filter(phenomenon_time_start__lt=cutoff)
    with transaction.atomic():
        stats = dict(old.order_by().values_list("datastream_id").annotate(first=Min("phenomenon_time_start")))
        result.datastreams = len(stats)
        result.rows = old.count()
        if archive is not None:
            result.archive_months = parquet_archive.months_with_rows(cutoff)
        if dry_run:
            result.dropped_partitions = [
                name for month, name in partitions.existing() if partitions.next_month(month) <= cutoff.date()
            ]
            return result
        with connection.cursor() as cursor:
            for datastream_id, first in stats.items():
                rollups._recompute(cursor, datastream_id, rollups.floor_hour(first), cutoff)
            if archive is not None:
                for month in result.archive_months:
                    parquet_archive.lock_month(month)
                for month in result.archive_months:
                    result.archived.append(parquet_archive.archive_month(month=month, directory=archive))
            if partitions.is_partitioned():
                cursor.execute(
                    "SET CONSTRAINTS ALL IMMEDIATE"
                )  # no deferred FK checks pending on dropped tables
                for month, name in partitions.existing():
                    if partitions.next_month(month) <= cutoff.date():
                        cursor.execute(f"ALTER TABLE {OBS} DETACH PARTITION {name}")
                        cursor.execute(f"DROP TABLE {name}")
                        result.dropped_partitions.append(name)
                partitions.forget_cache()
            else:
                old._raw_delete(old.db)
        for datastream_id in stats:
            first = (
                m.Observation.objects.filter(datastream_id=datastream_id)
                .order_by("phenomenon_time_start")
                .values_list("phenomenon_time_start", flat=True)
                .first()
            )
            if first is not None:
                m.Datastream.objects.filter(pk=datastream_id).update(phenomenon_time_start=first)
        result.created_partitions = partitions.ensure_ahead()
    return result
