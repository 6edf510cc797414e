"""The scheduled link check: does each distribution's address answer? (MQA accessibility)

Addresses on the platform itself are checked against its URL map (no request leaves the machine for them);
outside addresses get a HEAD request (GET when HEAD is refused) with a short timeout. The oldest checks go
first, so a large catalogue is checked in rounds of ``limit``.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Callable

from django.db.models import F
from django.urls import Resolver404, resolve
from django.utils import timezone

from konzeptk.opendata.dcat import site_url
from konzeptk.opendata.models import Dataset, Distribution
from konzeptk.opendata.services.datasets import refresh

Probe = Callable[[str], int | None]  # None: cannot be checked from here (no internet)
TIMEOUT = 10


def probe_url(url: str) -> int | None:
    """HTTP status of ``url`` (0: no answer)."""
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": "KonzeptK-Linkcheck/1.0"})  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 – http(s) only, checked below
                return int(response.status)
        except urllib.error.HTTPError as exc:
            if exc.code == 405 and method == "HEAD":
                continue
            return int(exc.code)
        except (OSError, ValueError):
            return 0
    return 0


def _local_path(url: str) -> str | None:
    own = site_url()
    if url.startswith(own + "/"):
        return url[len(own) :]
    return url if url.startswith("/") else None


def status_of(url: str, probe: Probe) -> int | None:
    path = _local_path(url)
    if path is not None:
        try:
            resolve(path.split("?", 1)[0])
        except Resolver404:
            return 404
        return 200
    if not url.startswith(("http://", "https://")):
        return 0
    return probe(url)


def links_check(*, limit: int = 500, probe: Probe = probe_url) -> int:
    """Check the ``limit`` distributions checked longest ago; returns how many were checked."""
    items = list(
        Distribution.objects.order_by(F("link_checked_at").asc(nulls_first=True), "id").only(
            "id", "dataset_id", "access_url", "download_url", "file"
        )[:limit]
    )
    touched: set[int] = set()
    now = timezone.now()
    for item in items:
        url = item.file.url if item.file else (item.download_url or item.access_url)
        status = status_of(url, probe)
        if status is None:
            continue
        Distribution.objects.filter(pk=item.pk).update(link_status=status, link_checked_at=now)
        touched.add(item.dataset_id)
    for dataset in Dataset.objects.filter(pk__in=touched).select_related("publisher"):
        refresh(dataset)
    return len(items)
