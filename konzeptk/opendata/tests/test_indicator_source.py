"""A strategy indicator bound to the catalogue's metadata quality (registered from OpendataConfig.ready)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from konzeptk.opendata.models import Dataset
from konzeptk.opendata.tests.conftest import make_dataset
from konzeptk.strategy import services, source_registry
from konzeptk.strategy.models import Indicator, IndicatorValue

SOURCE = "opendata.quality_share_300"


def test_registered_with_german_label() -> None:
    registered = source_registry.get_source(SOURCE)
    assert registered is not None
    assert registered.label == "Anteil der Datensätze mit mehr als 300 Punkten Metadatenqualität"


def test_empty_catalogue_has_no_value(db: Any) -> None:
    registered = source_registry.get_source(SOURCE)
    assert registered is not None
    assert registered.value() is None


def test_indicator_gets_this_years_share_in_percent(db: Any) -> None:
    for n in range(4):
        make_dataset(f"datensatz-{n}", f"Datensatz {n}")
    scores = [100, 300, 301, 700]
    for dataset, score in zip(Dataset.objects.order_by("name"), scores, strict=True):
        Dataset.objects.filter(pk=dataset.pk).update(quality_score=score)
    indicator = Indicator.objects.create(
        slug="metadatenqualitaet",
        name="Gute Metadaten",
        unit="%",
        direction=Indicator.Direction.UP,
        source="Test",
        baseline_value=20,
        baseline_year=2025,
    )
    services.indicator_bind(indicator=indicator, source=SOURCE)

    binding = services.indicator_refresh_from_data(indicator=indicator)

    assert binding is not None
    assert binding.state == "ok"
    value = IndicatorValue.objects.get(indicator=indicator, source=IndicatorValue.Source.SERIES)
    assert value.date == dt.date(timezone.now().year, 1, 1)
    assert value.value == 50.0  # 301 and 700 are above 300, 300 itself is not
    assert "Metadatenqualität" in value.source_ref
