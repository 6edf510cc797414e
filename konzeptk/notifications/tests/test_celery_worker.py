"""Production: the send job runs in a real Celery worker that takes its task from Redis."""

from __future__ import annotations

from typing import Any

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.core.cache import cache

from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.core.tests.test_celery import _wait_for, app, redis_db  # noqa: F401 – fixture
from konzeptk.notifications import jobs, services
from konzeptk.notifications.models import Mail


# transaction=True: the worker thread has its own database connection and sees only committed rows
@pytest.mark.django_db(transaction=True)
def test_a_commit_sends_the_task_and_the_worker_sends_the_mail(redis_db: Any, settings: Any) -> None:  # noqa: F811
    settings.NOTIFICATIONS_SEND = "celery"
    cache.delete(jobs.DISPATCHED_KEY)
    app.loader.import_default_modules()  # the worker knows the tasks of every app, as at its start
    person = UserFactory()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30, loglevel="WARNING"):
        services.notify(kind="other", subject="Über Redis", body="Text", recipients=[person])  # commits
        assert _wait_for(lambda: Mail.objects.filter(status=Mail.Status.SENT).exists())
    assert [m.subject for m in mail.outbox] == ["Über Redis"]
    assert cache.get(jobs.DISPATCHED_KEY) is None  # the task cleared the mark: the next commit sends anew
    assert redis_db.llen("celery") == 0
