"""Indicators bound to a value source another room registers (konzeptk.strategy.source_registry)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from konzeptk.core.errors import DomainError
from konzeptk.strategy import services, source_registry
from konzeptk.strategy.models import Indicator, IndicatorBinding, IndicatorValue


class Figure:
    """A value source whose value the test sets (and counts how often it is asked)."""

    def __init__(self) -> None:
        self.value: float | None = 42.5
        self.calls = 0

    def __call__(self) -> float | None:
        self.calls += 1
        return self.value


@pytest.fixture
def figure() -> Iterator[Figure]:
    fig = Figure()
    source_registry.register_source("test.figure", label="Testkennzahl der Prüfung", value=fig)
    yield fig
    source_registry.unregister_source("test.figure")


def _this_year() -> dict[dt.date, IndicatorValue]:
    return {v.date: v for v in IndicatorValue.objects.filter(source=IndicatorValue.Source.SERIES)}


def test_registry_lists_and_replaces(figure: Figure) -> None:
    assert source_registry.get_source("test.figure") is not None
    assert "test.figure" in [s.name for s in source_registry.all_sources()]
    source_registry.register_source("test.figure", label="Neu", value=figure)
    registered = source_registry.get_source("test.figure")
    assert registered is not None
    assert registered.label == "Neu"
    assert source_registry.get_source("test.nothing") is None


def test_refresh_writes_this_years_value_idempotently(indicator: Indicator, figure: Figure) -> None:
    binding = services.indicator_bind(indicator=indicator, source="test.figure", scale=2.0)
    assert binding.source == "test.figure"
    assert binding.statistic == ""
    assert binding.datastream_name == ""
    assert binding.source_label == "Testkennzahl der Prüfung"

    refreshed = services.indicator_refresh_from_data(indicator=indicator)
    assert refreshed is not None
    assert refreshed.state == IndicatorBinding.State.OK
    year_start = dt.date(timezone.now().year, 1, 1)
    values = _this_year()
    assert list(values) == [year_start]
    assert values[year_start].value == 85.0
    assert "Testkennzahl der Prüfung" in values[year_start].source_ref
    assert values[year_start].is_demo_content is False

    # unchanged value: nothing to do, one row per year
    assert not services.indicator_binding_is_stale(binding=refreshed)
    services.indicator_refresh_from_data(indicator=indicator)
    assert IndicatorValue.objects.filter(indicator=indicator, source="series").count() == 1

    # a new value replaces this year's value, still one row
    figure.value = 10.0
    assert services.indicator_binding_is_stale(binding=refreshed)
    services.indicator_refresh_from_data(indicator=indicator)
    assert [v.value for v in _this_year().values()] == [20.0]


def test_earlier_years_are_kept(indicator: Indicator, figure: Figure) -> None:
    services.indicator_bind(indicator=indicator, source="test.figure")
    old = IndicatorValue.objects.create(
        indicator=indicator, date=dt.date(2020, 1, 1), value=7, source=IndicatorValue.Source.SERIES
    )
    services.indicator_refresh_from_data(indicator=indicator)
    assert IndicatorValue.objects.filter(pk=old.pk).exists()
    assert len(_this_year()) == 2


def test_no_value_writes_nothing(indicator: Indicator, figure: Figure) -> None:
    figure.value = None
    services.indicator_bind(indicator=indicator, source="test.figure")
    binding = services.indicator_refresh_from_data(indicator=indicator)
    assert binding is not None
    assert binding.state == IndicatorBinding.State.OK
    assert _this_year() == {}


def test_source_gone_marks_missing(indicator: Indicator, figure: Figure) -> None:
    services.indicator_bind(indicator=indicator, source="test.figure")
    services.indicator_refresh_from_data(indicator=indicator)
    source_registry.unregister_source("test.figure")
    binding = services.indicator_refresh_from_data(indicator=indicator)
    assert binding is not None
    assert binding.state == IndicatorBinding.State.MISSING
    assert binding.source_label == "test.figure"
    assert len(_this_year()) == 1  # the last value stays


def test_unknown_source_is_refused(indicator: Indicator) -> None:
    with pytest.raises(DomainError) as refused:
        services.indicator_bind(indicator=indicator, source="gibt.es.nicht")
    assert refused.value.code == "source_unknown"
    assert "gibt.es.nicht" in str(refused.value.message)
    assert not IndicatorBinding.objects.filter(indicator=indicator).exists()


def test_datastream_and_source_together_are_refused(indicator: Indicator, figure: Figure) -> None:
    with pytest.raises(DomainError) as refused:
        services.indicator_bind(
            indicator=indicator, source="test.figure", datastream_name="Passant:innen", statistic="sum"
        )
    assert refused.value.code == "binding_ambiguous"
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorBinding.objects.create(
            indicator=indicator, source="test.figure", datastream_name="Passant:innen", statistic="sum"
        )


def test_rebinding_switches_between_datastream_and_source(indicator: Indicator, figure: Figure) -> None:
    services.indicator_bind(indicator=indicator, datastream_name="Passant:innen", statistic="sum")
    binding = services.indicator_bind(indicator=indicator, source="test.figure")
    assert (binding.source, binding.datastream_name, binding.statistic) == ("test.figure", "", "")
    binding = services.indicator_bind(indicator=indicator, datastream_name="Passant:innen", statistic="mean")
    assert (binding.source, binding.datastream_name) == ("", "Passant:innen")


def test_refresh_command_covers_source_bindings(indicator: Indicator, figure: Figure) -> None:
    services.indicator_bind(indicator=indicator, source="test.figure")
    out = StringIO()
    call_command("refresh_indicators", stdout=out)
    assert f"{indicator.slug}: " in out.getvalue()
    assert [v.value for v in _this_year().values()] == [42.5]


def test_page_names_the_source(indicator: Indicator, figure: Figure, client: Client) -> None:
    services.indicator_bind(indicator=indicator, source="test.figure")
    services.indicator_refresh_from_data(indicator=indicator)
    calls = figure.calls
    response = client.get(indicator.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert "„Testkennzahl der Prüfung“" in body
    assert "Zuletzt berechnet am" in body
    assert "der Datenreihe" not in body
    assert figure.calls == calls  # refreshed within the hour: the page does not ask the source


def test_page_when_source_gone(indicator: Indicator, figure: Figure, client: Client) -> None:
    services.indicator_bind(indicator=indicator, source="test.figure")
    services.indicator_refresh_from_data(indicator=indicator)
    source_registry.unregister_source("test.figure")
    services.indicator_refresh_from_data(indicator=indicator, force=True)
    response = client.get(indicator.get_absolute_url())
    assert response.status_code == 200
    assert "Wertquelle ist nicht mehr vorhanden" in response.content.decode()
