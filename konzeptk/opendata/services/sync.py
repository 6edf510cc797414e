"""Keeping the platform's own datasets in step with what the apps publish (``konzeptk.core.catalogue``).

Idempotent: an entry whose content did not change is not written again; an entry that disappeared
(a process deleted, a datastream removed) takes its dataset with it. Runs from ``konzeptk sync_catalogue``,
Celery beat (hourly) and after the demo is loaded.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from konzeptk.accounts.models import Organisation
from konzeptk.core import catalogue
from konzeptk.opendata.dcat import site_url
from konzeptk.opendata.models import DataService, Dataset
from konzeptk.opendata.services.datasets import DistributionData, dataset_write, datasets_delete, free_name


@dataclass
class SyncReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0


def default_publisher() -> Organisation | None:
    slug = str(getattr(settings, "KONZEPTK_OPENDATA_PUBLISHER", "") or "")
    organisations = Organisation.objects.all()
    if slug:
        return organisations.filter(slug=slug).first()
    return (
        organisations.filter(kind=Organisation.Kind.CITY, is_core_team=True).order_by("pk").first()
        or organisations.filter(kind=Organisation.Kind.CITY).order_by("pk").first()
    )


def _hash(entry: catalogue.Entry) -> str:
    return hashlib.sha256(json.dumps(asdict(entry), sort_keys=True, default=str).encode()).hexdigest()


def _service(spec: catalogue.Service) -> int:
    service, _created = DataService.objects.update_or_create(
        key=spec.key,
        defaults={
            "title": spec.title,
            "description": spec.description,
            "endpoint_url": spec.endpoint_url,
            "endpoint_description": spec.endpoint_description,
            "conforms_to": spec.conforms_to,
        },
    )
    return service.pk


@transaction.atomic
def _write(source: str, entry: catalogue.Entry, publishers: dict[str, Organisation | None]) -> str:
    key = f"{source}:{entry.key}"
    digest = _hash(entry)
    dataset = Dataset.objects.filter(source_key=key).first()
    if dataset is not None and dataset.harvest_hash == digest:
        return "unchanged"
    outcome = "updated" if dataset is not None else "created"
    dataset = dataset or Dataset(source_key=key, origin=Dataset.Origin.PLATFORM)
    if entry.publisher_slug not in publishers:
        publishers[entry.publisher_slug] = Organisation.objects.filter(slug=entry.publisher_slug).first()
    dataset.name = free_name(entry.name, dataset.pk)
    dataset.title = entry.title[:300]
    dataset.description = entry.description
    dataset.publisher = publishers.get(entry.publisher_slug) or publishers[""]
    dataset.contact_url = site_url("/offene-daten/wunsch/")
    dataset.themes = list(entry.themes)
    dataset.keywords = list(entry.keywords)
    dataset.licence = entry.licence
    dataset.frequency = entry.frequency
    dataset.temporal_start = entry.temporal_start
    dataset.temporal_end = entry.temporal_end
    dataset.district_codes = list(entry.district_codes)
    dataset.landing_page = entry.landing_page
    dataset.harvest_hash = digest
    distributions = [
        DistributionData(
            key=d.key,
            title=d.title,
            access_url=d.access_url,
            download_url=d.download_url,
            description=d.description,
            file_format=d.file_format,
            media_type=d.media_type,
            service_id=_service(d.service) if d.service else None,
        )
        for d in entry.distributions
    ]
    dataset_write(dataset=dataset, distributions=distributions, modified=entry.modified or timezone.now())
    return outcome


def catalogue_sync() -> SyncReport:
    report = SyncReport()
    publishers: dict[str, Organisation | None] = {"": default_publisher()}
    seen: set[str] = set()
    for source, entry in catalogue.entries():
        seen.add(f"{source}:{entry.key}")
        outcome = _write(source, entry, publishers)
        setattr(report, outcome, getattr(report, outcome) + 1)
    gone = list(
        Dataset.objects.filter(origin=Dataset.Origin.PLATFORM)
        .exclude(source_key__in=seen)
        .values_list("pk", flat=True)
    )
    if gone:
        datasets_delete(ids=gone)
        report.deleted = len(gone)
    return report
