"""What the dataset page shows besides the metadata: previews of the data, example calls, the DCAT table.

A CSV preview reads at most the first 100 rows (and 256 KiB) of an uploaded file or of a file the platform
itself serves (called in-process with the visitor's own request, so nobody sees more than on the page the
file comes from). A GeoJSON file (at most 2 MiB, the first 500 features) is shown on the platform's map
with a table of the same features; a SensorThings datastream as a chart of its latest observations with
their table. Outside files are not fetched while a page is rendered.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponseBase, QueryDict
from django.urls import Resolver404, resolve
from shapely.errors import GEOSException
from shapely.geometry import shape

from konzeptk.core import charts
from konzeptk.opendata import vocab
from konzeptk.opendata.dcat import dataset_iri, site_url
from konzeptk.opendata.models import Dataset, Distribution
from konzeptk.sensing import selectors as sensing
from konzeptk.sensing.models import Datastream, Observation

ROWS = 100
BYTES = 256 * 1024
GEOJSON_BYTES = 2 * 1024 * 1024
FEATURES = 500
OBSERVATIONS = 200
OBSERVATION_WINDOW = dt.timedelta(days=7)
PREVIEWS = 2
_DATASTREAM = re.compile(r"/Datastreams\((\d+)\)")


@dataclass
class Preview:
    """A preview: ``kind`` "table" (header, rows), "map" (geojson, rows) or "chart" (chart, rows)."""

    distribution: Distribution
    header: list[str]
    rows: list[list[str]]
    truncated: bool
    kind: str = "table"
    geojson: dict[str, Any] | None = None
    chart: charts.TimeSeriesChart | None = None
    unit: str = ""
    total: int = 0


def _chunks(response: HttpResponseBase) -> Iterable[bytes]:
    if getattr(response, "streaming", False):
        for chunk in response.streaming_content:  # type: ignore[attr-defined]
            yield chunk if isinstance(chunk, bytes) else str(chunk).encode()
    else:
        yield response.content  # type: ignore[attr-defined]


def _local_bytes(
    request: HttpRequest, path: str, *, accept: str = "text/csv", limit: int = BYTES
) -> bytes | None:
    route, _sep, query = path.partition("?")
    try:
        match = resolve(route)
    except Resolver404:
        return None
    sub = HttpRequest()
    sub.method = "GET"
    sub.path = sub.path_info = route
    sub.META = {**request.META, "QUERY_STRING": query, "HTTP_ACCEPT": accept}
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
        if len(data) > limit:
            return data[: limit + 1]  # one byte more than the limit: the caller sees it was cut
    return data


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


def _point_of(geometry: dict[str, Any]) -> tuple[float, float] | None:
    """(lon, lat) of a Point geometry with finite coordinates, else None."""
    if geometry.get("type") != "Point":
        return None
    coords = geometry.get("coordinates")
    if not isinstance(coords, list) or len(coords) < 2:
        return None
    try:
        lon, lat = float(coords[0]), float(coords[1])
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        return None
    return lon, lat


def _valid_geometry(geometry: dict[str, Any]) -> bool:
    """A line or area with finite coordinates in degrees (shapely checks the structure)."""
    if geometry.get("type") not in {"LineString", "MultiLineString", "Polygon", "MultiPolygon", "MultiPoint"}:
        return False
    try:
        bounds = shape(geometry).bounds
    except (ValueError, TypeError, AttributeError, IndexError, KeyError, GEOSException):
        return False
    if len(bounds) != 4 or not all(math.isfinite(b) for b in bounds):
        return False
    west, south, east, north = (float(b) for b in bounds)
    return -180 <= west <= east <= 180 and -90 <= south <= north <= 90


def _label_of(properties: dict[str, Any], n: int) -> str:
    for key in ("name", "title", "bezeichnung", "Name", "NAME", "label"):
        value = properties.get(key)
        if isinstance(value, str | int | float) and str(value).strip():
            return str(value)[:120]
    return f"#{n}"


def _geojson_preview(item: Distribution, data: bytes) -> Preview | None:
    """The features of a GeoJSON file for the map and its table; None for a file that is not GeoJSON."""
    if len(data) > GEOJSON_BYTES:
        return None  # too large to show whole: the download stays
    try:
        parsed = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(parsed, dict):
        return None
    if parsed.get("type") == "FeatureCollection" and isinstance(parsed.get("features"), list):
        raw = parsed["features"]
    elif parsed.get("type") == "Feature":
        raw = [parsed]
    else:
        return None
    features: list[dict[str, Any]] = []
    rows: list[list[str]] = []
    for n, feature in enumerate(raw[:FEATURES], start=1):
        if not isinstance(feature, dict) or not isinstance(feature.get("geometry"), dict):
            continue
        properties = feature.get("properties") if isinstance(feature.get("properties"), dict) else {}
        label = _label_of(properties or {}, n)
        geometry = feature["geometry"]
        point = _point_of(geometry)
        if point is not None:
            geometry = {"type": "Point", "coordinates": [point[0], point[1]]}
        elif not _valid_geometry(geometry):
            continue
        place = f"{point[1]:.5f}, {point[0]:.5f}" if point else str(geometry["type"])
        features.append({"type": "Feature", "geometry": geometry, "properties": {"name": label}})
        rows.append([label, place])
    if not features:
        return None
    return Preview(
        item,
        [],
        rows,
        len(raw) > FEATURES,
        kind="map",
        geojson={"type": "FeatureCollection", "features": features},
        total=len(raw),
    )


def _datastream_preview(item: Distribution) -> Preview | None:
    """The latest observations (at most a week before the newest, at most 200) of a datastream."""
    match = _DATASTREAM.search(item.access_url)
    if match is None:
        return None
    stream = Datastream.objects.filter(pk=int(match.group(1))).first()
    if stream is None:
        return None
    newest = sensing.latest_observations([stream]).get(stream.pk)
    if newest is None:
        return None
    end = newest.phenomenon_time_start + dt.timedelta(microseconds=1)
    latest: list[Observation] = list(
        sensing.observations_between(stream, end - OBSERVATION_WINDOW, end)
        .filter(result_number__isnull=False)
        .order_by("-phenomenon_time_start")[:OBSERVATIONS]
    )
    latest.reverse()
    if not latest:
        return None
    chart = charts.time_series_chart(
        [(o.phenomenon_time_start, float(o.result_number or 0), None, None) for o in latest]
    )
    unit = stream.unit_of_measurement.get("symbol") or stream.unit_of_measurement.get("name") or ""
    rows = [[o.phenomenon_time_start.isoformat(), str(o.result_number)] for o in latest]
    return Preview(item, [], rows, False, kind="chart", chart=chart, unit=str(unit), total=len(latest))


def _file_bytes(request: HttpRequest, item: Distribution, *, accept: str, limit: int) -> bytes | None:
    if item.file:
        with item.file.open("rb") as handle:
            return bytes(handle.read(limit + 1))
    address = item.download_url or item.access_url
    if address.startswith("/") and not address.startswith("//"):
        return _local_bytes(request, address, accept=accept, limit=limit)
    return None


def _is_geojson(item: Distribution) -> bool:
    return item.file_format == "GEOJSON" or item.media_type == "application/geo+json"


def previews(request: HttpRequest, dataset: Dataset, distributions: Sequence[Distribution]) -> list[Preview]:
    found: list[Preview] = []
    for item in distributions:
        preview: Preview | None = None
        if item.service is not None and item.service.key == "sensorthings":
            preview = _datastream_preview(item)
        elif _is_geojson(item):
            data = _file_bytes(request, item, accept="application/geo+json", limit=GEOJSON_BYTES)
            preview = _geojson_preview(item, data) if data else None
        elif item.file_format == "CSV":
            data = _file_bytes(request, item, accept="text/csv", limit=BYTES)
            preview = _csv_preview(item, data[:BYTES]) if data else None
        if preview is not None:
            found.append(preview)
        if len(found) >= PREVIEWS:
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
