"""Celery tasks of the strategy room (scheduled in ``settings.CELERY_BEAT_SCHEDULE``)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="strategy.refresh_indicators", acks_late=True, soft_time_limit=600, time_limit=660)
def refresh_indicators(force: bool = False) -> int:
    """``konzeptk refresh_indicators``: update the indicators bound to data series of the urban data
    platform; returns how many bindings were looked at. Idempotent (without ``force`` a binding
    without new observations is left as it is)."""
    from konzeptk.strategy.services import indicators_refresh_all

    return len(indicators_refresh_all(force=force))


@shared_task(name="strategy.refresh_indicator", acks_late=True, soft_time_limit=300, time_limit=330)
def refresh_indicator(indicator_id: int) -> int:
    """Refresh one indicator whose page found new observations (sent by
    :func:`konzeptk.strategy.background.enqueue`); idempotent. Returns 1 when it is bound, else 0."""
    from konzeptk.strategy import background

    background.dispatched(indicator_id)
    return background.run([indicator_id])
