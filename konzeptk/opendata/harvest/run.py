"""One harvest run of a source: read every record, store what changed, report per record."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import asdict
from itertools import islice

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from konzeptk.opendata.harvest import ckan, dcat
from konzeptk.opendata.harvest.records import Fetch, HarvestError, Record, fetch_url
from konzeptk.opendata.models import Dataset, HarvestRun, HarvestSource
from konzeptk.opendata.services.datasets import dataset_write, datasets_delete, free_name

MAX_ERRORS = 500
BATCH = 500


def _records(source: HarvestSource, fetch: Fetch, errors: list[dict[str, str]]) -> Iterator[Record]:
    if source.kind == HarvestSource.Kind.CKAN:
        for page in ckan.pages(source.url, source.organisation_filter, fetch):
            for package in page:
                try:
                    yield ckan.record(package)
                except ckan.BadRecord as exc:
                    name = package.get("name", "?") if isinstance(package, dict) else "?"
                    errors.append({"identifier": str(name)[:200], "message": str(exc)})
    else:
        for graph, nodes in dcat.pages(source.url, fetch):
            for node in nodes:
                try:
                    yield dcat.record(graph, node)
                except dcat.BadRecord as exc:
                    errors.append({"identifier": str(node)[:200], "message": str(exc)})


def _digest(record: Record) -> str:
    return hashlib.sha256(json.dumps(asdict(record), sort_keys=True, default=str).encode()).hexdigest()


@transaction.atomic
def _store(source: HarvestSource, record: Record, known: dict[str, str]) -> str:
    key = f"harvest:{source.pk}:{record.identifier}"
    digest = _digest(record)
    if known.get(key) == digest:
        return "unchanged"
    dataset = Dataset.objects.select_for_update().filter(source_key=key).first()
    outcome = "updated" if dataset is not None else "created"
    dataset = dataset or Dataset(source_key=key, origin=Dataset.Origin.HARVEST, harvest_source=source)
    dataset.name = dataset.name or free_name(slugify(record.identifier.rsplit("/", 1)[-1])[:80], dataset.pk)
    dataset.title = record.title
    dataset.description = record.description or record.title
    dataset.publisher = source.publisher
    dataset.keywords = list(record.keywords)
    dataset.themes = list(record.themes)
    dataset.licence = record.licence
    dataset.frequency = record.frequency
    dataset.landing_page = record.landing_page
    dataset.contact_email = record.contact_email if "@" in record.contact_email else ""
    dataset.temporal_start = record.temporal_start
    dataset.temporal_end = record.temporal_end
    if record.issued:
        dataset.issued = record.issued
    dataset.harvest_hash = digest
    dataset_write(
        dataset=dataset, distributions=record.distributions, modified=record.modified or timezone.now()
    )
    return outcome


def harvest(source: HarvestSource, *, fetch: Fetch = fetch_url) -> HarvestRun:
    run = HarvestRun.objects.create(source=source)
    errors: list[dict[str, str]] = []
    seen: set[str] = set()
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    complete = False
    known = {
        key: digest
        for key, digest in Dataset.objects.filter(harvest_source=source).values_list(
            "source_key", "harvest_hash"
        )
        if key
    }
    records = _records(source, fetch, errors)
    try:
        while True:
            batch = list(islice(records, BATCH))  # reading the source happens outside the transaction
            # a transaction per batch (one commit, not one per record); each record in its own savepoint
            with transaction.atomic():
                for record in batch:
                    seen.add(f"harvest:{source.pk}:{record.identifier}")
                    try:
                        counts[_store(source, record, known)] += 1
                    except (
                        Exception
                    ) as exc:  # one record must not stop the run (a database refusal, a bad value)
                        message = f"{type(exc).__name__}: {exc}"[:500]
                        errors.append({"identifier": record.identifier[:200], "message": message})
            if len(batch) < BATCH:
                break
        complete = True
    except HarvestError as exc:
        errors.append({"identifier": "", "message": str(exc)[:500]})
    if complete:
        gone = list(
            Dataset.objects.filter(harvest_source=source)
            .exclude(source_key__in=seen)
            .values_list("pk", flat=True)
        )
        if gone:
            datasets_delete(ids=gone)
        run.deleted = len(gone)
    run.created, run.updated, run.unchanged = counts["created"], counts["updated"], counts["unchanged"]
    run.errors = errors[:MAX_ERRORS]
    run.failed = not complete
    run.finished_at = timezone.now()
    run.save()
    source.last_run_at = run.finished_at
    source.save(update_fields=["last_run_at"])
    return run
