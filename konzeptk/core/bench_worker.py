"""A real Celery worker for a benchmark: on the benchmark's own (throwaway) database, with Redis as broker.

Used where a figure includes work a worker does in production (resilience's alert fan-out, sensing's fold of
landed observations). The worker gets a queue of its own, so two benchmark runs at once (SQLite and
PostgreSQL) never take each other's tasks. Broker: ``KONZEPTK_BENCH_REDIS_URL`` (default
``redis://127.0.0.1:6379/11``).
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

REDIS_URL = os.environ.get("KONZEPTK_BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")


def redis_answers() -> bool:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError:
        return False
    return True


def database_url() -> str:
    """The URL of the database this process is connected to (for the worker's ``DATABASE_URL``)."""
    from django.db import connection

    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _forget_connections(app: Any) -> None:
    """Close the pooled broker connections, so a changed broker URL takes effect (as Celery does after a fork)."""
    import kombu.pools

    kombu.pools.reset()  # type: ignore[no-untyped-call]
    app._pool = None
    app.amqp._producer_pool = None


def _wait_ready(app: Any, worker: subprocess.Popen[bytes], seconds: float = 120) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            return False
        if app.control.ping(timeout=1.0):
            return True
    return False


@contextmanager
def celery_worker(
    name: str, env: dict[str, str], *, launcher: tuple[str, ...] = ()
) -> Iterator[subprocess.Popen[bytes] | None]:
    """Start ``celery -A konzeptk worker`` (solo pool) on this database and route this process's tasks to it;
    yields the worker process, or None when it did not become ready (its log: ``<tmp>/konzeptk-bench-<name>-
    worker.log``). Stops it afterwards and restores the Celery configuration."""
    from django.db import connection

    from konzeptk.celery import app

    log = os.path.join(tempfile.gettempdir(), f"konzeptk-bench-{name}-worker.log")
    queue = f"bench-{name}-{secrets.token_hex(4)}"
    worker_env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": REDIS_URL,
        "DJANGO_SETTINGS_MODULE": "konzeptk.settings",
        **env,
    }
    worker_env.pop("KONZEPTK_STA_OPEN_WRITE", None)  # the benchmark's anonymous writes; production refuses it
    connection.close()  # the worker (and SQLite's single writer) get the database to themselves
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager", "task_default_queue")}
    _forget_connections(app)
    app.conf.update(broker_url=REDIS_URL, task_always_eager=False, task_default_queue=queue)
    with open(log, "wb") as stderr:
        worker = subprocess.Popen(  # noqa: S603 – our own interpreter and Celery app
            [sys.executable, *(launcher or ("-m",)), "celery", "-A", "konzeptk", "worker", "--pool=solo", "--loglevel=WARNING",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "-Q", queue],
            env=worker_env, stdout=subprocess.DEVNULL, stderr=stderr,
        )  # fmt: skip
        try:
            if not _wait_ready(app, worker):
                print(f"  Celery-Worker ist nicht bereit geworden (Protokoll: {log})", flush=True)
                yield None
            else:
                yield worker
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
            _forget_connections(app)
            app.conf.update(saved)
