"""Production: an alert's fan-out runs as a background job in a real Celery worker that takes it from Redis."""

from __future__ import annotations

from typing import Any

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import transaction
from django.utils import timezone

from konzeptk.core.tests.test_celery import _wait_for, app, redis_db  # noqa: F401 – fixture
from konzeptk.notifications.models import Mail
from konzeptk.resilience import alerts
from konzeptk.resilience.models import Delivery, Episode
from konzeptk.resilience.tests.alerts_support import make_city, make_rule, subscribe, temperature_stream


# transaction=True: the worker thread has its own database connection and sees only committed rows
@pytest.mark.django_db(transaction=True)
def test_a_raised_alert_is_sent_by_the_celery_worker(redis_db: Any, settings: Any) -> None:  # noqa: F811
    settings.RESILIENCE_FANOUT = "celery"
    app.loader.import_default_modules()  # the worker knows the tasks of every app, as at its start
    mitte, _ost = make_city()
    ds, _token = temperature_stream()
    rule = make_rule(ds, [mitte], active=False)
    subs = [subscribe(email=f"p{i}@beispiel.invalid", districts=[mitte], language="en") for i in range(5)]
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30, loglevel="WARNING"):
        with transaction.atomic():
            episode = Episode.objects.create(
                rule=rule, condition_since=timezone.now(), raised_at=timezone.now()
            )
            warning = alerts.alert_raise(rule=rule, episode=episode, now=timezone.now())
            # nothing is sent inside the transaction: the task goes to Redis after the commit
            assert not Delivery.objects.exists()
        assert _wait_for(lambda: Delivery.objects.filter(warning=warning).count() == len(subs))
    assert Mail.objects.filter(kind="resilience_alert").count() == len(subs)
    assert redis_db.llen("celery") == 0
