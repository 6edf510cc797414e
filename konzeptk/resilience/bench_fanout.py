"""From an alert to 50,000 subscribers (part of ``python -m konzeptk.bench resilience``): inbox entries written
and e-mails queued by a real Celery worker that takes the fan-out task from Redis. Target ≤ 60 s.

``run()`` is called by ``bench.py`` inside its throwaway test database. It stores :data:`SUBSCRIBERS`
confirmed subscriptions (a fifth of them accounts with the inbox, the rest e-mail addresses; six languages;
the city's districts), starts ``celery -A konzeptk worker`` as a subprocess on that database with Redis as
broker (``KONZEPTK_BENCH_REDIS_URL``, default ``redis://127.0.0.1:6379/11``), raises an alert (``alert_raise``:
the task goes to Redis after the commit) and measures until every subscription has its delivery. The worker
only queues the mails (``KONZEPTK_NOTIFICATIONS_SEND=off``); sending them is the notifications room's job.
Prints the time; asserts nothing. Without Redis it says so and skips.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import tempfile
import time
from typing import Any

SUBSCRIBERS = int(os.environ.get("KONZEPTK_BENCH_SUBSCRIBERS", "50000"))
REDIS_URL = os.environ.get("KONZEPTK_BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")
LANGUAGES = ("de", "en", "tr", "ar", "pl", "uk")
BATCH = 5000


def _redis_answers() -> bool:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError:
        return False
    return True


def _database_url() -> str:
    from django.db import connection

    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _seed(districts: list[Any]) -> None:
    from django.utils import timezone

    from konzeptk.accounts.models import User
    from konzeptk.resilience.models import Subscription

    now = timezone.now()
    through = Subscription.districts.through
    accounts = SUBSCRIBERS // 5
    users = User.objects.bulk_create(
        [
            User(email=f"bench{i}@beispiel.invalid", display_name=f"B{i}", password="!")
            for i in range(accounts)
        ],
        batch_size=BATCH,
    )
    for start in range(0, SUBSCRIBERS, BATCH):
        rows = []
        for i in range(start, min(start + BATCH, SUBSCRIBERS)):
            account = users[i] if i < accounts else None
            rows.append(
                Subscription(
                    user=account,
                    email="" if account else f"abo{i}@beispiel.invalid",
                    language=LANGUAGES[i % len(LANGUAGES)],
                    by_email=account is None,
                    by_inbox=account is not None,
                    token=secrets.token_urlsafe(24),
                    confirmed_at=now,
                )
            )
        created = Subscription.objects.bulk_create(rows, batch_size=BATCH)
        if districts:
            through.objects.bulk_create(
                [
                    through(subscription_id=s.pk, district_id=districts[n % len(districts)].pk)
                    for n, s in enumerate(created)
                    if n % 3
                ]
            )  # a third for the whole city


LOG = os.path.join(tempfile.gettempdir(), "konzeptk-bench-fanout-worker.log")


def _start_worker(queue: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": REDIS_URL,
        "KONZEPTK_NOTIFICATIONS_SEND": "off",
        "KONZEPTK_RESILIENCE_FANOUT": "celery",
        "DJANGO_SETTINGS_MODULE": "konzeptk.settings",
    }
    return subprocess.Popen(  # noqa: S603 – our own interpreter and Celery app
        [sys.executable, "-m", "celery", "-A", "konzeptk", "worker", "--pool=solo", "--loglevel=WARNING",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-Q", queue],
        env=env, stdout=subprocess.DEVNULL, stderr=open(LOG, "wb"),  # closed with the process
    )  # fmt: skip


def _forget_connections(app: Any) -> None:
    """Close the pooled broker connections, so a changed broker URL takes effect (as Celery does after a fork)."""
    import kombu.pools

    kombu.pools.reset()
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


def run() -> None:
    from django.db import connection, transaction
    from django.test import override_settings
    from django.utils import timezone

    from konzeptk.celery import app
    from konzeptk.city.models import District
    from konzeptk.notifications.models import Mail, Notification
    from konzeptk.resilience import alerts
    from konzeptk.resilience.models import Delivery, Episode, Rule, Warning
    from konzeptk.sensing.tests.factories import make_datastream

    label = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    if not _redis_answers():
        print(
            f"  {label}: Versand an {SUBSCRIBERS:,} Abonnements übersprungen – kein Redis unter {REDIS_URL}"
        )
        return
    districts = list(District.objects.all()[:20])
    started = time.perf_counter()
    _seed(districts)
    seeded = time.perf_counter() - started
    ds = make_datastream(None, name="Bench Versand")
    rule = Rule.objects.create(
        name="Bench", kind=Rule.Kind.HEAT, datastream=ds, threshold=30, unit="°C", headline_de="Hitze",
        headline_en="Heat", instruction_de="Trinken Sie viel.", active=False,
    )  # fmt: skip
    connection.close()  # the worker (and SQLite's single writer) get the database to themselves
    # a queue of its own: two benchmark runs at once (SQLite and PostgreSQL) never take each other's task
    queue = f"bench-fanout-{secrets.token_hex(4)}"
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager", "task_default_queue")}
    _forget_connections(app)
    app.conf.update(broker_url=REDIS_URL, task_always_eager=False, task_default_queue=queue)
    worker = _start_worker(queue)
    try:
        if not _wait_ready(app, worker):
            print(f"  {label}: Celery-Worker ist nicht bereit geworden (Protokoll: {LOG})")
            return
        with override_settings(RESILIENCE_FANOUT="celery"):
            start = time.perf_counter()
            with transaction.atomic():
                episode = Episode.objects.create(
                    rule=rule, condition_since=timezone.now(), raised_at=timezone.now()
                )
                warning = alerts.alert_raise(rule=rule, episode=episode, now=timezone.now())
            # the task went to Redis with the commit; the worker works through the subscriptions
            expected = SUBSCRIBERS
            done = 0
            while time.perf_counter() - start < 600 and worker.poll() is None:
                done = Delivery.objects.filter(warning=warning).count()
                if done >= expected:
                    break
                time.sleep(0.25)
            elapsed = time.perf_counter() - start
        if done < expected:
            print(f"  {label}: der Worker hat nicht alles zugestellt (Protokoll: {LOG})", flush=True)
        inbox = Notification.objects.filter(kind="resilience_alert").count()
        mails = Mail.objects.filter(kind="resilience_alert").count()
        print(
            f"  {label}: Warnung an {SUBSCRIBERS:,} Abonnements über einen Celery-Worker (Redis): {elapsed:.1f} s "
            f"(Ziel ≤ 60 s); Zustellungen {done:,}, Einträge im Postfach {inbox:,}, E-Mails in der Warteschlange "
            f"{mails:,} (Anlegen der Abonnements: {seeded:.1f} s)",
            flush=True,
        )
        Warning.objects.filter(pk=warning.pk).update(ended_at=timezone.now())
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
        _forget_connections(app)
        app.conf.update(saved)
