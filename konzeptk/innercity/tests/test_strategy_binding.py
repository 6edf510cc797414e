"""A strategy indicator "Leerstand Innenstadt" bound to the latest vacancy count: its value and its
on-course status come from the register."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from konzeptk.innercity.models import Unit
from konzeptk.innercity.services import unit_set_status, vacancy_count_take
from konzeptk.strategy import services as strategy
from konzeptk.strategy.models import IndicatorValue
from konzeptk.strategy.selectors import indicator_assessment
from konzeptk.strategy.tests.factories import IndicatorFactory
from konzeptk.strategy.trajectory import Status

pytestmark = pytest.mark.django_db


def test_vacancy_share_binding_sets_value_and_on_course_status(make_unit: Callable[..., Unit]) -> None:
    year = timezone.now().year
    indicator = IndicatorFactory.create(
        name="Leerstand Innenstadt", unit="%", direction="down", baseline_value=60.0, baseline_year=year - 1
    )
    indicator.targets.create(value=20.0, year=year + 1)
    strategy.indicator_bind(indicator=indicator, source="innercity.vacancy_share")
    strategy.indicator_refresh_from_data(indicator=indicator)
    assert not IndicatorValue.objects.filter(indicator=indicator).exists()  # no count yet
    for number in range(4):
        make_unit(staff=True, status="vacant" if number == 0 else "let", house_number=str(number + 1))
    vacancy_count_take()
    strategy.indicator_refresh_from_data(indicator=indicator)
    value = IndicatorValue.objects.get(indicator=indicator, source=IndicatorValue.Source.SERIES)
    assert (value.value, value.date) == (25.0, dt.date(year, 1, 1))
    assert indicator_assessment(indicator).status == Status.ON_TRACK  # 25 % is below the path's 40 %
    # a new count with more empty shops puts the indicator off course
    for unit in Unit.objects.filter(status="let").order_by("pk")[:2]:
        unit_set_status(unit=unit, status="vacant")
    vacancy_count_take()
    strategy.indicator_refresh_from_data(indicator=indicator)
    assert IndicatorValue.objects.get(indicator=indicator, source=IndicatorValue.Source.SERIES).value == 75.0
    assert indicator_assessment(indicator).status == Status.OFF_TRACK
