"""Reading an iCalendar feed (RFC 5545) into occurrences, one record at a time.

A feed that does not parse at all raises :class:`FeedError`; a single bad event (no start, an end before
its start, a repetition more often than daily, …) becomes a :class:`RecordError` and the others are read.
Repeating events (RRULE, RDATE, EXDATE, RECURRENCE-ID) are expanded with ``recurring-ical-events``
inside a bounded horizon and at most :data:`MAX_PER_SERIES` occurrences per series.
No database here: the importer (``importer.py``) stores what this returns.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

BERLIN = ZoneInfo("Europe/Berlin")
MAX_FEED_BYTES = 5 * 1024 * 1024
MAX_PER_SERIES = 400
MAX_PER_FEED = 5000
MAX_EVENT_DAYS = 62  # longer "events" are exhibitions at most; anything longer is an error
TOO_FREQUENT = frozenset({"SECONDLY", "MINUTELY", "HOURLY"})


class FeedError(ValueError):
    """The feed as a whole cannot be read; ``str()`` says why, in German (stored in the report)."""


@dataclass(frozen=True)
class RecordError:
    uid: str
    message: str


@dataclass(frozen=True)
class Occurrence:
    uid: str
    occurrence: str  # ISO start of this occurrence ("" for a single event)
    title: str
    description: str
    start: dt.datetime
    end: dt.datetime | None
    all_day: bool
    location: str
    lat: float | None
    lon: float | None
    url: str
    recurrence: str
    organiser: str
    categories: tuple[str, ...] = ()
    fingerprint: str = field(default="", compare=False)


@dataclass
class Parsed:
    occurrences: list[Occurrence]
    errors: list[RecordError]
    read: int  # VEVENT components in the feed


def _text(component: Any, name: str) -> str:
    value = component.get(name)
    if value is None:
        return ""
    if isinstance(value, list):
        value = value[0]
    return str(value).replace("\x00", "").strip()


def _aware(value: dt.date | dt.datetime) -> tuple[dt.datetime, bool]:
    """A start or end as an aware datetime, and whether it was a date (all day). Floating times are Berlin's."""
    if isinstance(value, dt.datetime):
        return (value if value.tzinfo else value.replace(tzinfo=BERLIN)), False
    return dt.datetime.combine(value, dt.time(), tzinfo=BERLIN), True


def _organiser(component: Any) -> str:
    value = component.get("ORGANIZER")
    if value is None:
        return ""
    name = getattr(value, "params", {}).get("CN", "")
    return str(name or "").strip()[:200]


def _categories(component: Any) -> tuple[str, ...]:
    value = component.get("CATEGORIES")
    if value is None:
        return ()
    values = value if isinstance(value, list) else [value]
    out: list[str] = []
    for item in values:
        cats = getattr(item, "cats", None)
        out.extend(str(c) for c in (cats if cats is not None else [item]))
    return tuple(c.strip() for c in out if str(c).strip())[:10]


def _geo(component: Any) -> tuple[float | None, float | None]:
    geo = component.get("GEO")
    if geo is None:
        return None, None
    try:
        lat, lon = float(geo.latitude), float(geo.longitude)
    except (AttributeError, TypeError, ValueError):
        return None, None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None, None
    return lat, lon


def _occurrence(component: Any, *, uid: str, recurring: bool, rrule: str) -> Occurrence:
    title = _text(component, "SUMMARY")[:200]
    if not title:
        raise ValueError("Der Termin hat keinen Titel (SUMMARY).")
    start, all_day = _aware(component.start)
    end: dt.datetime | None
    try:
        end_value = component.end
    except (icalendar.InvalidCalendar, KeyError, ValueError):
        end_value = None
    end = _aware(end_value)[0] if end_value is not None else None
    if end is not None and end < start:
        raise ValueError("Das Ende liegt vor dem Beginn.")
    if end is not None and end - start > dt.timedelta(days=MAX_EVENT_DAYS):
        raise ValueError(f"Der Termin dauert länger als {MAX_EVENT_DAYS} Tage.")
    if all_day and end == start:
        end = None
    lat, lon = _geo(component)
    url = _text(component, "URL")
    if not url.startswith(("https://", "http://")):
        url = ""
    occ = Occurrence(
        uid=uid,
        occurrence=start.isoformat() if recurring else "",
        title=title,
        description=_text(component, "DESCRIPTION")[:5000],
        start=start,
        end=end,
        all_day=all_day,
        location=_text(component, "LOCATION")[:300],
        lat=lat,
        lon=lon,
        url=url[:500],
        recurrence=rrule[:500],
        organiser=_organiser(component),
        categories=_categories(component),
    )
    digest = hashlib.sha256(
        json.dumps([str(v) for v in occ.__dict__.values()], ensure_ascii=False).encode()
    ).hexdigest()
    return Occurrence(**{**occ.__dict__, "fingerprint": digest})


