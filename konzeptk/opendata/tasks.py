"""Celery tasks of the catalogue (production). Without a worker, cron runs the same commands:
``konzeptk sync_catalogue`` (hourly), ``konzeptk harvest`` (nightly), ``konzeptk check_links`` (nightly)."""

from __future__ import annotations

from celery import shared_task

from konzeptk.opendata.harvest.run import harvest as harvest_source
from konzeptk.opendata.models import HarvestSource
from konzeptk.opendata.services import catalogue_sync
from konzeptk.opendata.services.links import links_check


@shared_task(name="opendata.sync")
def sync() -> int:
    report = catalogue_sync()
    return report.created + report.updated + report.deleted


@shared_task(name="opendata.harvest")
def harvest() -> int:
    runs = [harvest_source(source) for source in HarvestSource.objects.filter(is_active=True).order_by("pk")]
    return sum(run.created + run.updated + run.deleted for run in runs)


@shared_task(name="opendata.check_links")
def check_links(limit: int = 500) -> int:
    return links_check(limit=limit)
