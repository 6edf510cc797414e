"""The demo loads real and labelled simulated events and its recorded feed; the calendar is catalogued."""

from __future__ import annotations

import io
from typing import Any

import pytest

from konzeptk.core import catalogue
from konzeptk.events.models import Event, Feed, ImportRun

pytestmark = pytest.mark.django_db


def test_the_demo_loads_twice_without_change(city: Any) -> None:
    from konzeptk.events.demo import load_demo

    load_demo(out=io.StringIO())
    count = Event.objects.count()
    load_demo(out=io.StringIO())
    assert Event.objects.count() == count
    real = Event.objects.filter(simulated=False, feed__isnull=True)
    assert set(real.values_list("title", flat=True)) >= {"Tag der Smart City", "Flachsmarkt auf Burg Linn"}
    assert all(e.source_note for e in real)
    assert Event.objects.filter(simulated=True).count() >= 6
    assert Feed.objects.count() == 1
    assert ImportRun.objects.filter(status="ok").count() == 2
    imported = Event.objects.filter(feed__isnull=False)
    assert imported.count() > 10
    assert all("Beispielinhalt" in e.title for e in imported)
    assert Event.objects.filter(title="Flachsmarkt auf Burg Linn", all_day=True).exists()


def test_the_calendar_is_in_the_catalogue() -> None:
    entries = [e for source, e in catalogue.entries() if source == "events"]
    assert len(entries) == 1
    (entry,) = entries
    assert entry.licence == "dl-zero-de/2.0"
    assert [d.access_url for d in entry.distributions] == ["/veranstaltungen/kalender.ics"]
    assert entry.distributions[0].media_type == "text/calendar"
