"""Demo content of the event calendar, from the city profile pack (``demo/events.json`` with sources).

Real Krefeld events (Tag der Smart City 2022 and 2024, the Flachsmarkt at Pentecost) carry their source;
everything else is simulated and marked "Beispielinhalt". Simulated dates are counted from the day the
demo is loaded, so the calendar always has coming events. The recorded feed ``demo/events-feed.ics``
(simulated, in the format of the city's calendar) is registered as a feed and imported from the file;
nothing is fetched. Running it again changes nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, TextIO

from django.utils import timezone

from konzeptk.accounts.models import User
from konzeptk.city.demo_data import demo_data, demo_data_path
from konzeptk.events.importer import feed_import
from konzeptk.events.models import Event, Feed
from konzeptk.events.services import EventData, event_create, event_submit

ORGANISER_EMAIL = "einwohnerin@demo.konzeptk.invalid"


def _when(item: dict[str, Any], today: dt.date) -> tuple[dt.datetime, dt.datetime | None, bool]:
    tz = timezone.get_current_timezone()
    if "in_days" in item:
        hour, minute = (int(x) for x in item["time"].split(":"))
        start = dt.datetime.combine(
            today + dt.timedelta(days=int(item["in_days"])), dt.time(hour, minute), tzinfo=tz
        )
        return start, start + dt.timedelta(hours=float(item["hours"])), False
    all_day = bool(item.get("all_day"))
    start = dt.datetime.fromisoformat(item["start"]).replace(tzinfo=tz)
    end = dt.datetime.fromisoformat(item["end"]).replace(tzinfo=tz) if item.get("end") else None
    return start, end, all_day


def _data(item: dict[str, Any], venue: dict[str, Any], today: dt.date) -> tuple[EventData, bool]:
    start, end, all_day = _when(item, today)
    return (
        EventData(
            title=item["title"],
            description=item.get("description", ""),
            start=start,
            end=end,
            topic=item["topic"],
            venue_name=venue.get("name", item.get("venue_name", "")),
            address=venue.get("address", ""),
            lat=venue.get("lat"),
            lon=venue.get("lon"),
            step_free=item.get("step_free", venue.get("step_free")),
            accessible_toilet=venue.get("accessible_toilet"),
            induction_loop=item.get("induction_loop"),
            seating=item.get("seating"),
            sign_language=bool(item.get("sign_language")),
            organiser_name=item.get("organiser", ""),
            is_free=bool(item.get("is_free")),
            price=Decimal(item["price"]) if item.get("price") else None,
            all_day=all_day,
        ),
        all_day,
    )


def load_demo(*, out: TextIO) -> None:
    data = demo_data("events")
    if data is None:
        return
    today = timezone.localdate()
    created = 0
    for item in data.get("events", []):
        venue = data["venues"].get(item.get("venue", ""), {})
        event_data, _all_day = _data(item, venue, today)
        if Event.objects.filter(title=item["title"], start=event_data.start).exists():
            continue
        event_create(data=event_data, simulated=not item.get("real"), source_note=item.get("source", ""))
        created += 1
    organiser = User.objects.filter(email=ORGANISER_EMAIL).first()
    for item in data.get("submitted", []):
        if organiser is None:
            break
        event_data, _ = _data(item, {}, today)
        if Event.objects.filter(title=item["title"], submitted_by=organiser).exists():
            continue
        event = event_submit(by=organiser, data=event_data)
        Event.objects.filter(pk=event.pk).update(simulated=True)
        created += 1
    feed_info = data.get("feed")
    path = demo_data_path("events").parent / feed_info["file"] if feed_info else None  # type: ignore[union-attr]
    if feed_info and path is not None and path.is_file():
        feed, _ = Feed.objects.get_or_create(
            url=feed_info["url"],
            defaults={
                "title": feed_info["title"],
                "licence": feed_info["licence"],
                "topic": feed_info["topic"],
            },
        )
        run = feed_import(feed=feed, content=path.read_bytes(), past_days=400)
        out.write(
            f"  Veranstaltungen: {created} angelegt; Demo-Feed: {run.created} neu, {run.error_count} Fehler\n"
        )
