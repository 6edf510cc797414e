"""Celery tasks of the insights room (scheduled in ``settings.CELERY_BEAT_SCHEDULE``; the first one is
also sent after votes, see :mod:`konzeptk.insights.background`).

This module is loaded only where Celery is used (it imports Celery); it calls the services and
nothing above them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from celery import shared_task
from django.core.cache import cache

from konzeptk.insights import services

#: set while an ``insights.recompute_pending`` task waits in the queue (shared by all web processes)
DISPATCHED_KEY = "insights:recompute:dispatched"


def _task(name: str) -> Callable[[Callable[[], object]], Any]:
    """``shared_task`` with the options of this room's tasks. Celery ships no types: the decorator
    is typed here, the task objects it makes stay ``Any``."""
    decorator: Callable[[Callable[[], object]], Any] = shared_task(
        name=name, acks_late=True, soft_time_limit=600, time_limit=660
    )
    return decorator


def dispatch(*, delay: float) -> None:
    """Send ``insights.recompute_pending`` to run in ``delay`` seconds, unless one is waiting
    already, so a burst of votes leads to one computation. Raises whatever the cache or broker
    raise (the caller decides what a failure means)."""
    # expires by itself if the task is lost, so a later vote sends a new one
    if not cache.add(DISPATCHED_KEY, True, timeout=int(delay) + 300):
        return
    recompute_pending.apply_async(countdown=delay)


def dispatched() -> None:
    """Called when ``insights.recompute_pending`` starts: votes from now on send a new task."""
    cache.delete(DISPATCHED_KEY)


@_task("insights.recompute_pending")
def recompute_pending() -> list[int]:
    """Recompute every stale Meinungsbild phase and take today's missing representation snapshots
    (what ``konzeptk recompute_insights`` does between its runs); returns the recomputed phases."""
    dispatched()
    return services.opinion_landscapes_recompute_pending()


@_task("insights.representation_snapshots")
def representation_snapshots() -> int:
    """Today's representation snapshot of every running process and of the platform, replacing the
    one taken earlier today (idempotent per day), as ``konzeptk recompute_insights`` does first.
    Returns the number of snapshots."""
    return services.representation_snapshots_take()
