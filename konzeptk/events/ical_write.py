"""The calendar as iCalendar (RFC 5545): ``/veranstaltungen/kalender.ics`` and one event's file.

Each occurrence is one VEVENT (an imported series arrives expanded); times carry ``TZID=Europe/Berlin``
with its VTIMEZONE. Items of other rooms (``source_registry``) are included with their own UID.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

import icalendar
from django.utils import timezone

from konzeptk.events.models import Event, Topic
from konzeptk.events.source_registry import ExternalEvent

PRODID = "-//Konzept K//Veranstaltungskalender//DE"


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value, timezone.get_current_timezone())


def calendar_bytes(
    events: Iterable[Event],
    *,
    name: str,
    absolute: Callable[[str], str],
    host: str,
    external: Iterable[ExternalEvent] = (),
) -> bytes:
    """``absolute(path)`` makes a page's path a full URL; ``host`` makes UIDs globally unique."""
    cal = icalendar.Calendar()
    cal.add("VERSION", "2.0")
    cal.add("PRODID", PRODID)
    cal.add("CALSCALE", "GREGORIAN")
    cal.add("METHOD", "PUBLISH")
    cal.add("X-WR-CALNAME", name)
    cal.add("X-WR-TIMEZONE", "Europe/Berlin")
    now = timezone.now()
    labels = dict(Topic.choices)
    for event in events:
        item = icalendar.Event()
        item.add("UID", f"event-{event.pk}@{host}")
        item.add("DTSTAMP", event.updated_at or now)
        if event.all_day:
            item.add("DTSTART", _local(event.start).date())
            if event.end:
                item.add("DTEND", _local(event.end).date())
        else:
            item.add("DTSTART", _local(event.start))
            if event.end:
                item.add("DTEND", _local(event.end))
        item.add("SUMMARY", event.title)
        if event.description:
            item.add("DESCRIPTION", event.description)
        venue = event.venue
        if venue is not None:
            item.add("LOCATION", ", ".join(p for p in (venue.name, venue.address) if p))
            if venue.lat is not None and venue.lon is not None:
                item.add("GEO", (venue.lat, venue.lon))
        item.add("URL", absolute(f"/veranstaltungen/{event.pk}/"))
        item.add("CATEGORIES", [str(labels.get(event.topic, event.topic))])
        item.add("STATUS", "CONFIRMED")
        if event.organiser_name:
            item.add("X-KONZEPTK-ORGANISER", event.organiser_name)
        item.add("LAST-MODIFIED", event.updated_at or now)
        cal.add_component(item)
    for ext in external:
        item = icalendar.Event()
        item.add("UID", f"{ext.source}-{ext.key}@{host}")
        item.add("DTSTAMP", now)
        item.add("DTSTART", _local(ext.start))
        if ext.end:
            item.add("DTEND", _local(ext.end))
        item.add("SUMMARY", ext.title)
        if ext.place:
            item.add("LOCATION", ", ".join(p for p in (ext.place, ext.address) if p))
        item.add("URL", absolute(ext.url))
        cal.add_component(item)
    cal.add_missing_timezones()
    data: bytes = cal.to_ical()
    return data
