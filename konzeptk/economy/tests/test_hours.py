"""Opening hours: parsing, the weekly table, public holidays of North Rhine-Westphalia, hostile input."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from hypothesis import given, settings
from hypothesis import strategies as st

from konzeptk.core import opening_hours as hours
from konzeptk.core.errors import DomainError
from konzeptk.core.opening_hours import moment
from konzeptk.economy.models import WeeklyInterval
from konzeptk.economy.selectors import DirectoryFilter, directory

BERLIN = ZoneInfo("Europe/Berlin")


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BERLIN)  # type: ignore[misc]


def test_weekly_intervals_of_a_normal_week():
    weekly = hours.weekly_intervals("Mo-Fr 09:30-18:30; Sa 10:00-14:00; Su,PH off", on=dt.date(2026, 6, 1))
    normal = [(i.weekday, i.start_minute, i.end_minute) for i in weekly.intervals if not i.holiday]
    assert normal == [(d, 570, 1110) for d in range(5)] + [(5, 600, 840)]
    assert [i for i in weekly.intervals if i.holiday] == []
    assert weekly.varies is False


def test_split_times_and_midnight():
    weekly = hours.weekly_intervals("Mo 10:00-13:00,14:00-24:00; Tu 22:00-03:00", on=dt.date(2026, 6, 1))
    normal = [(i.weekday, i.start_minute, i.end_minute) for i in weekly.intervals if not i.holiday]
    assert normal == [(0, 600, 780), (0, 840, 1440), (1, 1320, 1440), (2, 0, 180)]


def test_holiday_rows_follow_the_ph_rule():
    weekly = hours.weekly_intervals("Mo-Su 08:00-20:00; PH 10:00-14:00", on=dt.date(2026, 6, 1))
    holiday = {(i.weekday, i.start_minute, i.end_minute) for i in weekly.intervals if i.holiday}
    assert holiday == {(d, 600, 840) for d in range(7)}
    no_rule = hours.weekly_intervals("Mo-Sa 09:00-18:00", on=dt.date(2026, 6, 1))
    assert {(i.weekday, i.start_minute) for i in no_rule.intervals if i.holiday} == {
        (d, 540) for d in range(6)
    }


def test_seasonal_rules_are_flagged():
    assert hours.weekly_intervals("Apr-Sep Mo-Su 11:00-21:00; Oct-Mar off", on=dt.date(2026, 6, 1)).varies


@pytest.mark.parametrize(
    ("text", "position", "near"),
    [
        ("Mo-Fr 25:00-26:00", 7, "25:00-26:00"),
        ("Mo-Fx 09:00-18:00", 4, "Fx 09:00-18:"),
        ("Mo-Fr 9-18", 7, "9-18"),
        ("Montag bis Freitag", 3, "ntag bis Fre"),
        ("Mo-Fr 09:00-18:00;;", 19, ";"),
    ],
)
def test_errors_name_the_position(text, position, near):
    with pytest.raises(hours.HoursError) as raised:
        hours.parse(text)
    assert raised.value.position == position
    assert raised.value.near == near


def test_too_long_and_empty():
    with pytest.raises(hours.HoursError) as raised:
        hours.parse("Mo 10:00-11:00; " * 30)
    assert raised.value.expected == "too long"
    with pytest.raises(hours.HoursError):
        hours.parse("   ")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_any_text_parses_or_gives_a_position(text):
    try:
        weekly = hours.weekly_intervals(text, on=dt.date(2026, 6, 1))
    except hours.HoursError as exc:
        position = exc.position
        assert 1 <= position <= max(len(text.strip()) + 1, hours.MAX_LENGTH + 1)
    else:
        for i in weekly.intervals:
            assert 0 <= i.start_minute < i.end_minute <= 1440
            assert 0 <= i.weekday <= 6


def test_nrw_holidays():
    assert hours.is_public_holiday(dt.date(2026, 6, 4))  # Fronleichnam (NRW, not Berlin)
    assert hours.holiday_name(dt.date(2026, 6, 4)) == "Fronleichnam"
    assert hours.is_public_holiday(dt.date(2026, 11, 1))  # Allerheiligen
    assert not hours.is_public_holiday(dt.date(2026, 12, 24))  # Heiligabend is a working day
    assert not hours.is_public_holiday(dt.date(2026, 10, 31))  # Reformationstag: not in NRW


@pytest.mark.django_db
def test_service_refuses_bad_hours_with_position_and_example(make_business):
    with pytest.raises(DomainError) as raised:
        make_business("Mo-Fr 25:00-26:00")
    ((field, message),) = raised.value.errors
    assert field == "opening_hours"
    assert "7" in message
    assert hours.EXAMPLE in message


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("when", "shop", "cafe", "bakery"),
    [
        (at(2026, 6, 3, 11, 0), True, True, True),  # Wednesday
        (at(2026, 6, 4, 11, 0), False, True, False),  # Fronleichnam (Thursday): PH off / no PH rule / PH 8-11
        (at(2026, 6, 4, 9, 0), False, True, True),
        (at(2026, 6, 7, 11, 0), False, True, False),  # Sunday
        (at(2026, 6, 7, 9, 0), False, True, True),
        (at(2026, 12, 24, 17, 59), True, True, True),  # Heiligabend is no public holiday
        (at(2026, 12, 24, 18, 0), False, True, False),  # closing minute: closed
        (at(2026, 12, 25, 12, 0), False, True, False),
        (at(2026, 3, 29, 3, 30), False, False, False),  # the night the clocks go forward
    ],
)
def test_open_now_on_sundays_and_holidays(make_business, when, shop, cafe, bakery):
    make_business("Mo-Sa 09:00-18:00; PH off", name="Laden")
    make_business("Mo-Su 09:00-19:00", name="Café")
    make_business("Mo-Sa 07:00-18:00; Su 08:00-11:00; PH 08:00-11:00", name="Bäckerei", lat=51.33, lon=6.65)
    with time_machine.travel(when, tick=False):
        found = set(directory(DirectoryFilter(open_now=True)).values_list("name", flat=True))
        assert moment().holiday == hours.is_public_holiday(when.date())
    assert ("Laden" in found, "Café" in found, "Bäckerei" in found) == (shop, cafe, bakery)


@pytest.mark.django_db
def test_saving_replaces_the_rows(make_business):
    business = make_business("Mo 10:00-12:00")
    assert WeeklyInterval.objects.filter(business=business).count() == 2  # Monday and Monday as a holiday
    business.opening_hours = ""
    from konzeptk.economy.services import business_save

    business_save(business=business)
    assert not WeeklyInterval.objects.filter(business=business).exists()
