"""Background job of the inner city: the vacancy count (Celery beat on the count dates, or cron)."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from celery import shared_task

from konzeptk.innercity.services import vacancy_count_take


def _task(name: str) -> Callable[[Callable[[], str]], Callable[[], str]]:
    """``shared_task`` with its type (Celery has no type hints)."""
    return cast(Callable[[Callable[[], str]], Callable[[], str]], shared_task(name=name))


@_task("innercity.count_vacancy")
def count_vacancy() -> str:
    """Count the register today (idempotent: a second count on the same date replaces the first)."""
    count = vacancy_count_take()
    return f"{count.count_date.isoformat()}: {count.vacant}/{count.units}"
