"""The Celery app of Konzept K: ``celery -A konzeptk worker`` and ``celery -A konzeptk beat``.

Configured from Django's settings (every ``CELERY_*`` setting, e.g. ``CELERY_BROKER_URL``); the
tasks are the ``tasks.py`` modules of the apps. In the embedded default (no ``REDIS_URL``) tasks run
eagerly in the calling process and nothing is scheduled; with ``REDIS_URL`` Redis is the broker and
``CELERY_BEAT_SCHEDULE`` says what runs when. See docs/operations.md.

The settings write a schedule as the fields of a crontab (``{"hour": 7, "minute": 0}``) so that
reading them does not import Celery; :func:`beat_schedule` turns them into
:class:`celery.schedules.crontab` when the app reads its configuration.
"""

from __future__ import annotations

import os
from typing import Any

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "konzeptk.settings")

app = Celery("konzeptk")
app.set_default()  # the app of every thread, also of the web server's request threads
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def beat_schedule(schedule: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The schedule with every crontab given as a dict of its fields turned into a crontab."""
    return {
        name: {**entry, "schedule": crontab(**entry["schedule"])}
        if isinstance(entry.get("schedule"), dict)
        else entry
        for name, entry in schedule.items()
    }


@app.on_after_configure.connect
def _crontabs(sender: Celery, **kwargs: Any) -> None:
    sender.conf.beat_schedule = beat_schedule(sender.conf.beat_schedule or {})
