"""Celery tasks of the insights room (scheduled in ``settings.CELERY_BEAT_SCHEDULE``; the first one is
also sent after votes, see :mod:`konzeptk.insights.background`)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="insights.recompute_pending", acks_late=True, soft_time_limit=600, time_limit=660)
def recompute_pending() -> list[int]:
    """Recompute every stale Meinungsbild phase and take today's missing representation snapshots
    (what ``konzeptk recompute_insights`` does between its runs); returns the recomputed phases."""
    from konzeptk.insights import background

    background.dispatched()
    return background.run_pending()


@shared_task(name="insights.representation_snapshots", acks_late=True, soft_time_limit=600, time_limit=660)
def representation_snapshots() -> int:
    """Today's representation snapshot of every running process and of the platform, replacing the
    one taken earlier today (idempotent per day), as ``konzeptk recompute_insights`` does first.
    Returns the number of snapshots."""
    from konzeptk.insights import services

    return services.representation_snapshots_take()
