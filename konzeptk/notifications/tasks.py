"""Celery tasks of the notifications room (production: a worker with beat, ``REDIS_URL`` set).

Without a worker the same work runs from cron: ``konzeptk send_mails`` (every minute) and
``konzeptk send_digests`` (daily). Both are idempotent (what they send is claimed first), so
``acks_late`` is safe: a task a dying worker had taken runs again and sends nothing twice.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import cast

from celery import shared_task
from django.core.cache import cache

from konzeptk.notifications import digests, jobs


def _task(name: str) -> Callable[[Callable[[], int]], Callable[[], int]]:
    """``shared_task`` with its type (Celery has no type hints)."""
    return cast(Callable[[Callable[[], int]], Callable[[], int]], shared_task(name=name))


@_task(jobs.SEND_TASK)
def send_mails() -> int:
    with contextlib.suppress(Exception):
        cache.delete(jobs.DISPATCHED_KEY)  # commits from now on may send a new task
    return jobs.mails_send().sent


@_task("notifications.send_digests")
def send_digests() -> int:
    queued = digests.digests_send()
    jobs.mails_send()
    return queued
