"""Running the send job (jobs.py) off the request path.

A transaction that queued mails calls :func:`enqueue` after its commit. What happens then depends
on ``settings.NOTIFICATIONS_SEND`` (environment ``KONZEPTK_NOTIFICATIONS_SEND``), as for the opinion
landscapes of :mod:`konzeptk.insights.background`:

* ``"thread"`` (default without ``REDIS_URL``, the embedded setup): one daemon thread in the process
  sends the due mails with its own database connection and wakes again when a retry is due.
* ``"celery"`` (default with ``REDIS_URL``): the task ``notifications.send_mails`` goes to the Celery
  worker; a cache key shared by all web processes (Redis) keeps it to one waiting task.
* ``"inline"``: the job runs in the committing process right after the commit (the test suite).
* ``"command"``: nothing happens in the process; cron runs ``konzeptk send_mails``.
* ``"off"``: nothing happens automatically.

In every mode beat (or cron) runs ``notifications.send_mails`` every minute, which sends retries that
have become due and whatever a lost dispatch left behind.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import queue
import threading

from django.conf import settings
from django.core.cache import cache
from django.db import OperationalError, close_old_connections, connections
from django.utils import timezone

from konzeptk.core.companion_registry import Out
from konzeptk.notifications import jobs

log = logging.getLogger(__name__)

MODES = ("thread", "celery", "inline", "command", "off")
#: the worker thread looks for due retries at least this often (seconds)
THREAD_IDLE_WAKE = 60.0

_queue: queue.Queue[int] = queue.Queue()
_thread: threading.Thread | None = None
_lock = threading.Lock()
#: runs the thread has finished, for a test to wait on
runs_finished = 0


def mode() -> str:
    default = "celery" if getattr(settings, "REDIS_URL", "") else "thread"
    return str(getattr(settings, "NOTIFICATIONS_SEND", default))


def enqueue() -> None:
    """Ask for a run of the send job (returns at once in every mode but ``inline``)."""
    current = mode()
    if current == "inline":
        jobs.mails_send()
    elif current == "celery":
        _dispatch()
    elif current == "thread":
        _queue.put(1)
        _ensure_thread()


def _dispatch() -> None:
    """Send ``notifications.send_mails`` unless one is waiting already. A broker that does not
    answer costs the request nothing: the mails stay queued for the next scheduled run."""
    # Celery is imported only where tasks go to a broker: it costs as much as the rest of a command's
    # start-up (see konzeptk/__init__.py)
    from celery import current_app

    try:
        if not cache.add(jobs.DISPATCHED_KEY, True, timeout=300):  # expires by itself if the task is lost
            return
        # by name: the project's app is the default app wherever REDIS_URL is set (konzeptk/__init__.py)
        current_app.send_task(jobs.SEND_TASK)
    except Exception:
        log.exception("Versand der E-Mails konnte nicht an Celery übergeben werden")
        with contextlib.suppress(Exception):
            cache.delete(jobs.DISPATCHED_KEY)


def _ensure_thread() -> None:
    global _thread
    with _lock:
        if _thread is None or not _thread.is_alive():
            if _thread is None:
                atexit.register(_flush)
            _thread = threading.Thread(target=_worker, name="notifications-send", daemon=True)
            _thread.start()


def _flush() -> None:
    """At the end of a process that queued mails (a cron command ends before its daemon thread has
    sent them): send what is due now; whatever fails waits for the next run."""
    if mode() != "thread":
        return
    try:
        jobs.mails_send()
    except Exception:
        log.exception("E-Mails konnten am Ende des Prozesses nicht gesendet werden")


def start_companion(out: Out) -> None:
    """Beside the server of ``konzeptk demo``: start the worker thread at once, so mails still
    queued from before and retries that become due are sent without waiting for a new commit."""
    if mode() == "thread":
        _queue.put(1)
        _ensure_thread()
        out.write("E-Mails werden im Hintergrund gesendet (Warteschlange: konzeptk.notifications).\n")


def _wait_seconds() -> float:
    due = jobs.next_due()
    if due is None:
        return THREAD_IDLE_WAKE
    return max(0.0, min(THREAD_IDLE_WAKE, (due - timezone.now()).total_seconds()))


def _worker() -> None:
    global runs_finished
    wait = 0.0
    while True:
        with contextlib.suppress(queue.Empty):
            _queue.get(timeout=wait)
        while not _queue.empty():  # coalesce a burst of commits
            _queue.get_nowait()
        if mode() != "thread":  # switched to another mode meanwhile (the tests do): leave it to that
            wait = THREAD_IDLE_WAKE
            continue
        try:
            close_old_connections()
            jobs.mails_send()
            wait = _wait_seconds()
        except OperationalError as exc:  # the embedded database is busy (a long import): try again later
            log.warning("E-Mails werden später gesendet, die Datenbank ist gerade belegt (%s)", exc)
            wait = THREAD_IDLE_WAKE
        except Exception:  # a failed run must not kill the worker; the mails stay queued
            log.exception("E-Mails konnten nicht gesendet werden")
            wait = THREAD_IDLE_WAKE
        finally:
            connections.close_all()
            runs_finished += 1
