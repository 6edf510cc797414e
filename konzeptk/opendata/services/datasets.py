"""Writing a dataset: its facets, its search text and its quality score are kept in step in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from konzeptk.city.models import District
from konzeptk.opendata import quality, search
from konzeptk.opendata.models import Dataset, Distribution, Tag


@dataclass(frozen=True)
class DistributionData:
    key: str
    title: str
    access_url: str
    file_format: str = ""
    media_type: str = ""
    download_url: str = ""
    description: str = ""
    byte_size: int | None = None
    service_id: int | None = None


def _district_names(codes: Sequence[str]) -> list[str]:
    if not codes:
        return []
    return list(District.objects.filter(code__in=codes).values_list("name", flat=True))


def _tags(dataset: Dataset, distributions: Sequence[Distribution]) -> list[Tag]:
    values: set[tuple[str, str]] = set()
    values.update((Tag.Kind.THEME, t) for t in dataset.themes)
    values.update((Tag.Kind.KEYWORD, k[:200]) for k in dataset.keywords)
    values.update((Tag.Kind.FORMAT, d.file_format) for d in distributions if d.file_format)
    values.update((Tag.Kind.DISTRICT, c) for c in dataset.district_codes)
    if dataset.licence:
        values.add((Tag.Kind.LICENCE, dataset.licence))
    if dataset.publisher_id:
        values.add((Tag.Kind.ORGANISATION, dataset.publisher.slug if dataset.publisher else ""))
    return [Tag(dataset=dataset, kind=kind, value=value) for kind, value in sorted(values) if value]


def _derive(dataset: Dataset, distributions: Sequence[Distribution], district_names: Sequence[str]) -> None:
    """Search text and quality of ``dataset`` from its fields and distributions (not saved)."""
    publisher = dataset.publisher.name if dataset.publisher else ""
    dataset.search_text = search.document(
        dataset, [publisher, *district_names, *(d.title for d in distributions)]
    )
    checks = quality.assess(dataset, distributions)
    dataset.quality_score = quality.score(checks)
    dataset.quality = {"checks": quality.as_json(checks), "maximum": quality.MAXIMUM}


def refresh(dataset: Dataset, *, checked: bool = True) -> Dataset:
    """Recompute facets, search text and quality of a saved dataset (inside the caller's transaction)."""
    distributions = list(dataset.distributions.all())
    _derive(dataset, distributions, _district_names(dataset.district_codes))
    dataset.save(update_fields=["search_text", "quality_score", "quality"])
    Tag.objects.filter(dataset=dataset).delete()
    Tag.objects.bulk_create(_tags(dataset, distributions))
    search.index([dataset])
    return dataset


# the catalogue's own pages live beside the dataset pages under /offene-daten/
RESERVED_NAMES = frozenset({"verwaltung", "wunsch", "qualitaet"})


def free_name(base: str, own_pk: int | None = None) -> str:
    """``base`` (a slug), or ``base-2``, ``base-3`` … – the first name no other dataset has."""
    base = base[:90] or "datensatz"
    others = Dataset.objects.exclude(pk=own_pk) if own_pk is not None else Dataset.objects.all()
    candidate, number = base, 2
    while candidate in RESERVED_NAMES or others.filter(name=candidate).exists():
        candidate = f"{base}-{number}"
        number += 1
    return candidate


def _fill(item: Distribution, data: DistributionData) -> None:
    item.title = data.title[:300]
    item.access_url = data.access_url[:1000]
    item.download_url = data.download_url[:1000]
    item.description = data.description
    item.file_format = data.file_format[:20]
    item.media_type = data.media_type[:100]
    item.byte_size = data.byte_size if data.byte_size is not None else item.byte_size
    item.service_id = data.service_id


def free_names(bases: Sequence[str]) -> list[str]:
    """``free_name`` for many new datasets at once, each name different: one query when none is taken."""
    wanted = [base[:90] or "datensatz" for base in bases]
    taken = set(Dataset.objects.filter(name__in=wanted).values_list("name", flat=True))
    used: set[str] = set()
    names = []
    for base in wanted:
        candidate, number = base, 2
        while (
            candidate in RESERVED_NAMES
            or candidate in used
            or candidate in taken
            or (candidate != base and Dataset.objects.filter(name=candidate).exists())
        ):
            candidate = f"{base}-{number}"
            number += 1
        used.add(candidate)
        names.append(candidate)
    return names


@transaction.atomic
def dataset_write(
    *,
    dataset: Dataset,
    distributions: Sequence[DistributionData],
    keep_other_distributions: bool = False,
    modified: dt.datetime | None = None,
) -> Dataset:
    """Save ``dataset`` with exactly these distributions (matched by key), then refresh its facets."""
    dataset.modified = modified or timezone.now()
    dataset.save()
    existing = {d.key: d for d in dataset.distributions.all()}
    for data in distributions:
        item = existing.pop(data.key, None) or Distribution(dataset=dataset, key=data.key)
        _fill(item, data)
        item.save()
    if not keep_other_distributions and existing:
        Distribution.objects.filter(pk__in=[d.pk for d in existing.values()]).delete()
    return refresh(dataset)


@transaction.atomic
def datasets_create(*, items: Sequence[tuple[Dataset, Sequence[DistributionData]]]) -> list[Dataset]:
    """Create many new datasets at once (a harvest batch): the same rows ``dataset_write`` would write –
    distributions, facets, search text, quality – in a handful of queries instead of ten per dataset.
    Each dataset must be new with a free name and ``modified`` set; any failure raises and writes nothing."""
    if not items:
        return []
    codes = {code for dataset, _data in items for code in dataset.district_codes}
    names = dict(District.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}
    planned: list[tuple[Dataset, list[Distribution]]] = []
    for dataset, data in items:
        distributions = []
        for entry in data:
            item = Distribution(dataset=dataset, key=entry.key)
            _fill(item, entry)
            distributions.append(item)
        _derive(dataset, distributions, [names[c] for c in dataset.district_codes if c in names])
        planned.append((dataset, distributions))
    datasets = Dataset.objects.bulk_create([dataset for dataset, _d in planned])
    if any(d.pk is None for d in datasets):  # a database that returns no keys from bulk inserts
        keys = dict(Dataset.objects.filter(name__in=[d.name for d in datasets]).values_list("name", "pk"))
        for d in datasets:
            d.pk = keys[d.name]
    rows: list[Distribution] = []
    tags: list[Tag] = []
    for dataset, distributions in planned:
        for item in distributions:
            item.dataset = dataset
        rows += distributions
        tags += _tags(dataset, distributions)
    Distribution.objects.bulk_create(rows)
    Tag.objects.bulk_create(tags)
    search.index(datasets)
    return datasets


@transaction.atomic
def datasets_delete(*, ids: Sequence[int]) -> int:
    search.unindex(ids)
    deleted, _detail = Dataset.objects.filter(pk__in=ids).delete()
    return deleted
