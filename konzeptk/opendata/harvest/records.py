"""What a harvester hands over, and how it fetches."""

from __future__ import annotations

import datetime as dt
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from konzeptk.opendata.services.datasets import DistributionData

Fetch = Callable[[str], bytes]
TIMEOUT = 30
MAX_BYTES = 50 * 1024 * 1024


class HarvestError(Exception):
    """The source as a whole cannot be read (the run fails, nothing is removed)."""


@dataclass(frozen=True)
class Record:
    identifier: str
    title: str
    description: str = ""
    keywords: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    licence: str = ""
    modified: dt.datetime | None = None
    issued: dt.datetime | None = None
    landing_page: str = ""
    contact_email: str = ""
    frequency: str = "UNKNOWN"
    temporal_start: dt.date | None = None
    temporal_end: dt.date | None = None
    distributions: tuple[DistributionData, ...] = field(default=())


def fetch_url(url: str) -> bytes:
    """GET ``url`` (http, https or file) with a timeout and a size limit."""
    if not url.startswith(("http://", "https://", "file://")):
        raise HarvestError(f"Adresse wird nicht unterstützt: {url[:80]}")
    request = urllib.request.Request(url, headers={"User-Agent": "KonzeptK-Harvester/1.0", "Accept": "*/*"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 – schemes checked above
            data: bytes = response.read(MAX_BYTES + 1)
    except OSError as exc:
        raise HarvestError(f"{url[:80]}: {exc}") from exc
    if len(data) > MAX_BYTES:
        raise HarvestError(f"{url[:80]}: Antwort größer als {MAX_BYTES // (1024 * 1024)} MB")
    return data


class Recorded:
    """A fetcher answering from recorded responses (tests, and the demo without internet).

    ``responses`` maps a URL, or a URL prefix ending in ``*``, to the bytes to answer with."""

    def __init__(self, responses: Mapping[str, bytes]) -> None:
        self.responses = dict(responses)
        self.calls: list[str] = []

    def __call__(self, url: str) -> bytes:
        self.calls.append(url)
        if url in self.responses:
            return self.responses[url]
        for key, value in self.responses.items():
            if key.endswith("*") and url.startswith(key[:-1]):
                return value
        raise HarvestError(f"keine Aufzeichnung für {url[:120]}")
