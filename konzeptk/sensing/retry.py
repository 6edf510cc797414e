"""Writes that meet another writer are repeated, not blamed on the client.

PostgreSQL aborts one of two transactions that deadlock (SQLSTATE 40P01) and, under SERIALIZABLE, one of two
that conflict (40001); SQLite answers "database is locked" when its busy timeout ends. None of these says
anything about the input: :func:`run_write` runs the whole write again (a new transaction), at most
:data:`ATTEMPTS` times with a growing, randomised pause (jitter, so the losers do not meet again), and then
gives up with :class:`Overloaded`. So does a lock or statement timeout (55P03, 57014) and a database that
cannot be reached or has no free connection. The SensorThings views answer :class:`Overloaded` with
``503`` and ``Retry-After``.

A foreign-key violation right after a cache hit (``writecache``) may come from a Datastream or
FeatureOfInterest that another process deleted: the write is repeated once with an empty cache; a second
violation is the client's (400).
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError, connection

log = logging.getLogger(__name__)
T = TypeVar("T")

ATTEMPTS = 6
BASE_PAUSE = 0.01  # seconds; attempt n waits up to BASE_PAUSE * 2**n, randomised
RETRY_AFTER = 1  # seconds, in the 503 answer
_RETRY_STATES = {"40001", "40P01"}  # serialization failure, deadlock detected
_OVERLOAD_STATES = {"55P03", "57014", "53300", "53000"}  # lock/statement timeout, too many connections


class Overloaded(Exception):
    """The database could not take the write now; the client should try again later."""

    def __init__(self, retry_after: int = RETRY_AFTER) -> None:
        super().__init__("overloaded")
        self.retry_after = retry_after


def _sqlstate(exc: BaseException) -> str | None:
    cause = exc.__cause__ or exc.__context__
    return getattr(exc, "sqlstate", None) or getattr(cause, "sqlstate", None)


def is_retryable(exc: BaseException) -> bool:
    """A conflict with another writer that a new attempt resolves."""
    if _sqlstate(exc) in _RETRY_STATES:
        return True
    return isinstance(exc, OperationalError) and "database is locked" in str(exc)


def is_overload(exc: BaseException) -> bool:
    """The database is too busy or unreachable: not the client's fault, not worth retrying at once."""
    if _sqlstate(exc) in _OVERLOAD_STATES:
        return True
    if isinstance(exc, OperationalError | InterfaceError):
        return True
    return type(exc).__name__ == "PoolTimeout"  # psycopg_pool, when a pool is configured


def run_write(write: Callable[[], T], *, attempts: int = ATTEMPTS) -> T:
    """Run ``write`` (which opens its own transaction) and repeat it after a conflict; see the module text.

    Inside an outer transaction nothing can be repeated: the error is passed on (as :class:`Overloaded`
    when it is one of the above).
    """
    if connection.in_atomic_block:
        attempts = 1
    cache_cleared = False
    for attempt in range(attempts):
        try:
            return write()
        except IntegrityError:
            if cache_cleared or connection.in_atomic_block:
                raise
            from konzeptk.sensing import writecache

            writecache.clear()
            cache_cleared = True
        except Exception as exc:
            if not isinstance(exc, DatabaseError) and type(exc).__name__ != "PoolTimeout":
                raise
            if is_retryable(exc):
                if attempt + 1 < attempts:
                    log.info("Schreibkonflikt (%s), Versuch %d wird wiederholt", _sqlstate(exc), attempt + 1)
                    time.sleep(random.uniform(0, BASE_PAUSE * 2**attempt))
                    continue
                log.warning("Schreibkonflikt nach %d Versuchen: %s", attempts, exc)
                raise Overloaded() from exc
            if is_overload(exc):
                log.warning("Datenbank überlastet oder nicht erreichbar: %s", exc)
                raise Overloaded() from exc
            raise
    return write()  # after the IntegrityError with a cleared cache, in the last round
