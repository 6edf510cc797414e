"""What the dataset page shows besides the metadata: previews of the data, example calls, the DCAT table.

A CSV preview reads at most the first 100 rows (and 256 KiB) of an uploaded file or of a file the platform
itself serves (called in-process with the visitor's own request, so nobody sees more than on the page the
file comes from). Outside files are not fetched while a page is rendered.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponseBase, QueryDict
from django.urls import Resolver404, resolve

from konzeptk.opendata import vocab
from konzeptk.opendata.dcat import dataset_iri, site_url
from konzeptk.opendata.models import Dataset, Distribution

ROWS = 100
BYTES = 256 * 1024


@dataclass
class Preview:
    distribution: Distribution
    header: list[str]
    rows: list[list[str]]
    truncated: bool


def _chunks(response: HttpResponseBase) -> Iterable[bytes]:
    if getattr(response, "streaming", False):
        for chunk in response.streaming_content:  # type: ignore[attr-defined]
            yield chunk if isinstance(chunk, bytes) else str(chunk).encode()
    else:
        yield response.content  # type: ignore[attr-defined]


def _local_bytes(request: HttpRequest, path: str) -> bytes | None:
    route, _sep, query = path.partition("?")
    try:
        match = resolve(route)
    except Resolver404:
        return None
    sub = HttpRequest()
    sub.method = "GET"
    sub.path = sub.path_info = route
    sub.META = {**request.META, "QUERY_STRING": query, "HTTP_ACCEPT": "text/csv"}
    sub.GET = QueryDict(query)
    sub.user = request.user
    sub.LANGUAGE_CODE = getattr(request, "LANGUAGE_CODE", "de")
    if hasattr(request, "session"):
        sub.session = request.session
    response = match.func(sub, *match.args, **match.kwargs)
    if response.status_code != 200:
        return None
    data = b""
    for chunk in _chunks(response):
        data += chunk
        if len(data) >= BYTES:
            break
    return data[:BYTES]


def _csv_preview(item: Distribution, data: bytes) -> Preview | None:
    text = data.decode("utf-8-sig", errors="replace")
    truncated = len(data) >= BYTES
    if truncated:
        text = text.rsplit("\n", 1)[0]
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    rows = [row for _n, row in zip(range(ROWS + 1), reader, strict=False)]
    if not rows:
        return None
    body = rows[1:]
    return Preview(item, rows[0], body[:ROWS], truncated or len(body) > ROWS)


def previews(request: HttpRequest, dataset: Dataset, distributions: Sequence[Distribution]) -> list[Preview]:
    found: list[Preview] = []
    for item in distributions:
        if item.file_format != "CSV":
            continue
        data: bytes | None = None
        if item.file:
            with item.file.open("rb") as handle:
                data = handle.read(BYTES)
        elif (item.download_url or item.access_url).startswith("/"):
            data = _local_bytes(request, item.download_url or item.access_url)
        if data:
            preview = _csv_preview(item, data)
            if preview is not None:
                found.append(preview)
        if len(found) >= 2:
            break
    return found


def examples(
    request: HttpRequest, dataset: Dataset, distributions: Sequence[Distribution]
) -> list[dict[str, str]]:
    """Example calls for developers: CKAN for every dataset, plus SensorThings or Open311 where they apply."""
    calls = [
        {
            "label": "CKAN package_show",
            "command": f"curl '{site_url('/api/3/action/package_show')}?id={dataset.name}'",
        },
        {
            "label": "DCAT-AP.de (Turtle)",
            "command": f"curl -H 'Accept: text/turtle' '{dataset_iri(dataset.name)}'",
        },
    ]
    for item in distributions:
        if item.service is not None and item.service.key == "sensorthings":
            url = site_url(item.access_url) + "?$top=10&$orderby=phenomenonTime desc"
            calls.append({"label": f"SensorThings: {item.title}", "command": f"curl '{url}'"})
            break
    for item in distributions:
        if item.service is not None and item.service.key == "open311":
            calls.append({"label": "Open311 GeoReport v2", "command": f"curl '{site_url(item.access_url)}'"})
            break
    return calls


def dcat_rows(dataset: Dataset, distributions: Sequence[Distribution]) -> list[tuple[str, Any]]:
    licence = vocab.licence(dataset.licence)
    rows: list[tuple[str, Any]] = [
        ("dct:identifier", str(dataset_iri(dataset.name))),
        ("dct:title", dataset.title),
        ("dct:publisher", dataset.publisher.name if dataset.publisher else "–"),
        ("dcat:theme", ", ".join(vocab.theme_uri(t) for t in dataset.themes) or "–"),
        ("dcat:keyword", ", ".join(dataset.keywords) or "–"),
        ("dct:license", licence.uri if licence else "–"),
        ("dct:accrualPeriodicity", vocab.frequency_uri(dataset.frequency)),
        ("dct:issued", dataset.issued.isoformat(timespec="seconds")),
        ("dct:modified", dataset.modified.isoformat(timespec="seconds")),
        ("dcat:distribution", str(len(distributions))),
    ]
    if dataset.temporal_start or dataset.temporal_end:
        rows.append(("dct:temporal", f"{dataset.temporal_start or '…'} – {dataset.temporal_end or '…'}"))
    return rows
