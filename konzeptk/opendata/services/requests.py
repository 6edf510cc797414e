"""Residents' requests for data, and counted downloads."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from konzeptk.accounts.models import User
from konzeptk.opendata.models import Dataset, DatasetRequest, Distribution


@transaction.atomic
def dataset_request_create(*, title: str, description: str, requester: User | None) -> DatasetRequest:
    return DatasetRequest.objects.create(
        title=title.strip()[:200], description=description.strip()[:3000], requester=requester
    )


@transaction.atomic
def dataset_request_answer(
    *, request: DatasetRequest, status: str, answer: str, dataset: Dataset | None = None
) -> DatasetRequest:
    request.status = status
    request.answer = answer.strip()
    request.dataset = dataset
    request.answered_at = timezone.now()
    request.save(update_fields=["status", "answer", "dataset", "answered_at"])
    return request


def distribution_download(*, name: str, pk: int) -> str | None:
    """Count one download of the distribution and return where the file is (None: no such file)."""
    item = (
        Distribution.objects.filter(dataset__name=name, pk=pk)
        .only("file", "download_url", "access_url")
        .first()
    )
    if item is None:
        return None
    Distribution.objects.filter(pk=pk).update(download_count=F("download_count") + 1)
    if item.file:
        return str(item.file.url)
    return item.download_url or item.access_url
