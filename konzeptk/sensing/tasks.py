"""Celery tasks of the urban data platform (scheduled in ``settings.CELERY_BEAT_SCHEDULE``).

``konzeptk rebuild_rollups`` has no task on purpose: it is a repair tool (after edits in the admin or
raw SQL); every write path keeps the hourly roll-ups current, and a rebuild keeps the hours of months
removed by retention.
"""

from __future__ import annotations

import time

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


def queue_fold() -> None:
    """After a landing commit (``SENSING_FOLD`` ``celery``): queue :func:`fold_landed` to run
    ``SENSING_FOLD_DELAY`` seconds later. A process queues one fold per such window: the commits of the window
    are all visible to that fold (each finished before the fold can start), so a burst of requests is folded in
    a few large transactions instead of one task per request, and the fold does not compete with the burst for
    the CPU."""
    from django.conf import settings

    global _queued_until
    if fold_landed.app.conf.task_always_eager:  # a task run at once cannot wait: no window (the tests)
        fold_landed.delay()
        return
    now = time.monotonic()
    if now < _queued_until:
        return
    delay = float(getattr(settings, "SENSING_FOLD_DELAY", 1.0))
    _queued_until = now + delay
    fold_landed.apply_async(countdown=delay)


_queued_until = 0.0  # this process has queued a fold that starts at this time (monotonic clock)


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
