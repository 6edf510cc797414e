"""Celery tasks of the strategy room (scheduled in ``settings.CELERY_BEAT_SCHEDULE``)."""

from __future__ import annotations

import contextlib

from celery import shared_task
from django.core.cache import cache

from konzeptk.strategy.services import REFRESH_DISPATCHED_KEY, indicators_refresh, indicators_refresh_all


@shared_task(name="strategy.refresh_indicators", acks_late=True, soft_time_limit=600, time_limit=660)
def refresh_indicators(force: bool = False) -> int:
    """``konzeptk refresh_indicators``: update the indicators bound to data series of the urban data
    platform; returns how many bindings were looked at. Idempotent (without ``force`` a binding
    without new observations is left as it is)."""
    return len(indicators_refresh_all(force=force))


@shared_task(name="strategy.refresh_indicator", acks_late=True, soft_time_limit=300, time_limit=330)
def refresh_indicator(indicator_id: int) -> int:
    """Refresh one indicator whose page found new observations (sent by
    :func:`konzeptk.strategy.background.enqueue`); idempotent. Returns 1 when it is bound, else 0.
    From its start on, page views may send a new task for the indicator."""
    with contextlib.suppress(Exception):
        cache.delete(REFRESH_DISPATCHED_KEY.format(indicator_id))
    return indicators_refresh(indicator_ids=[indicator_id])
