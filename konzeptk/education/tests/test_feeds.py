"""iCalendar out (all sessions, per provider, per DigComp area and district), the CSV download in the
documented column set (and its re-import), the catalogue entry and the event calendar's source."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import icalendar
import pytest
from django.test import Client
from django.utils import timezone

from konzeptk.core import catalogue
from konzeptk.education import event_source, imports
from konzeptk.education.importers.csv import COLUMNS
from konzeptk.education.models import ImportSource, Offer, Provider, Session
from konzeptk.education.offer_csv import HEADER
from konzeptk.education.tests.conftest import local_at, make_provider
from konzeptk.events.source_registry import event_sources, external_events

pytestmark = pytest.mark.django_db


def _events(response: Any) -> list[Any]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    calendar = icalendar.Calendar.from_ical(body)
    return list(calendar.walk("VEVENT"))


def test_calendar_has_every_session_of_a_rrule_course(
    client: Client, make_offer: Callable[..., Offer]
) -> None:
    course = make_offer()  # FREQ=WEEKLY;COUNT=4 from a week ahead
    make_offer(title="Entwurf", status=Offer.Status.DRAFT)
    response = client.get("/bildung/kalender.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = _events(response)
    starts = sorted(e.decoded("DTSTART") for e in events)
    assert starts == sorted(s.start for s in Session.objects.filter(offer=course))
    assert len(events) == 4
    assert all("RRULE" not in e for e in events)
    assert {str(e["SUMMARY"]) for e in events} == {"Smartphone für Einsteiger"}
    assert len({str(e["UID"]) for e in events}) == 4
    assert all(str(e["URL"]).endswith(f"/bildung/{course.slug}/") for e in events)


def test_cancelled_sessions_are_marked(client: Client, make_offer: Callable[..., Offer]) -> None:
    course = make_offer()
    Session.objects.filter(pk=Session.objects.filter(offer=course).order_by("start").first().pk).update(
        cancelled=True
    )  # type: ignore[union-attr]
    statuses = sorted(str(e["STATUS"]) for e in _events(client.get("/bildung/kalender.ics")))
    assert statuses == ["CANCELLED", "CONFIRMED", "CONFIRMED", "CONFIRMED"]


def test_provider_area_and_district_feeds(
    client: Client, edu_city: Any, make_offer: Callable[..., Offer]
) -> None:
    other = make_provider("Mediothek Beispielstadt", "mediothek")
    make_offer(title="Ost, Bereich 2", lat=51.333, lon=6.60, competences=[("2.1", 2)])
    make_offer(title="West, Bereich 4", lat=51.333, lon=6.50, competences=[("4.2", 1)], provider=other)

    def titles(url: str) -> set[str]:
        return {str(e["SUMMARY"]) for e in _events(client.get(url))}

    assert titles("/bildung/kalender.ics?area=2") == {"Ost, Bereich 2"}
    assert titles("/bildung/kalender.ics?area=4") == {"West, Bereich 4"}
    assert titles("/bildung/anbieter/mediothek/kalender.ics") == {"West, Bereich 4"}
    _profile, west, east = edu_city
    assert titles(f"/bildung/kalender.ics?district={east.code}") == {"Ost, Bereich 2"}
    assert titles(f"/bildung/kalender.ics?district={west.code}&area=4") == {"West, Bereich 4"}
    assert client.get("/bildung/kalender.ics?area=9").status_code == 400
    assert client.get("/bildung/kalender.ics?district=nirgendwo").status_code == 400
    assert client.get("/bildung/anbieter/unbekannt/kalender.ics").status_code == 404


def test_feed_leaves_out_the_past_and_the_far_future(
    client: Client, make_offer: Callable[..., Offer]
) -> None:
    make_offer(title="Vorbei", first_start=local_at(-30), rrule="FREQ=WEEKLY;COUNT=2")
    make_offer(title="Nächstes Jahr", first_start=local_at(300), rrule="FREQ=WEEKLY;COUNT=2")
    make_offer(title="Bald", first_start=local_at(3), rrule="FREQ=WEEKLY;COUNT=2")
    assert {str(e["SUMMARY"]) for e in _events(client.get("/bildung/kalender.ics"))} == {"Bald"}


def test_csv_download_has_the_documented_columns_and_imports_again(
    client: Client, make_offer: Callable[..., Offer], provider: Provider
) -> None:
    make_offer(title="=SUMME(A1)", summary="+49 Telefonkurs")
    make_offer(
        title="Sprechstunde",
        kind=Offer.Kind.EVENT,
        first_start=None,
        duration_minutes=None,
        rrule="",
        sessions=[(local_at(5, 15), local_at(5, 17)), (local_at(12, 15), local_at(12, 17))],
    )
    response = client.get("/bildung/angebote.csv")
    body = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert tuple(rows[0]) == HEADER
    assert HEADER[: len(COLUMNS)] == COLUMNS
    by_title = {row[1]: dict(zip(HEADER, row, strict=True)) for row in rows[1:]}
    assert "'=SUMME(A1)" in by_title
    assert by_title["'=SUMME(A1)"]["rrule"] == "FREQ=WEEKLY;COUNT=4"
    assert by_title["'=SUMME(A1)"]["competences"] == "2.1:2 4.2:1"
    assert len(by_title["Sprechstunde"]["dates"].split(";")) == 2
    # the download imports again for another provider, formula marks removed
    other = make_provider("Zweiter Anbieter", "zweiter")
    source = ImportSource.objects.create(provider=other, title="Rückimport", format="csv", url="upload:csv")
    run = imports.source_import(source=source, content=body)
    assert (run.status, run.created, run.error_count) == ("ok", 2, 0), run.errors
    again = Offer.objects.get(import_source=source, kind=Offer.Kind.COURSE)
    assert again.title_de == "=SUMME(A1)"
    assert again.summary_de == "+49 Telefonkurs"
    assert Session.objects.filter(offer=again).count() == 4


def test_catalogue_entry_points_at_the_exports() -> None:
    entries = list(catalogue.providers()["education"]())
    urls = {d.access_url for e in entries for d in e.distributions}
    assert urls == {"/bildung/angebote.csv", "/bildung/api/moochub/courses", "/bildung/kalender.ics"}
    assert entries[0].themes == ("EDUC",)


def test_event_calendar_shows_events_and_course_starts(make_offer: Callable[..., Offer]) -> None:
    assert event_sources()["education"] is event_source.external_events
    course = make_offer(title="Tablet-Kurs")
    make_offer(
        title="Digital-Café",
        kind=Offer.Kind.EVENT,
        first_start=None,
        duration_minutes=None,
        rrule="",
        sessions=[(local_at(2, 15), local_at(2, 17)), (local_at(9, 15), local_at(9, 17))],
    )
    make_offer(title="Nicht öffentlich", status=Offer.Status.DRAFT)
    now = timezone.now()
    items = [i for i in external_events(now, now + dt.timedelta(days=60)) if i.source == "education"]
    assert [i.title for i in items] == ["Digital-Café", "Kursbeginn: Tablet-Kurs", "Digital-Café"]
    assert items[1].start == Session.objects.filter(offer=course).order_by("start").first().start  # type: ignore[union-attr]
    assert all(i.url.startswith("/bildung/") and i.topic == "bildung" for i in items)
    later = [
        i
        for i in external_events(now + dt.timedelta(days=8, hours=12), now + dt.timedelta(days=60))
        if i.source == "education"
    ]
    assert [i.title for i in later] == ["Digital-Café"]  # the course's later sessions are not in the calendar
