"""Previews on the dataset page beyond CSV: a GeoJSON file on the platform's map with a table of the same
features, and a SensorThings datastream as a chart of its latest observations with their table."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone
from playwright.sync_api import BrowserContext

from konzeptk.city.models import CityProfile
from konzeptk.core.tests.browser import in_language, open_page, report, run_axe
from konzeptk.opendata import preview
from konzeptk.opendata.models import Dataset, Distribution
from konzeptk.opendata.services import DistributionData, catalogue_sync, dataset_write
from konzeptk.sensing import catalogue as sensing_entries
from konzeptk.sensing import partitions
from konzeptk.sensing.models import Observation
from konzeptk.sensing.tests.factories import make_datastream

pytestmark = pytest.mark.django_db


def _dataset(name: str, *distributions: DistributionData) -> Dataset:
    dataset = Dataset(
        name=name,
        title=f"Test {name}",
        description="x",
        origin=Dataset.Origin.STAFF,
        licence="dl-zero-de/2.0",
    )
    return dataset_write(dataset=dataset, distributions=list(distributions))


def _geojson_file(name: str, content: bytes) -> Dataset:
    dataset = _dataset(
        name,
        DistributionData(
            key="geo",
            title="Bänke",
            access_url="https://daten.example.org/x.geojson",
            file_format="GEOJSON",
            media_type="application/geo+json",
        ),
    )
    item = dataset.distributions.get()
    item.file.save("baenke.geojson", ContentFile(content), save=True)
    return dataset


def _features(n: int) -> bytes:
    return json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [6.55 + i * 0.0001, 51.33]},
                    "properties": {"name": f"Bank {i}"},
                }
                for i in range(n)
            ],
        }
    ).encode()


def _map_data(html: str, map_id: str) -> dict[str, Any]:
    found = re.search(rf'<script id="{map_id}-data" type="application/json">(.*?)</script>', html, re.S)
    assert found, f"keine Kartendaten {map_id}"
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def test_geojson_file_is_shown_on_the_map_with_a_table_of_the_same_features(
    client: Client, city: CityProfile
) -> None:
    _geojson_file("baenke", _features(3))
    html = client.get("/offene-daten/baenke/").content.decode()
    data = _map_data(html, "vorschau-karte-1")
    names = [f["properties"]["name"] for f in data["features"]["features"]]
    assert names == ["Bank 0", "Bank 1", "Bank 2"]
    for name in names:
        assert f"<bdi>{name}</bdi>" in html  # the table beside the map lists the same features
    assert html.count('class="kk-map__dot"') == 3  # and the SVG without JavaScript draws them
    assert "Alle 3 Objekte." in html


def test_a_geojson_address_the_platform_serves_is_read_in_process(client: Client, city: CityProfile) -> None:
    layer = city.layers.get()
    url = f"/api/v1/city/layers/{layer.slug}/districts"
    assert client.get(url).status_code == 200
    _dataset(
        "bezirke",
        DistributionData(key="geo", title="Bezirke", access_url=url, download_url=url, file_format="GEOJSON"),
    )
    html = client.get("/offene-daten/bezirke/").content.decode()
    data = _map_data(html, "vorschau-karte-1")
    served = client.get(url).json()
    assert len(data["features"]["features"]) == len(served["features"]) == layer.districts.count()
    assert {f["geometry"]["type"] for f in data["features"]["features"]} <= {"Polygon", "MultiPolygon"}


def test_many_features_are_capped(client: Client, city: CityProfile) -> None:
    _geojson_file("viele", _features(preview.FEATURES + 20))
    html = client.get("/offene-daten/viele/").content.decode()
    data = _map_data(html, "vorschau-karte-1")
    assert len(data["features"]["features"]) == preview.FEATURES
    assert f"von {preview.FEATURES + 20} Objekten" in html


@pytest.mark.parametrize(
    "content",
    [
        b"{",  # not JSON
        b"[1, 2, 3]",
        b'{"type": "FeatureCollection", "features": "x"}',
        b'{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Point", "coordinates": ["a", null]}}]}',
        b'{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [1e999, 51]}}]}',
        b"\xff\xfe\x00",
        b"[" * 100_000,  # nesting deeper than the parser's recursion
        b'{"type": "FeatureCollection", "features": [], "x": "' + b"a" * (preview.GEOJSON_BYTES + 10) + b'"}',
    ],
)
def test_hostile_geojson_gives_no_preview_and_no_error(
    client: Client, city: CityProfile, content: bytes
) -> None:
    _geojson_file("kaputt", content)
    response = client.get("/offene-daten/kaputt/")
    assert response.status_code == 200
    assert 'id="vorschau-karte-1"' not in response.content.decode()


def _stream_dataset(org: Any, only_providers: Callable[..., None]) -> Dataset:
    """A datastream with an observation every 2 hours over 20 days, catalogued by the sensing provider."""
    stream = make_datastream(org, name="Pegel Rhein")
    start = timezone.now() - dt.timedelta(days=20)
    partitions.forget_cache()
    partitions.ensure_months({partitions.month_start(start + dt.timedelta(days=d)) for d in range(21)})
    Observation.objects.bulk_create(
        Observation(datastream=stream, phenomenon_time_start=start + dt.timedelta(hours=h), result_number=h)
        for h in range(0, 20 * 24, 2)
    )
    only_providers(sensing=sensing_entries.entries)
    catalogue_sync()
    return Dataset.objects.get(source_key__endswith=f"thing/{stream.thing_id}")


def test_sensorthings_datastream_shows_a_chart_of_its_latest_observations(
    client: Client,
    city: CityProfile,
    city_org: Any,
    only_providers: Callable[..., None],
    django_assert_max_num_queries: Any,
) -> None:
    dataset = _stream_dataset(city_org, only_providers)
    item = Distribution.objects.get(dataset=dataset)
    assert item.service is not None
    assert item.service.key == "sensorthings"
    with django_assert_max_num_queries(40):
        html = client.get(f"/offene-daten/{dataset.name}/").content.decode()
    assert "<svg" in html
    assert 'class="kk-chart__line"' in html
    values = re.findall(r"<tr><td>([^<]+)</td><td>([^<]+)</td></tr>", html)
    # The newest observations, oldest first, at most a week before the newest and at most 200.
    newest = (20 * 24 - 2) // 2 * 2
    assert values[-1][1] == f"{newest:.1f}"
    assert len(values) == min(preview.OBSERVATIONS, 7 * 24 // 2)
    assert "(m)" in html


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_chart_preview_passes_axe_and_reflows(
    new_context: Callable[..., BrowserContext],
    city: CityProfile,
    city_org: Any,
    only_providers: Callable[..., None],
) -> None:
    dataset = _stream_dataset(city_org, only_providers)
    page = new_context(viewport={"width": 320, "height": 640}).new_page()
    for language in ("de", "ar"):
        open_page(page, in_language(f"/offene-daten/{dataset.name}/", language))
        assert page.locator("figure.od-chart svg").is_visible()
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
        problems = run_axe(page)
        assert not problems, report(problems)
