"""``event_days`` for other rooms and the registry of event-like items from other rooms."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from konzeptk.events import source_registry
from konzeptk.events.selectors import event_dates, event_days
from konzeptk.events.source_registry import ExternalEvent, register_event_source
from konzeptk.events.tests.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def course() -> Iterator[None]:
    def provider(start: dt.datetime, end: dt.datetime) -> list[ExternalEvent]:
        return [
            ExternalEvent(
                source="education",
                key="kurs-1",
                title="Kurs: Tabellen für Einsteiger",
                start=at(4, 10),
                end=at(4, 12),
                url="/bildung/kurse/1/",
                place="VHS",
                district_code="2",
            ),
        ]

    def broken(start: dt.datetime, end: dt.datetime) -> list[ExternalEvent]:
        raise RuntimeError("room is down")

    register_event_source("education", provider)
    register_event_source("broken", broken)
    yield
    source_registry.unregister_event_source("education")
    source_registry.unregister_event_source("broken")


def test_event_days_lists_dates_with_titles_and_places(make_event: Any, city: Any) -> None:
    _profile, west, _east = city
    make_event(title="Lesung")
    make_event(
        title="Fest", start=at(8, 10), end=at(10, 18), venue_name="Stadtgarten", lat=51.334, lon=6.5525
    )
    today = timezone.localdate()
    days = event_days(today, today + dt.timedelta(days=30))
    assert [d.date - today for d in days] == [dt.timedelta(days=n) for n in (3, 8, 9, 10)]
    first = days[0].events[0]
    assert (first.title, first.place, first.district_code, first.district_name) == (
        "Lesung",
        "Mediothek",
        "2",
        "Ost",
    )
    assert first.url.startswith("/veranstaltungen/")
    assert [d.date - today for d in event_days(today, today + dt.timedelta(days=30), district=west)] == [
        dt.timedelta(days=n) for n in (8, 9, 10)
    ]
    assert [d.date - today for d in event_days(today, today + dt.timedelta(days=30), district="Ost")] == [
        dt.timedelta(days=3)
    ]
    assert event_days(today, today + dt.timedelta(days=30), district="99") == []
    assert event_dates(today, today + dt.timedelta(days=8), district="1") == {today + dt.timedelta(days=8)}


def test_event_days_reads_in_bounded_queries(make_event: Any, django_assert_max_num_queries: Any) -> None:
    for i in range(20):
        make_event(title=f"T{i}", start=at(i % 10 + 1), end=at(i % 10 + 1, 20), venue_name=f"Ort {i}")
    today = timezone.localdate()
    # the calendar's own reads and one query per room with an event source (education's sessions)
    with django_assert_max_num_queries(5):
        days = event_days(today, today + dt.timedelta(days=30), district="2")
    assert len(days) == 10


def test_items_of_other_rooms_appear_in_the_list_the_calendar_and_the_days(
    client: Client, make_event: Any, course: None
) -> None:
    html = client.get("/veranstaltungen/").content.decode()
    assert "Kurs: Tabellen für Einsteiger" in html
    ics = client.get("/veranstaltungen/kalender.ics").content.decode()
    assert "Kurs: Tabellen für Einsteiger" in ics
    assert "education-kurs-1@" in ics
    today = timezone.localdate()
    titles = [e.title for d in event_days(today, today + dt.timedelta(days=10)) for e in d.events]
    assert "Kurs: Tabellen für Einsteiger" in titles
