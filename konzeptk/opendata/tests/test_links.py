"""The link check feeds the accessibility points of the metadata quality."""

from __future__ import annotations

from typing import Any

import pytest

from konzeptk.opendata.models import Dataset, Distribution
from konzeptk.opendata.services.datasets import DistributionData, dataset_write
from konzeptk.opendata.services.links import links_check, probe_url, status_of
from konzeptk.opendata.tests.conftest import make_dataset

pytestmark = pytest.mark.django_db


def test_links_are_checked_and_scored(city: Any, city_org: Any) -> None:
    dataset = make_dataset("extern", "Extern", publisher=city_org)
    before = Dataset.objects.get(pk=dataset.pk).quality_score
    calls: list[str] = []

    def probe(url: str) -> int:
        calls.append(url)
        return 200

    assert links_check(probe=probe) == 1
    item = Distribution.objects.get(dataset=dataset)
    assert item.link_status == 200
    assert item.link_checked_at is not None
    assert Dataset.objects.get(pk=dataset.pk).quality_score == before + 80  # 50 access + 30 download
    assert calls == ["https://daten.example.org/extern.csv"]
    links_check(probe=lambda url: 404)
    assert Dataset.objects.get(pk=dataset.pk).quality_score == before


def test_own_addresses_are_resolved_without_a_request(city: Any) -> None:
    dataset = Dataset(name="eigen", title="Eigen", description="x", origin=Dataset.Origin.PLATFORM)
    dataset_write(
        dataset=dataset,
        distributions=[
            DistributionData(key="a", title="a", access_url="/strategie/projekte.csv"),
            DistributionData(key="b", title="b", access_url="/gibt/es/nicht.csv"),
        ],
    )

    def no_requests(url: str) -> int:
        raise AssertionError(url)

    links_check(probe=no_requests)
    assert dict(Distribution.objects.values_list("key", "link_status")) == {"a": 200, "b": 404}


def test_probe_against_a_live_server(live_server: Any) -> None:
    assert probe_url(f"{live_server.url}/healthz") == 200
    assert probe_url(f"{live_server.url}/gibt-es-nicht/") == 404
    assert probe_url("http://127.0.0.1:9/") == 0
    assert status_of("mailto:x@example.org", probe_url) == 0
