"""The platform's own datasets follow what the apps publish, through the registry in core."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest

from konzeptk.core import catalogue
from konzeptk.opendata.models import Dataset, Distribution, Tag
from konzeptk.opendata.services import catalogue_sync

pytestmark = pytest.mark.django_db

ENTRY = catalogue.Entry(
    key="trees",
    name="baeume",
    title="Straßenbäume",
    description="Alle Straßenbäume.",
    themes=("ENVI",),
    keywords=("Bäume",),
    distributions=(
        catalogue.Distribution(
            key="csv",
            title="CSV",
            access_url="/baeume.csv",
            download_url="/baeume.csv",
            file_format="CSV",
            media_type="text/csv",
        ),
        catalogue.Distribution(
            key="api",
            title="API",
            access_url="/api/v1/trees",
            file_format="JSON",
            media_type="application/json",
            service=catalogue.PLATFORM_API,
        ),
    ),
)


def test_sync_creates_updates_and_removes(
    city: Any, city_org: Any, only_providers: Callable[..., None]
) -> None:
    entries = [ENTRY]
    only_providers(test=lambda: list(entries))
    report = catalogue_sync()
    assert (report.created, report.updated, report.unchanged, report.deleted) == (1, 0, 0, 0)
    dataset = Dataset.objects.get(name="baeume")
    assert dataset.origin == Dataset.Origin.PLATFORM
    assert dataset.publisher == city_org  # the city's core team publishes the platform's own data
    assert dataset.distributions.count() == 2
    assert dataset.distributions.get(key="api").service is not None
    assert set(Tag.objects.filter(dataset=dataset).values_list("kind", "value")) >= {
        ("theme", "ENVI"),
        ("keyword", "Bäume"),
        ("format", "CSV"),
        ("format", "JSON"),
        ("organization", "stadt"),
    }
    assert dataset.quality_score > 0

    assert catalogue_sync().unchanged == 1  # idempotent: nothing written again
    entries[0] = dataclasses.replace(
        ENTRY, title="Straßenbäume und Parkbäume", distributions=ENTRY.distributions[:1]
    )
    report = catalogue_sync()
    assert report.updated == 1
    dataset.refresh_from_db()
    assert dataset.title == "Straßenbäume und Parkbäume"
    assert list(Distribution.objects.filter(dataset=dataset).values_list("key", flat=True)) == ["csv"]

    entries.clear()
    assert catalogue_sync().deleted == 1
    assert not Dataset.objects.exists()


def test_staff_datasets_are_left_alone(city: Any, only_providers: Callable[..., None]) -> None:
    from konzeptk.opendata.tests.conftest import make_dataset

    make_dataset("eigener", "Eigener Datensatz")
    only_providers()
    catalogue_sync()
    assert Dataset.objects.filter(name="eigener").exists()


def test_names_stay_unique(city: Any, only_providers: Callable[..., None]) -> None:
    from konzeptk.opendata.tests.conftest import make_dataset

    make_dataset("baeume", "Schon vergeben")
    only_providers(test=lambda: [ENTRY])
    catalogue_sync()
    assert Dataset.objects.get(source_key="test:trees").name == "baeume-2"


def test_the_apps_providers(city: Any, city_org: Any, only_providers: Callable[..., None]) -> None:
    """Every app's provider yields entries the catalogue can store (with the demo-like content of factories)."""
    from konzeptk.city import catalogue as city_entries
    from konzeptk.insights import catalogue as insights_entries
    from konzeptk.participation import catalogue as participation_entries
    from konzeptk.sensing import catalogue as sensing_entries
    from konzeptk.sensing.tests.factories import make_datastream
    from konzeptk.servicedesk import catalogue as servicedesk_entries
    from konzeptk.strategy import catalogue as strategy_entries

    make_datastream(city_org, name="Wetterstation Rathaus")
    only_providers(
        city=city_entries.entries,
        insights=insights_entries.entries,
        participation=participation_entries.entries,
        sensing=sensing_entries.entries,
        servicedesk=servicedesk_entries.entries,
        strategy=strategy_entries.entries,
    )
    report = catalogue_sync()
    names = set(Dataset.objects.values_list("name", flat=True))
    assert {
        "gebiete-bezirke",
        "beteiligung-repraesentativitaet",
        "beteiligung-tagesabzug",
        "maengelmelder-meldungen",
        "smart-city-projekte",
        "smart-city-indikatoren",
    } <= names
    assert any(name.startswith("sensor-wetterstation-rathaus") for name in names)
    assert Dataset.objects.get(name__startswith="sensor-").publisher == city_org
    assert report.created == len(names)
    sta = Distribution.objects.get(title="Wetterstation Rathaus")
    assert sta.service is not None
    assert sta.service.endpoint_url == "/sta/v1.1/"
