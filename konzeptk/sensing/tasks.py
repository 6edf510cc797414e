"""Celery tasks of the urban data platform (scheduled in ``settings.CELERY_BEAT_SCHEDULE``).

``konzeptk rebuild_rollups`` has no task on purpose: it is a repair tool (after edits in the admin or
raw SQL); every write path keeps the hourly roll-ups current, and a rebuild keeps the hours of months
removed by retention.
"""

from __future__ import annotations

from celery import shared_task


@shared_task(name="sensing.partitions_ahead", acks_late=True, soft_time_limit=120, time_limit=180)
def partitions_ahead() -> list[str]:
    """Create the observation partitions of this month and the next ones (PostgreSQL; elsewhere
    nothing to do), as ``konzeptk migrate`` and ``prune_observations`` do. Returns the new ones."""
    from konzeptk.sensing import partitions

    return partitions.ensure_ahead()


@shared_task(name="sensing.fold_landed", acks_late=True, soft_time_limit=600, time_limit=660)
def fold_landed() -> int:
    """Move the observations CreateObservations has landed into the observation table (``landing.py``);
    queued by every landing commit when ``SENSING_FOLD`` is ``celery``, and by beat every minute as a safety
    net. Folders take turns; one with nothing to do costs one statement. Returns the rows moved."""
    from konzeptk.sensing import landing

    return landing.fold().rows


@shared_task(name="sensing.prune_observations", acks_late=True, soft_time_limit=3600, time_limit=3660)
def prune_observations(keep_months: int, archive: str | None = None) -> int:
    """``konzeptk prune_observations --keep-months N [--archive DIR]``: remove raw observations older than
    the current month and ``keep_months`` months before it, keeping their hourly roll-ups; with an archive
    folder (``archive`` or ``KONZEPTK_SENSING_ARCHIVE_DIR``) each month is first written to a verified
    Parquet file there. Idempotent. Scheduled only when ``KONZEPTK_SENSING_KEEP_MONTHS`` is set. Returns
    the number of rows removed."""
    from pathlib import Path

    from django.conf import settings

    from konzeptk.sensing.retention import observations_prune

    folder = archive if archive is not None else settings.SENSING_ARCHIVE_DIR
    return observations_prune(keep_months=keep_months, archive=Path(folder) if folder else None).rows
