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
from konzeptk.opendata.services.datasets import (
    dataset_write,
    datasets_create,
    datasets_delete,
    free_name,
    free_names,
)

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


def _key(source: HarvestSource, record: Record) -> str:
    return f"harvest:{source.pk}:{record.identifier}"


def _fill(dataset: Dataset, source: HarvestSource, record: Record, digest: str) -> None:
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


def _slug(record: Record) -> str:
    return slugify(record.identifier.rsplit("/", 1)[-1])[:80]


@transaction.atomic
def _store(source: HarvestSource, record: Record, known: dict[str, str]) -> str:
    key = _key(source, record)
    digest = _digest(record)
    if known.get(key) == digest:
        return "unchanged"
    dataset = Dataset.objects.select_for_update().filter(source_key=key).first()
    outcome = "updated" if dataset is not None else "created"
    dataset = dataset or Dataset(source_key=key, origin=Dataset.Origin.HARVEST, harvest_source=source)
    dataset.name = dataset.name or free_name(_slug(record), dataset.pk)
    _fill(dataset, source, record, digest)
    dataset_write(
        dataset=dataset, distributions=record.distributions, modified=record.modified or timezone.now()
    )
    return outcome


def _store_one_by_one(
    source: HarvestSource,
    records: list[Record],
    known: dict[str, str],
    counts: dict[str, int],
    errors: list[dict[str, str]],
) -> None:
    for record in records:
        try:
            counts[_store(source, record, known)] += 1
        except Exception as exc:  # one record must not stop the run (a database refusal, a bad value)
            message = f"{type(exc).__name__}: {exc}"[:500]
            errors.append({"identifier": record.identifier[:200], "message": message})


def _store_batch(
    source: HarvestSource,
    batch: list[Record],
    known: dict[str, str],
    counts: dict[str, int],
    errors: list[dict[str, str]],
) -> None:
    """Unchanged records are skipped, new ones created together (``datasets_create``), changed ones
    written one by one. If creating them together fails, each new record is tried on its own, so the
    error is reported for the record that caused it and the others are stored."""
    keys = [_key(source, record) for record in batch]
    if len(set(keys)) != len(keys):  # the same record twice in a batch: the careful way
        _store_one_by_one(source, batch, known, counts, errors)
        return
    digests = {key: _digest(record) for key, record in zip(keys, batch, strict=True)}
    changed = [
        (key, record) for key, record in zip(keys, batch, strict=True) if known.get(key) != digests[key]
    ]
    counts["unchanged"] += len(batch) - len(changed)
    stored = set(
        Dataset.objects.filter(source_key__in=[key for key, _r in changed]).values_list(
            "source_key", flat=True
        )
    )
    fresh = [(key, record) for key, record in changed if key not in stored]
    _store_one_by_one(source, [record for key, record in changed if key in stored], known, counts, errors)
    if not fresh:
        return
    try:
        with transaction.atomic():
            names = free_names([_slug(record) for _key_, record in fresh])
            items = []
            for (key, record), name in zip(fresh, names, strict=True):
                dataset = Dataset(
                    source_key=key, origin=Dataset.Origin.HARVEST, harvest_source=source, name=name
                )
                _fill(dataset, source, record, digests[key])
                dataset.modified = record.modified or timezone.now()
                items.append((dataset, record.distributions))
            datasets_create(items=items)
    except Exception:  # retried record by record below, which reports the cause
        _store_one_by_one(source, [record for _key_, record in fresh], known, counts, errors)
        return
    counts["created"] += len(fresh)


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
            # a transaction per batch (one commit); new records written together, the rest one by one
            with transaction.atomic():
                seen.update(_key(source, record) for record in batch)
                _store_batch(source, batch, known, counts, errors)
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
