"""Background task: renew the weekly open intervals of entries whose hours change over the year (Celery beat,
nightly; without Redis: ``konzeptk refresh_opening_hours``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from celery import shared_task


def _task(name: str) -> Callable[[Callable[[], int]], Callable[[], int]]:
    """``shared_task`` with its type (Celery has no type hints)."""
    return cast(Callable[[Callable[[], int]], Callable[[], int]], shared_task(name=name))


@_task("economy.refresh_opening_hours")
def refresh_opening_hours() -> int:
    """Recompute the week of every entry with seasonal hours (``hours_vary``); returns how many."""
    from konzeptk.economy.services import opening_hours_refresh

    return opening_hours_refresh()
