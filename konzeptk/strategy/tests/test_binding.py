from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from konzeptk.sensing import models as sm
from konzeptk.sensing.storage import Row, insert_rows
from konzeptk.strategy import services
from konzeptk.strategy.models import Indicator, IndicatorBinding, IndicatorValue


def _datastream(name: str = "Passant:innen Teststraße") -> sm.Datastream:
    thing = sm.Thing.objects.create(name=name)
    sensor = sm.Sensor.objects.get_or_create(name="Laserscanner")[0]
    prop = sm.ObservedProperty.objects.get_or_create(name="Passant:innen")[0]
    return sm.Datastream.objects.create(
        name=name, unit_of_measurement={"name": "Anzahl"}, thing=thing, sensor=sensor, observed_property=prop
    )


def _obs(ds: sm.Datastream, when: dt.datetime, value: float) -> None:
    # the sensing write path (keeps whatever aggregates sensing maintains current)
    insert_rows([Row(ds.pk, None, when, result_number=value)])


def _series(indicator: Indicator) -> dict[int, float]:
    return {
        v.date.year: v.value
        for v in IndicatorValue.objects.filter(indicator=indicator, source=IndicatorValue.Source.SERIES)
    }


@pytest.fixture
def bound(indicator: Indicator) -> tuple[Indicator, sm.Datastream]:
    ds = _datastream()
    _obs(ds, dt.datetime(2023, 3, 1, 12, tzinfo=dt.UTC), 1000)
    _obs(ds, dt.datetime(2023, 12, 31, 23, 59, tzinfo=dt.UTC), 500)
    _obs(ds, dt.datetime(2024, 1, 1, 0, 0, tzinfo=dt.UTC), 250)
    IndicatorBinding.objects.create(
        indicator=indicator, datastream_name=ds.name, statistic="sum", scale=0.001, is_simulated=True
    )
    return indicator, ds


def test_yearly_sum_with_scale_and_source(bound: tuple[Indicator, sm.Datastream]) -> None:
    indicator, ds = bound
    binding = services.indicator_refresh_from_data(indicator=indicator)
    assert binding is not None
    assert binding.state == "ok"
    assert binding.datastream_id == ds.pk
    assert _series(indicator) == {2023: 1.5, 2024: 0.25}
    value = IndicatorValue.objects.get(indicator=indicator, date=dt.date(2023, 1, 1), source="series")
    assert value.source_ref.startswith("Stadtdaten (automatisch)")
    assert value.is_demo_content
    assert "Teiljahr, Daten vom 01.03.2023 bis 31.12.2023" in value.source_ref
    full = IndicatorValue.objects.get(indicator=indicator, date=dt.date(2024, 1, 1), source="series")
    assert "Teiljahr, Daten vom 01.01.2024 bis 01.01.2024" in full.source_ref
    # manual values are untouched
    assert IndicatorValue.objects.filter(indicator=indicator, source="manual").count() == 1


@pytest.mark.parametrize(
    ("statistic", "expected"), [("mean", 750), ("min", 500), ("max", 1000), ("count", 2)]
)
def test_other_statistics(bound: tuple[Indicator, sm.Datastream], statistic: str, expected: float) -> None:
    indicator, _ = bound
    IndicatorBinding.objects.filter(indicator=indicator).update(statistic=statistic, scale=1.0)
    services.indicator_refresh_from_data(indicator=indicator)
    assert _series(indicator)[2023] == expected


def test_refresh_is_idempotent_and_follows_new_data(
    bound: tuple[Indicator, sm.Datastream], django_assert_max_num_queries: Any
) -> None:
    indicator, ds = bound
    services.indicator_refresh_from_data(indicator=indicator)
    ids = set(IndicatorValue.objects.filter(indicator=indicator).values_list("pk", flat=True))
    with django_assert_max_num_queries(6):  # unchanged data: only the cheap check, no aggregation
        services.indicator_refresh_from_data(indicator=indicator)
    services.indicator_refresh_from_data(indicator=indicator, force=True)
    assert set(IndicatorValue.objects.filter(indicator=indicator).values_list("pk", flat=True)) == ids
    assert _series(indicator) == {2023: 1.5, 2024: 0.25}
    _obs(ds, dt.datetime(2024, 6, 1, tzinfo=dt.UTC), 750)
    services.indicator_refresh_from_data(indicator=indicator)
    assert _series(indicator) == {2023: 1.5, 2024: 1.0}


def test_deleted_datastream_gives_clear_state(bound: tuple[Indicator, sm.Datastream], client: Client) -> None:
    indicator, ds = bound
    services.indicator_refresh_from_data(indicator=indicator)
    ds.delete()
    binding = services.indicator_refresh_from_data(indicator=indicator)
    assert binding is not None
    assert binding.state == "missing"
    assert _series(indicator) == {2023: 1.5, 2024: 0.25}  # last values kept
    response = client.get(indicator.get_absolute_url())
    assert response.status_code == 200
    assert "nicht mehr vorhanden" in response.content.decode()


def test_page_refreshes_and_links_dashboard(bound: tuple[Indicator, sm.Datastream], client: Client) -> None:
    indicator, _ = bound
    response = client.get(indicator.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert _series(indicator) == {2023: 1.5, 2024: 0.25}
    assert "Stadtdatenplattform" in body
    assert "simuliert" in body
    assert "/daten/" in body


def test_unbound_indicator_not_touched(indicator: Indicator) -> None:
    assert services.indicator_refresh_from_data(indicator=indicator) is None


def test_command(bound: tuple[Indicator, sm.Datastream]) -> None:
    indicator, _ = bound
    out = StringIO()
    call_command("refresh_indicators", stdout=out)
    assert "co2" in out.getvalue()
    assert _series(indicator) == {2023: 1.5, 2024: 0.25}


def test_page_recomputes_at_most_hourly(bound: tuple[Indicator, sm.Datastream], client: Client) -> None:
    indicator, ds = bound
    client.get(indicator.get_absolute_url())
    _obs(ds, dt.datetime(2024, 6, 1, tzinfo=dt.UTC), 750)
    client.get(indicator.get_absolute_url())
    assert _series(indicator)[2024] == 0.25  # within the hour: the page does not recompute
    IndicatorBinding.objects.update(refreshed_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    client.get(indicator.get_absolute_url())
    assert _series(indicator)[2024] == 1.0
