"""Background tasks of education (Celery beat; without Redis: ``konzeptk import_education``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from celery import shared_task


def _task(name: str) -> Callable[[Callable[[], int]], Callable[[], int]]:
    """``shared_task`` with its type (Celery has no type hints)."""
    return cast(Callable[[Callable[[], int]], Callable[[], int]], shared_task(name=name))


@_task("education.import_sources")
def import_sources() -> int:
    """Import every active feed of the providers; returns the number of runs. Idempotent: unchanged
    offers stay as they are."""
    from konzeptk.education.imports import sources_import

    return len(sources_import())


@_task("education.send_reminders")
def send_reminders() -> int:
    """Remind booked people of tomorrow's sessions (edu-booking); idempotent through ``reminded_at``:
    a booking is reminded at most once a day, however often the beat runs."""
    from konzeptk.education.reminders import reminders_send

    return reminders_send()


@_task("education.refresh_next_start")
def refresh_next_start() -> int:
    """Move each offer's next date on once it has begun (nightly), so the list's order and "still on"
    stay right without a save; returns how many offers changed."""
    from konzeptk.education.services import offers_refresh_next_start

    return offers_refresh_next_start()
