"""Konzept K – the open Smart City platform of Krefeld."""

from __future__ import annotations

import os

__version__ = "0.2.0"

# Django's Celery docs load the Celery app with the project package so that ``@shared_task`` binds to
# it in every process. Importing Celery (kombu, amqp, click, dateutil) costs about as much as the rest
# of a ``konzeptk`` command's start-up, so it is loaded at once only where tasks go to a broker
# (``REDIS_URL`` set: web, worker and beat in production). Elsewhere – the embedded default, the demo,
# the tests – tasks run eagerly and the app is loaded on first use: ``konzeptk.celery_app``, any
# ``konzeptk.celery`` import, or ``celery -A konzeptk``.
if os.environ.get("REDIS_URL"):
    from konzeptk.celery import app as celery_app  # noqa: F401


def __getattr__(name: str) -> object:
    if name == "celery_app":
        from konzeptk.celery import app

        return app
    raise AttributeError(f"module 'konzeptk' has no attribute {name!r}")
