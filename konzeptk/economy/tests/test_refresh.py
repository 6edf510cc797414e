"""Seasonal opening hours: the nightly task renews the weekly table when the season changes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from konzeptk.economy.models import Business, WeeklyInterval
from konzeptk.economy.tasks import refresh_opening_hours

SEASONAL = "Jun-Aug Mo-Fr 10:00-20:00; Sep-May Mo-Fr 09:00-17:00"


def _monday(business: Business) -> list[tuple[int, int]]:
    rows = WeeklyInterval.objects.filter(business=business, weekday=0, holiday=False)
    return sorted(rows.values_list("start_minute", "end_minute"))


@pytest.mark.django_db
def test_the_nightly_task_renews_only_entries_whose_hours_vary(make_business: Any) -> None:
    from konzeptk.economy.services import opening_hours_store

    seasonal = make_business(SEASONAL)
    steady = make_business("Mo-Fr 08:00-12:00")
    opening_hours_store(business=seasonal, on=dt.date(2026, 5, 25))  # a week in May
    seasonal.refresh_from_db()
    assert seasonal.hours_vary is True
    assert _monday(seasonal) == [(9 * 60, 17 * 60)]

    import time_machine

    with time_machine.travel(dt.datetime(2026, 7, 6, 0, 7, tzinfo=dt.UTC), tick=False):
        assert refresh_opening_hours() == 1  # only the seasonal entry
    assert _monday(seasonal) == [(10 * 60, 20 * 60)]
    assert _monday(steady) == [(8 * 60, 12 * 60)]
