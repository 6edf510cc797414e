"""Refreshing indicators bound to data series off the request path (a GET never writes).

The indicator page only reads: it shows the values of the last refresh and when it ran. When one
cheap read-only check (:func:`konzeptk.strategy.services.indicator_binding_is_stale`) finds new
observations, the page calls :func:`enqueue` and renders at once. What happens then depends on
``settings.STRATEGY_REFRESH`` (environment ``KONZEPTK_STRATEGY_REFRESH``), as for the opinion
landscapes of :mod:`konzeptk.insights.background`:

* ``"thread"`` (default without ``REDIS_URL``, the embedded setup): one daemon thread in the web
  process refreshes the queued indicators with its own database connection, a second
  (``STRATEGY_REFRESH_DELAY``) after the request; a burst of page views leads to one refresh per
  indicator.
* ``"celery"`` (default with ``REDIS_URL``): the task ``strategy.refresh_indicator`` goes to the
  Celery worker; a cache key shared by all web processes (Redis) lets only one wait per indicator.
* ``"command"``: nothing happens in the web process; cron runs ``konzeptk refresh_indicators``.
* ``"off"``: nothing happens automatically (the test suite).

In every mode beat (or cron) runs ``strategy.refresh_indicators`` every hour, which catches whatever
a lost dispatch left behind.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections, connections

from konzeptk.strategy.services import REFRESH_DISPATCHED_KEY, indicators_refresh

log = logging.getLogger(__name__)

MODES = ("thread", "celery", "command", "off")
DISPATCHED_KEY = REFRESH_DISPATCHED_KEY

_queue: queue.Queue[int] = queue.Queue()
_thread: threading.Thread | None = None
_lock = threading.Lock()
#: runs the thread has finished (successful or not), for a health look or a test to wait on
runs_finished = 0


def mode() -> str:
    default = "celery" if getattr(settings, "REDIS_URL", "") else "thread"
    return str(getattr(settings, "STRATEGY_REFRESH", default))


def enqueue(indicator_id: int) -> None:
    """Ask for a refresh of the indicator's values (returns at once, writes nothing here)."""
    current = mode()
    if current == "celery":
        _dispatch(indicator_id)
    elif current == "thread":
        _queue.put(indicator_id)
        _ensure_thread()


def _dispatch(indicator_id: int) -> None:
    """Send ``strategy.refresh_indicator`` unless one for the indicator is waiting already. A broker
    that does not answer costs the page nothing: the hourly run catches up. (Celery and the task are
    imported here, not at the top: the web process loads them only in the Celery mode.)"""
    import konzeptk.celery  # noqa: F401 – binds the task to the project's Celery app
    from konzeptk.strategy.tasks import refresh_indicator

    key = DISPATCHED_KEY.format(indicator_id)
    try:
        if not cache.add(key, True, timeout=300):  # expires by itself if the task is lost
            return
        refresh_indicator.apply_async(args=[indicator_id])
    except Exception:
        log.exception(
            "Aktualisierung des Indikators %s konnte nicht an Celery übergeben werden", indicator_id
        )
        with contextlib.suppress(Exception):
            cache.delete(key)


def _ensure_thread() -> None:
    global _thread
    with _lock:
        if _thread is None or not _thread.is_alive():
            _thread = threading.Thread(target=_worker, name="strategy-refresh", daemon=True)
            _thread.start()


def _worker() -> None:
    delay = float(getattr(settings, "STRATEGY_REFRESH_DELAY", 1.0))
    while True:
        pending = {_queue.get()}
        time.sleep(delay)  # the page that asked has answered by then; more requests may join
        while not _queue.empty():  # coalesce a burst of page views
            pending.add(_queue.get_nowait())
        try:
            close_old_connections()
            run(sorted(pending))
        except Exception:  # a failed run must not kill the worker; the hourly run catches up
            log.exception("Indikatoren konnten nicht aktualisiert werden")
        finally:
            connections.close_all()
            global runs_finished
            runs_finished += 1


def run(indicator_ids: list[int]) -> int:
    """Refresh the given indicators now (what the thread does); returns how many were bound."""
    return indicators_refresh(indicator_ids=indicator_ids)
