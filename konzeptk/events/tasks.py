"""Background task: import the registered iCalendar feeds (Celery beat; without Redis: ``konzeptk import_events``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from celery import shared_task


def _task(name: str) -> Callable[[Callable[[], int]], Callable[[], int]]:
    """``shared_task`` with its type (Celery has no type hints)."""
    return cast(Callable[[Callable[[], int]], Callable[[], int]], shared_task(name=name))


@_task("events.import_feeds")
def import_feeds() -> int:
    """Import every active feed; returns the number of runs. Idempotent: unchanged events stay as they are."""
    from konzeptk.events.importer import feeds_import

    return len(feeds_import())
