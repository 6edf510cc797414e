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
import time
from typing import Any

from konzeptk.core.bench_worker import REDIS_URL, celery_worker, redis_answers

SUBSCRIBERS = int(os.environ.get("KONZEPTK_BENCH_SUBSCRIBERS", "50000"))
LANGUAGES = ("de", "en", "tr", "ar", "pl", "uk")
BATCH = 5000


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


def run() -> None:
    from django.db import connection, transaction
    from django.test import override_settings
    from django.utils import timezone

    from konzeptk.city.models import District
    from konzeptk.notifications.models import Mail, Notification
    from konzeptk.resilience import alerts
    from konzeptk.resilience.models import Delivery, Episode, Rule, Warning
    from konzeptk.sensing.tests.factories import make_datastream

    label = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    if not redis_answers():
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
    with celery_worker(
        "fanout", {"KONZEPTK_NOTIFICATIONS_SEND": "off", "KONZEPTK_RESILIENCE_FANOUT": "celery"}
    ) as worker:
        if worker is None:
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
            print(f"  {label}: der Worker hat nicht alles zugestellt (Protokoll im Temp-Ordner)", flush=True)
        inbox = Notification.objects.filter(kind="resilience_alert").count()
        mails = Mail.objects.filter(kind="resilience_alert").count()
        print(
            f"  {label}: Warnung an {SUBSCRIBERS:,} Abonnements über einen Celery-Worker (Redis): {elapsed:.1f} s "
            f"(Ziel ≤ 60 s); Zustellungen {done:,}, Einträge im Postfach {inbox:,}, E-Mails in der Warteschlange "
            f"{mails:,} (Anlegen der Abonnements: {seeded:.1f} s)",
            flush=True,
        )
        Warning.objects.filter(pk=warning.pk).update(ended_at=timezone.now())
