"""Recomputing opinion landscapes off the request path.

A vote marks its phase's landscape ``stale`` and, after the transaction commits, calls
:func:`enqueue`. What happens then depends on ``settings.INSIGHTS_RECOMPUTE``:

* ``"thread"`` (default in the embedded setup, i.e. without ``REDIS_URL``): one daemon thread in the
  web process waits ``INSIGHTS_RECOMPUTE_DELAY`` seconds (default 2) so a burst of votes leads to one
  computation, then recomputes every stale phase. The request that voted never waits for it.
* ``"command"`` (default with ``REDIS_URL``, i.e. production with several web processes): nothing
  happens in the web process; a worker runs ``konzeptk recompute_insights --watch`` (or cron runs
  ``konzeptk recompute_insights``), which recomputes every stale phase.
* ``"off"``: nothing happens automatically (tests).

The same runs take the day's representation snapshot of every running process and of the platform
when it is missing (``services.representation_snapshots_take``); a monitor page without today's
snapshot asks for one with :func:`enqueue_snapshots` (it never computes it itself).
"""

from __future__ import annotations

import logging
import queue
import threading
import time

from django.conf import settings
from django.db import close_old_connections, connections

log = logging.getLogger(__name__)

_queue: queue.Queue[int] = queue.Queue()
_thread: threading.Thread | None = None
_lock = threading.Lock()


def mode() -> str:
    default = "command" if getattr(settings, "REDIS_URL", "") else "thread"
    return str(getattr(settings, "INSIGHTS_RECOMPUTE", default))


def enqueue(phase_id: int) -> None:
    """Ask for a recomputation of the phase (returns at once)."""
    if mode() != "thread":
        return
    _queue.put(phase_id)
    _ensure_thread()


def enqueue_snapshots() -> None:
    """Ask for the missing snapshots of today (returns at once); a no-op outside thread mode."""
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
            run_pending()
        except Exception:  # a failed run must not kill the worker; the phase stays stale
            log.exception("Meinungsbild konnte nicht neu berechnet werden")
        finally:
            connections.close_all()


def run_pending(*, snapshots: bool = True) -> list[int]:
    """Recompute every stale phase now and take the missing snapshots of today; returns the ids of
    the recomputed phases."""
    from konzeptk.insights import services

    done = []
    for phase in services.stale_phases():
        services.opinion_landscape_compute(phase=phase)
        done.append(phase.pk)
    if snapshots:
        services.representation_snapshots_take(only_missing=True)
    return done