def _groups(calendar: Any) -> tuple[list[Any], dict[str, list[Any]], list[RecordError], int]:
    timezones = list(calendar.walk("VTIMEZONE"))
    groups: dict[str, list[Any]] = {}
    errors: list[RecordError] = []
    read = 0
    for component in calendar.walk("VEVENT"):
        read += 1
        uid = _text(component, "UID")[:300]
        if not uid:
            summary = _text(component, "SUMMARY") + _text(component, "DTSTART")
            uid = "ohne-uid-" + hashlib.sha256(summary.encode()).hexdigest()[:16]
        broken = [f"{name}: {message}" for name, message in getattr(component, "errors", [])]
        if broken:
            errors.append(RecordError(uid, "Ungültige Angabe " + "; ".join(broken)[:300]))
            continue
        groups.setdefault(uid, []).append(component)
    return timezones, groups, errors, read


def _series(
    timezones: list[Any], components: list[Any], uid: str, start: dt.datetime, end: dt.datetime
) -> Iterator[Occurrence]:
    master = next((c for c in components if c.get("RECURRENCE-ID") is None), components[0])
    rrule = master.get("RRULE")
    if rrule is None and len(components) == 1 and master.get("RDATE") is None:
        occ = _occurrence(master, uid=uid, recurring=False, rrule="")
        if occ.start <= end and (occ.end or occ.start) >= start:
            yield occ
        return
    rule_text = rrule.to_ical().decode() if rrule is not None else ""
    freq = [str(f).upper() for f in (rrule.get("FREQ", []) if rrule is not None else [])]
    if any(f in TOO_FREQUENT for f in freq):
        raise ValueError(
            f"Die Wiederholung ist häufiger als täglich (FREQ={freq[0]}); solche Serien werden nicht übernommen."
        )
    calendar = icalendar.Calendar()
    calendar.add("VERSION", "2.0")
    calendar.add("PRODID", "-//Konzept K//import//DE")
    for tz in timezones:
        calendar.add_component(tz)
    for component in components:
        calendar.add_component(component)
    expanded = recurring_ical_events.of(calendar).after(start)
    for component in itertools.islice(expanded, MAX_PER_SERIES):
        occ = _occurrence(component, uid=uid, recurring=True, rrule=rule_text)
        if occ.start > end:
            return
        yield occ


def parse_feed(data: bytes, *, horizon_start: dt.datetime, horizon_end: dt.datetime) -> Parsed:
    """Occurrences of the feed that touch ``[horizon_start, horizon_end]``, and the records that failed."""
    if len(data) > MAX_FEED_BYTES:
        raise FeedError(f"Der Kalender ist größer als {MAX_FEED_BYTES // (1024 * 1024)} MB.")
    if not data.strip():
        raise FeedError("Der Kalender ist leer.")
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except (ValueError, IndexError, KeyError, UnicodeDecodeError) as exc:
        raise FeedError(f"Die Datei ist kein gültiger iCalendar-Kalender: {str(exc)[:200]}") from exc
    if getattr(calendar, "name", "") != "VCALENDAR":
        raise FeedError("Die Datei beginnt nicht mit BEGIN:VCALENDAR.")
    timezones, groups, errors, read = _groups(calendar)
    occurrences: list[Occurrence] = []
    for uid, components in groups.items():
        try:
            series = list(_series(timezones, components, uid, horizon_start, horizon_end))
        except Exception as exc:
            message = str(exc) if isinstance(exc, ValueError) and str(exc) else type(exc).__name__
            errors.append(RecordError(uid, message[:300]))
            continue
        if len(series) >= MAX_PER_SERIES:
            errors.append(
                RecordError(
                    uid, f"Die Serie hat mehr als {MAX_PER_SERIES} Termine; nur die ersten wurden übernommen."
                )
            )
        room = MAX_PER_FEED - len(occurrences)
        if len(series) > room:
            errors.append(
                RecordError(uid, f"Der Kalender hat mehr als {MAX_PER_FEED} Termine; der Rest fehlt.")
            )
            occurrences.extend(series[:room])
            break
        occurrences.extend(series)
    return Parsed(occurrences=occurrences, errors=errors, read=read)
