"""The calendar file of one booking: every session of the offer as a VEVENT (RFC 5545, via
``icalendar``). A course has at most 500 sessions (``offer_save`` refuses more), so building the
objects costs little. Times are written in UTC; cancelled sessions are marked CANCELLED, so a calendar
that imported the file earlier updates them by their UID."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import icalendar
from django.urls import reverse
from django.utils import timezone

from konzeptk.core.siteurl import absolute_url, site_url
from konzeptk.education.models import Booking, Session

PRODID = "-//Konzept K//Digitale Bildung//DE"


def booking_calendar(booking: Booking, *, now: dt.datetime | None = None) -> bytes:
    """The .ics file of ``booking``: the offer's sessions, with place, link and the booking page."""
    offer = booking.offer
    host = urlsplit(site_url()).hostname or "konzeptk"
    stamp = (now or timezone.now()).astimezone(dt.UTC)
    page = absolute_url(reverse("education:booking", kwargs={"token": booking.token}))
    place = ", ".join(p for p in (offer.place_name, offer.address) if p) or ("Online" if offer.online else "")
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", offer.title)
    sessions = Session.objects.filter(offer=offer).order_by("start", "pk")
    for session in sessions:
        event = icalendar.Event()
        event.add("uid", f"education-session-{session.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", session.start.astimezone(dt.UTC))
        event.add("dtend", session.end.astimezone(dt.UTC))
        event.add("summary", offer.title)
        if place:
            event.add("location", place)
        if offer.lat is not None and offer.lon is not None:
            event.add("geo", (offer.lat, offer.lon))
        event.add("description", "\n".join(p for p in (offer.summary, page) if p))
        event.add("url", page)
        event.add("status", "CANCELLED" if session.cancelled else "CONFIRMED")
        cal.add_component(event)
    return bytes(cal.to_ical())
