"""A strategy indicator bound to a climate figure: its on-course status comes from the data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from konzeptk.city.models import CityProfile
from konzeptk.climate import services
from konzeptk.climate.solar_import import mastr_import
from konzeptk.climate.tests.conftest import DATA
from konzeptk.strategy import services as strategy
from konzeptk.strategy import source_registry
from konzeptk.strategy.models import IndicatorValue
from konzeptk.strategy.selectors import indicator_assessment
from konzeptk.strategy.tests.factories import IndicatorFactory
from konzeptk.strategy.trajectory import Status

pytestmark = pytest.mark.django_db

SOURCES = (
    "climate.pv_capacity",
    "climate.charging_points",
    "climate.emissions_per_capita",
    "climate.sustainable_share",
)


def test_sources_are_registered() -> None:
    for name in SOURCES:
        source = source_registry.get_source(name)
        assert source is not None
        assert source.label.startswith("Klima:")
        assert source.value() is None  # nothing measured yet


def test_sustainable_share_binding_sets_on_course_from_data(db: None) -> None:
    year = timezone.now().year
    indicator = IndicatorFactory.create(baseline_value=49.0, baseline_year=2017, direction="up")
    indicator.targets.create(value=60.0, year=2030)
    strategy.indicator_bind(indicator=indicator, source="climate.sustainable_share")
    services.modal_split_save(
        year=year,
        shares={"walking": 20, "cycling": 25, "public_transport": 15, "car": 40},
        source="Befragung",
    )
    strategy.indicator_refresh_from_data(indicator=indicator)
    value = IndicatorValue.objects.get(indicator=indicator, source=IndicatorValue.Source.SERIES)
    assert value.value == 60.0
    assert value.date == dt.date(year, 1, 1)
    assert indicator_assessment(indicator).status == Status.ON_TRACK
    # a worse modal split puts the indicator off course
    services.modal_split_save(
        year=year,
        shares={"walking": 10, "cycling": 10, "public_transport": 10, "car": 70},
        source="Befragung",
    )
    strategy.indicator_refresh_from_data(indicator=indicator)
    assert indicator_assessment(indicator).status == Status.OFF_TRACK


def test_pv_capacity_source(city: CityProfile) -> None:
    mastr_import(path=DATA / "EinheitenSolar_1.xml")
    source = source_registry.get_source("climate.pv_capacity")
    assert source is not None
    assert source.value() == pytest.approx(0.259, abs=1e-3)
