"""iCalendar feeds (RFC 5545): one offer per VEVENT series (UID).

A VEVENT with an RRULE becomes a course whose sessions the offer service generates from the rule
(``DTSTART`` as first start, ``DTEND - DTSTART`` as length, ``EXDATE`` as days without a session);
a rule without an end or with more than 500 dates is refused there and reported. A VEVENT without
RRULE is a single event (``RDATE`` adds further dates). Changed single dates (``RECURRENCE-ID``) are
reported and left out. ``CATEGORIES`` such as ``DigComp 1.1`` or ``DigComp 4.2/3`` name competences;
``LOCATION``, ``GEO`` and ``URL`` the place and the page; ``X-KONZEPTK-CAPACITY`` the seats.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from typing import Any

import icalendar

from konzeptk.education.importers import base
from konzeptk.education.importers.base import FieldError, Record, RecordError, SourceError
from konzeptk.education.types import OfferData

TOO_FREQUENT = frozenset({"SECONDLY", "MINUTELY", "HOURLY"})
MAX_RDATES = 500


def _text(component: Any, name: str) -> str:
    value = component.get(name)
    if value is None:
        return ""
    if isinstance(value, list):
        value = value[0]
    return str(value).replace("\x00", "").strip()


def _aware(value: dt.date | dt.datetime) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=base.BERLIN)
    return dt.datetime.combine(value, dt.time(), tzinfo=base.BERLIN)


def _categories(component: Any) -> list[str]:
    value = component.get("CATEGORIES")
    out: list[str] = []
    for item in value if isinstance(value, list) else ([value] if value is not None else []):
        cats = getattr(item, "cats", None)
        out.extend(str(c).strip() for c in (cats if cats is not None else [item]))
    return [c for c in out if c]


def _start_end(component: Any) -> tuple[dt.datetime, dt.datetime, bool]:
    if component.get("DTSTART") is None:
        raise FieldError("DTSTART", "Der Beginn (DTSTART) fehlt.")
    try:
        start_value = component.decoded("DTSTART")
    except (ValueError, KeyError) as exc:
        raise FieldError("DTSTART", f"Der Beginn ist kein gültiges Datum: {str(exc)[:100]}") from None
    all_day = not isinstance(start_value, dt.datetime)
    start = _aware(start_value)
    end: dt.datetime
    if component.get("DTEND") is not None:
        try:
            end = _aware(component.decoded("DTEND"))
        except (ValueError, KeyError) as exc:
            raise FieldError("DTEND", f"Das Ende ist kein gültiges Datum: {str(exc)[:100]}") from None
    elif component.get("DURATION") is not None:
        end = start + component.decoded("DURATION")
    else:
        end = start + (dt.timedelta(days=1) if all_day else dt.timedelta(minutes=90))
    if end <= start:
        raise FieldError("DTEND", "Das Ende liegt nicht nach dem Beginn.")
    if end - start > dt.timedelta(days=14):
        raise FieldError("DTEND", "Ein einzelner Termin dauert länger als 14 Tage.")
    return start, end, all_day


def _dates_of(component: Any, name: str) -> list[dt.datetime]:
    value = component.get(name)
    found: list[dt.datetime] = []
    for item in value if isinstance(value, list) else ([value] if value is not None else []):
        for entry in getattr(item, "dts", []):
            found.append(_aware(entry.dt))
    return found


def _offer(component: Any, uid: str) -> OfferData:
    title = base.one_line(_text(component, "SUMMARY"), 200)
    if not title:
        raise FieldError("SUMMARY", "Der Titel (SUMMARY) fehlt.")
    start, end, _all_day = _start_end(component)
    data = OfferData(title=title, kind="event", source_note="iCalendar", external_id=uid)
    data.description = base.plain_text(_text(component, "DESCRIPTION"), 10_000)
    location = base.one_line(_text(component, "LOCATION"), 300)
    if location.lower().startswith(("http://", "https://", "online")):
        data.online = True
    elif location:
        name, _sep, address = location.partition(",")
        data.place_name = name.strip()[:200]
        data.address = address.strip()[:300]
    geo = component.get("GEO")
    if geo is not None:
        data.lat = base.parse_float(getattr(geo, "latitude", None), "GEO", low=-90, high=90)
        data.lon = base.parse_float(getattr(geo, "longitude", None), "GEO", low=-180, high=180)
    data.url = base.web_url(_text(component, "URL"))
    capacity = _text(component, "X-KONZEPTK-CAPACITY")
    if capacity:
        data.capacity = base.parse_int(capacity, "X-KONZEPTK-CAPACITY", low=1)
    competences = []
    for category in _categories(component):
        claim = base.digcomp_from_text(category, "CATEGORIES")
        if claim is not None:
            competences.append(claim)
    data.competences = list(dict.fromkeys(competences))
    rule = component.get("RRULE")
    if rule is not None:
        freq = [str(f).upper() for f in rule.get("FREQ", [])]
        if any(f in TOO_FREQUENT for f in freq):
            raise FieldError("RRULE", f"Die Wiederholung ist häufiger als täglich (FREQ={freq[0]}).")
        data.kind = "course"
        data.first_start = start
        data.duration_minutes = int((end - start).total_seconds() // 60)
        data.rrule = rule.to_ical().decode()[:500]
        data.exdates = sorted({d.astimezone(base.BERLIN).date() for d in _dates_of(component, "EXDATE")})
        return data
    extra = _dates_of(component, "RDATE")
    if len(extra) > MAX_RDATES:
        raise FieldError("RDATE", f"Mehr als {MAX_RDATES} weitere Termine (RDATE).")
    length = end - start
    data.sessions = sorted({(start, end), *((d, d + length) for d in extra)})
    if len(data.sessions) > 1:
        data.kind = "course"
    return data


def read(content: bytes, *, url: str = "", fetch: base.Fetch | None = None) -> Iterator[Record]:
    """One record per UID of the calendar."""
    base.check_size(content)
    try:
        calendar = icalendar.Calendar.from_ical(content)
    except (ValueError, IndexError, KeyError, UnicodeDecodeError) as exc:
        raise SourceError(f"Die Datei ist kein gültiger iCalendar-Kalender: {str(exc)[:200]}") from None
    if getattr(calendar, "name", "") != "VCALENDAR":
        raise SourceError("Die Datei beginnt nicht mit BEGIN:VCALENDAR.")
    groups: dict[str, list[Any]] = {}
    for component in calendar.walk("VEVENT"):
        uid = _text(component, "UID")[:300]
        if not uid:
            seed = _text(component, "SUMMARY") + _text(component, "DTSTART")
            uid = "ohne-uid-" + hashlib.sha256(seed.encode()).hexdigest()[:16]
        groups.setdefault(uid, []).append(component)
    if not groups:
        raise SourceError("Der Kalender enthält keinen Termin (VEVENT).")
    for uid, components in groups.items():
        master = next((c for c in components if c.get("RECURRENCE-ID") is None), None)
        notes = []
        if len(components) > 1:
            notes.append(
                RecordError(
                    uid, "RECURRENCE-ID", "Einzeln geänderte Termine einer Serie werden nicht übernommen."
                )
            )
        if master is None:
            yield Record(
                uid, None, [RecordError(uid, "RECURRENCE-ID", "Die Serie zu diesem geänderten Termin fehlt.")]
            )
            continue
        broken = [f"{name}: {message}" for name, message in getattr(master, "errors", [])]
        if broken:
            yield Record(uid, None, [RecordError(uid, "", ("Ungültige Angabe " + "; ".join(broken))[:300])])
            continue
        try:
            data = _offer(master, uid)
        except FieldError as error:
            yield Record(uid, None, [RecordError(uid, error.field, error.message), *notes])
            continue
        yield Record(uid, data, notes)


base.register_reader("ical", read)
