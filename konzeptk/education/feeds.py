"""The sessions as iCalendar (RFC 5545): ``/bildung/kalender.ics``, per provider
``/bildung/anbieter/<slug>/kalender.ics``, per DigComp area ``?area=1`` … ``5`` and per district
``?district=<Nummer>``.

Every published session from today for :data:`MONTHS` months is one VEVENT (a course's RRULE arrives
as its sessions, so every calendar program shows the same dates as the platform, cancelled ones with
``STATUS:CANCELLED``). Written as text, line by line, with the escaping, folding and time zone of the
event calendar (``events/ical_write.py``), and streamed: at most :data:`MAX_SESSIONS` sessions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone

from konzeptk.core.siteurl import absolute_url, site_url
from konzeptk.education.models import Competence, Offer, Provider, Session
from konzeptk.events.ical_write import VTIMEZONE, fold, text

PRODID = "-//Konzept K//Bildungsangebote//DE"
BERLIN = ZoneInfo("Europe/Berlin")
MONTHS = 6
MAX_SESSIONS = 20_000
KIND_LABELS = {
    "course": "Kurs",
    "event": "Veranstaltung",
    "place": "Lernort",
    "lending": "Ausleihe",
    "resource": "Online",
}


@dataclass(frozen=True)
class FeedFilter:
    provider: Provider | None = None
    area: int | None = None  # DigComp area 1 … 5
    district_id: int | None = None


def sessions_for(flt: FeedFilter, *, now: dt.datetime | None = None) -> QuerySet[Session]:
    """Sessions of published offers from the start of today for :data:`MONTHS` months, in order."""
    moment = now or timezone.now()
    today = timezone.localdate(moment)
    start = dt.datetime.combine(today, dt.time(), tzinfo=BERLIN)
    end = start + dt.timedelta(days=31 * MONTHS)
    sessions = Session.objects.filter(
        offer__status=Offer.Status.PUBLISHED, end__gte=start, start__lt=end
    ).select_related("offer", "offer__provider")
    if flt.provider is not None:
        sessions = sessions.filter(offer__provider=flt.provider)
    if flt.area is not None:
        sessions = sessions.filter(
            Exists(Competence.objects.filter(offer=OuterRef("offer_id"), area=flt.area))
        )
    if flt.district_id is not None:
        sessions = sessions.filter(offer__district_id=flt.district_id)
    return sessions.order_by("start", "pk")


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _local(name: str, value: dt.datetime) -> str:
    return f"{name};TZID=Europe/Berlin:{value.astimezone(BERLIN):%Y%m%dT%H%M%S}"


def _session_lines(session: Session, *, host: str, stamp: str) -> Iterator[str]:
    offer = session.offer
    yield "BEGIN:VEVENT"
    yield f"UID:education-session-{session.pk}@{host}"
    yield f"DTSTAMP:{stamp}"
    yield _local("DTSTART", session.start)
    yield _local("DTEND", session.end)
    yield f"SUMMARY:{text(str(getattr(offer, 'title_de', '') or offer.title))}"
    summary = str(getattr(offer, "summary_de", "") or "")
    if summary:
        yield f"DESCRIPTION:{text(summary)}"
    if offer.online:
        yield "LOCATION:online"
    elif offer.place_name or offer.address:
        yield "LOCATION:" + text(", ".join(p for p in (offer.place_name, offer.address) if p))
    if offer.lat is not None and offer.lon is not None and not offer.online:
        yield f"GEO:{offer.lat:.6f};{offer.lon:.6f}"
    yield f"URL:{absolute_url(reverse('education:detail', kwargs={'slug': offer.slug}))}"
    organiser = "".join(c for c in offer.provider.name if c not in '"\r\n')
    provider_page = absolute_url(reverse("education:provider", kwargs={"slug": offer.provider.slug}))
    yield f'ORGANIZER;CN="{organiser}":{provider_page}'
    yield f"CATEGORIES:Bildung,{KIND_LABELS.get(offer.kind, offer.kind)}"
    yield "STATUS:CANCELLED" if session.cancelled else "STATUS:CONFIRMED"
    yield f"LAST-MODIFIED:{_utc(offer.updated_at)}"
    yield "END:VEVENT"


def calendar_lines(sessions: QuerySet[Session], *, name: str) -> Iterator[str]:
    """The folded lines (each ending in CRLF) of a calendar of ``sessions``; lazy, for streaming."""
    host = urlsplit(site_url()).hostname or "konzeptk"
    stamp = _utc(timezone.now())
    head = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{text(name)}",
        "X-WR-TIMEZONE:Europe/Berlin",
        *VTIMEZONE,
    ]
    for line in head:
        yield fold(line) + "\r\n"
    for session in sessions[:MAX_SESSIONS].iterator(chunk_size=1000):
        yield "".join(fold(line) + "\r\n" for line in _session_lines(session, host=host, stamp=stamp))
    yield "END:VCALENDAR\r\n"
