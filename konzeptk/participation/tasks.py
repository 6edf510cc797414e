"""Celery tasks for production (a worker with beat, ``REDIS_URL`` set). Without a worker the same
work runs from cron: ``konzeptk announce_phases`` (hourly), ``konzeptk send_digests`` and
``konzeptk dump_participation`` (daily). Schedule with Celery beat, e.g.::

    CELERY_BEAT_SCHEDULE = {
        "announce-phases": {"task": "participation.announce_phases", "schedule": 3600},
        "send-digests": {"task": "participation.send_digests", "schedule": crontab(hour=7, minute=0)},
        "dump-participation": {"task": "participation.dump", "schedule": crontab(hour=3, minute=0)},
    }
"""

from __future__ import annotations

from celery import shared_task


@shared_task(name="participation.announce_phases")
def announce_phases() -> int:
    from konzeptk.participation.notifications import phases_announce

    return len(phases_announce())


@shared_task(name="participation.send_digests")
def send_digests() -> int:
    """The old name of ``notifications.send_digests`` (schedules written before the move keep working)."""
    from konzeptk.notifications.tasks import send_digests as digests

    return int(digests())


@shared_task(name="participation.dump")
def dump(keep_previous: bool = True) -> int:
    from konzeptk.participation.dumps import participation_dumps_write

    return len(participation_dumps_write(keep_previous=keep_previous)["files"])
