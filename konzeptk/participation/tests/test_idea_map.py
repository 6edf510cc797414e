"""The idea list's pin map shows the ideas of the current filter (all pages, not only the one shown),
through the platform's map component; the map view adds the counts per district beside it, without a
second drawing of the city."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from konzeptk.participation.models import Idea, Process
from konzeptk.participation.tests.conftest import INSIDE_EAST, INSIDE_WEST
from konzeptk.participation.tests.factories import IdeaFactory, PhaseFactory, ProcessFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def process(city: Any) -> Process:
    ProcessFactory(slug="karte")
    process = Process.objects.get(slug="karte")
    PhaseFactory(process=process)
    for n in range(25):
        lat, lon = INSIDE_WEST
        IdeaFactory(process=process, title=f"West {n}", district=city["west"], lat=lat + n / 1000, lon=lon)
    for n in range(3):
        lat, lon = INSIDE_EAST
        IdeaFactory(process=process, title=f"Ost {n}", district=city["east"], lat=lat, lon=lon + n / 1000)
    IdeaFactory(process=process, title="Ohne Ort", district=city["east"])
    return process


def _map_features(html: str) -> list[dict[str, Any]]:
    found = re.search(r'<script id="ideen-karte-data" type="application/json">(.*?)</script>', html, re.S)
    assert found, "keine Karte der Ideen"
    features: list[dict[str, Any]] = json.loads(found.group(1))["features"]["features"]
    return features


def test_pin_map_shows_every_placed_idea_of_the_filter_not_only_the_page(
    client: Client, process: Process
) -> None:
    url = reverse("participation:ideas", kwargs={"slug": process.slug})
    html = client.get(url).content.decode()
    features = _map_features(html)
    assert len(features) == 28  # all placed ideas; the page lists 20
    assert html.count('<li class="kk-idea">') == 20
    assert {f["properties"]["url"] for f in features} == {
        f"{url}{pk}/" for pk in Idea.objects.filter(lat__isnull=False).values_list("pk", flat=True)
    }


def test_pin_map_follows_the_district_filter(client: Client, process: Process, city: Any) -> None:
    url = reverse("participation:ideas", kwargs={"slug": process.slug})
    features = _map_features(client.get(f"{url}?district={city['east'].pk}").content.decode())
    assert sorted(f["properties"]["name"] for f in features) == ["Ost 0", "Ost 1", "Ost 2"]


def test_map_view_is_one_map_with_the_district_counts_beside_it(client: Client, process: Process) -> None:
    url = reverse("participation:ideas", kwargs={"slug": process.slug})
    html = client.get(f"{url}?view=map").content.decode()
    assert html.count('<figure class="kk-map') == 1
    # the component's SVG (Leaflet takes its place with JavaScript), no second drawing of the city
    assert html.count("<svg") == 1
    assert len(_map_features(html)) == 28
    assert re.search(r"<th[^>]*>(?:(?!</th>).)*West(?:(?!</tr>).)*<td[^>]*>25</td>", html, re.S)
