"""Background tasks of resilience (Celery beat in production; without Redis cron runs
``konzeptk import_warnings``, see docs/resilience.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from celery import shared_task


def _task(name: str) -> Callable[[Callable[[], int]], Callable[[], int]]:
    """``shared_task`` with its type (Celery has no type hints)."""
    return cast(Callable[[Callable[[], int]], Callable[[], int]], shared_task(name=name))


@_task("resilience.evaluate_rules")
def evaluate_rules() -> int:
    """The safety net of the city's rules (res-alerts): every active rule over the last hours, then the fan-out
    of alerts a lost job left unsent. Idempotent (one alert per episode, one delivery per subscription)."""
    from konzeptk.resilience import evaluation, fanout, subscriptions

    outcome = evaluation.rules_evaluate_all()
    fanout.fanout_pending()
    subscriptions.subscriptions_expire()
    return len(outcome.raised)


@shared_task(name="resilience.fanout_warning")
def fanout_warning(warning_id: int) -> int:
    """Send a warning to the subscribers of its districts (fanout.py); idempotent through Delivery."""
    from konzeptk.resilience.fanout import warning_fanout

    return warning_fanout(warning_id=warning_id).subscriptions


@_task("resilience.import_warnings")
def import_warnings() -> int:
    """Import every address of ``RESILIENCE_WARNING_FEEDS``; returns the number of runs. Idempotent:
    a message already stored is counted as unchanged."""
    from konzeptk.resilience.imports import scheduled_import

    return len(scheduled_import())


@_task("resilience.refresh_cool_places")
def refresh_cool_places() -> int:
    """Renew the weekly opening intervals of cool places whose hours change over the year (res-heat,
    nightly); returns how many were renewed. Idempotent."""
    from konzeptk.resilience.coolplaces import coolplace_hours_refresh

    return coolplace_hours_refresh()
