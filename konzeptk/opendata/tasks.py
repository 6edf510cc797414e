"""Celery tasks of the catalogue (production). Without a worker, cron runs the same commands:
``konzeptk sync_catalogue`` (hourly), ``konzeptk harvest`` (nightly), ``konzeptk check_links`` (nightly)."""

from __future__ import annotations

from celery import shared_task

from konzeptk.opendata.services import catalogue_sync


@shared_task(name="opendata.sync")
def sync() -> int:
    report = catalogue_sync()
    return report.created + report.updated + report.deleted
