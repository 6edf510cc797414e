"""Recomputing opinion landscapes off the request path.

A vote marks its phase's landscape ``stale``; after the transaction commits, the services send the
signal ``signals.landscape_stale``, and :func:`on_landscape_stale` (connected in
``InsightsConfig.ready``) calls :func:`enqueue`. The layers point one way: this module and
:mod:`~konzeptk.insights.tasks` call the services, the services call neither. What happens then
depends on ``settings.INSIGHTS_RECOMPUTE``:

* ``"thread"`` (default in the embedded setup, i.e. without ``REDIS_URL``): one daemon thread in the
  web process waits ``INSIGHTS_RECOMPUTE_DELAY`` seconds (default 2) so a burst of votes leads to one
  computation, then recomputes every stale phase. The request that voted never waits for it.
* ``"celery"`` (default with ``REDIS_URL``, i.e. production with several web processes): the web
  process sends the task ``insights.recompute_pending`` to the Celery worker, ``INSIGHTS_RECOMPUTE_DELAY``
  seconds later. While one is waiting no second one is sent (a cache key shared by all web
  processes, cleared when the task starts), so a burst of votes leads to one computation. Beat also
  runs the task every five minutes, which catches a phase whose task was lost (Redis down).
* ``"command"`` (``KONZEPTK_INSIGHTS_RECOMPUTE=command``, production without a Celery worker):
  nothing happens in the web process; cron runs ``konzeptk recompute_insights`` (or a worker process
  ``konzeptk recompute_insights --watch``), which recomputes every stale phase.
* ``"off"``: nothing happens automatically (tests).

The same runs take the day's representation snapshot of every running process and of the platform
when it is missing (``services.representation_snapshots_take``); a monitor page without today's
snapshot asks for one with :func:`enqueue_snapshots` (it never computes it itself).
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections, connections

from konzeptk.insights import services

log = logging.getLogger(__name__)

_queue: queue.Queue[int] = queue.Queue()
_thread: threading.Thread | None = None
_lock = threading.Lock()


def mode() -> str:
    default = "celery" if getattr(settings, "REDIS_URL", "") else "thread"
    return str(getattr(settings, "INSIGHTS_RECOMPUTE", default))


def on_landscape_stale(sender: object, *, phase_id: int, **kwargs: Any) -> None:
    """Receiver of ``signals.landscape_stale``."""
    enqueue(phase_id)


def enqueue(phase_id: int) -> None:
    """Ask for a recomputation of the phase (returns at once)."""
    current = mode()
    if current == "celery":
        _dispatch()
    elif current == "thread":
        _queue.put(phase_id)
        _ensure_thread()


def _dispatch() -> None:
    """Send ``insights.recompute_pending`` unless one is waiting already. A broker that does not
    answer costs the vote nothing: the phase stays stale until the scheduled run."""
    # Imported here: Celery (kombu, amqp, …) is loaded only in "celery" mode, not in every process.
    import konzeptk.celery  # noqa: F401 – binds the task to the project's Celery app
    from konzeptk.insights import tasks

    try:
        tasks.dispatch(delay=float(getattr(settings, "INSIGHTS_RECOMPUTE_DELAY", 2.0)))
    except Exception:  # Redis (cache and broker) away: the phase stays stale, beat catches up
        log.exception("Neuberechnung des Meinungsbilds konnte nicht an Celery übergeben werden")
        with contextlib.suppress(Exception):
            cache.delete(tasks.DISPATCHED_KEY)


def enqueue_snapshots() -> None:
    """Ask for the missing snapshots of today (returns at once); a no-op in ``command`` and ``off``
    mode."""
    enqueue(0)


def _ensure_thread() -> None:
    global _thread
    with _lock:
        if _thread is None or not _thread.is_alive():
            _thread = threading.Thread(target=_worker, name="insights-recompute", daemon=True)
            _thread.start()


def _worker() -> None:
    delay = float(getattr(settings, "INSIGHTS_RECOMPUTE_DELAY", 2.0))
    while True:
        _queue.get()
        time.sleep(delay)
        while not _queue.empty():  # coalesce a burst of votes
            _queue.get_nowait()
        try:
            close_old_connections()
            services.opinion_landscapes_recompute_pending()
        except Exception:  # a failed run must not kill the worker; the phase stays stale
            log.exception("Meinungsbild konnte nicht neu berechnet werden")
        finally:
            connections.close_all()
