"""Importing recorded iCalendar feeds: counts per run, recurrences, duplicates across feeds, broken feeds."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from konzeptk.events import importer
from konzeptk.events.ical_read import MAX_PER_SERIES, FeedError, parse_feed
from konzeptk.events.importer import feed_import, feeds_import
from konzeptk.events.models import Event, ImportRun
from konzeptk.events.selectors import EventFilter, events_public
from konzeptk.events.tests.conftest import DATA, FEED_TODAY, feed_bytes

pytestmark = pytest.mark.django_db


def _import(feed: Any, name: str, **kw: Any) -> ImportRun:
    return feed_import(feed=feed, content=feed_bytes(name), today=FEED_TODAY, **kw)


def test_a_city_feed_is_read_with_its_series_expanded(city: Any, feeds: Any) -> None:
    _profile, west, east = city
    run = _import(feeds[0], "stadt_krefeld.ics")
    assert run.status == ImportRun.Status.OK
    assert (run.read, run.created, run.updated, run.duplicates, run.error_count) == (4, 19, 0, 0, 0)
    market = Event.objects.filter(uid="vk-1001@krefeld.example").order_by("start")
    # Tuesdays and Saturdays 2 March – 30 April 2027, without the excluded 3 April
    assert market.count() == 16
    assert not market.filter(start__date=dt.date(2027, 4, 3)).exists()
    first = market.first()
    assert first is not None
    assert first.start == dt.datetime(2027, 3, 2, 7, 0, tzinfo=dt.UTC)  # 08:00 in Berlin (CET)
    assert first.recurrence.startswith("FREQ=WEEKLY")
    assert first.topic == "markt"
    assert first.organiser_name == "Stadt Krefeld (Test)"
    assert first.status == Event.Status.PUBLISHED
    assert first.venue is not None
    assert first.venue.district == east
    concert = Event.objects.get(uid="vk-1002@krefeld.example")
    assert concert.topic == "musik"
    assert concert.venue is not None
    assert concert.venue.district == west
    festival = Event.objects.get(uid="vk-1003@krefeld.example")
    assert festival.all_day
    assert festival.topic == "fest"
    tour = Event.objects.get(uid="vk-1004@krefeld.example")
    assert tour.end is not None
    assert tour.end - tour.start == dt.timedelta(minutes=90)


def test_a_second_run_changes_nothing_and_says_so(city: Any, feeds: Any) -> None:
    _import(feeds[0], "stadt_krefeld.ics")
    run = _import(feeds[0], "stadt_krefeld.ics")
    assert (run.created, run.updated, run.unchanged, run.removed) == (0, 0, 19, 0)
    assert Event.objects.count() == 19


def test_a_changed_event_is_updated_and_a_vanished_one_removed(city: Any, feeds: Any) -> None:
    _import(feeds[0], "stadt_krefeld.ics")
    text = feed_bytes("stadt_krefeld.ics").replace(b"Konzert im Stadtgarten", b"Konzert im Stadtgarten (neu)")
    start, end = text.index(b"BEGIN:VEVENT\r\nUID:vk-1004"), text.index(b"END:VCALENDAR")
    text = text[:start] + text[end:]
    run = feed_import(feed=feeds[0], content=text, today=FEED_TODAY)
    assert (run.updated, run.removed) == (1, 1)
    assert Event.objects.get(uid="vk-1002@krefeld.example").title == "Konzert im Stadtgarten (neu)"
    assert not Event.objects.filter(uid="vk-1004@krefeld.example").exists()


def test_the_same_event_in_two_feeds_is_shown_once(city: Any, feeds: Any) -> None:
    _import(feeds[0], "stadt_krefeld.ics")
    run = _import(feeds[1], "kulturbuero.ics")
    assert (run.read, run.created, run.duplicates, run.error_count) == (5, 2, 1, 3)
    assert run.status == ImportRun.Status.PARTIAL
    copy = Event.objects.get(uid="kb-77@kultur.example")
    assert copy.duplicate_of == Event.objects.get(uid="vk-1002@krefeld.example")
    shown = list(events_public(EventFilter(date_from=dt.date(2027, 3, 14), date_to=dt.date(2027, 3, 14))))
    assert [e.title for e in shown if "konzert" in e.title.lower()] == ["Konzert im Stadtgarten"]
    # a different start (more than 30 minutes) or place is no duplicate
    assert Event.objects.get(uid="kb-78@kultur.example").duplicate_of is None


def test_errors_are_reported_per_record_and_the_rest_is_stored(city: Any, feeds: Any) -> None:
    run = _import(feeds[1], "kulturbuero.ics")
    messages = {e["uid"]: e["message"] for e in run.errors}
    assert set(messages) == {"kb-79@kultur.example", "kb-80@kultur.example", "kb-81@kultur.example"}
    assert "Ende liegt vor dem Beginn" in messages["kb-79@kultur.example"]
    assert "DTSTART" in messages["kb-80@kultur.example"]
    assert "häufiger als täglich" in messages["kb-81@kultur.example"]
    assert Event.objects.filter(feed=feeds[1]).count() == 2


@pytest.mark.parametrize("name", ["broken.ics", "truncated.ics"])
def test_a_broken_feed_gives_a_report_and_the_other_feeds_are_stored(
    city: Any, feeds: Any, name: str
) -> None:
    contents = {feeds[0].url: feed_bytes(name), feeds[1].url: feed_bytes("kulturbuero.ics")}
    runs = feeds_import(fetch=lambda url: contents[url])
    assert [r.status for r in runs] == [ImportRun.Status.FAILED, ImportRun.Status.PARTIAL]
    assert "kein gültiger iCalendar-Kalender" in runs[0].message
    assert Event.objects.filter(feed=feeds[1]).count() == 2
    assert ImportRun.objects.count() == 2


def test_a_feed_that_cannot_be_fetched_gives_a_report(city: Any, feeds: Any) -> None:
    def fail(url: str) -> bytes:
        raise FeedError("Der Kalender konnte nicht abgerufen werden: timed out")

    run = feed_import(feed=feeds[0], fetch=fail)
    assert run.status == ImportRun.Status.FAILED
    assert "timed out" in run.message


def test_only_http_addresses_are_fetched() -> None:
    with pytest.raises(FeedError):
        importer.fetch_url("file:///etc/passwd")


def test_a_huge_rrule_is_bounded_in_time_and_count() -> None:
    def feed(rule: str) -> bytes:
        return (
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//DE\r\nBEGIN:VEVENT\r\nUID:x\r\n"
            "DTSTAMP:20270101T000000Z\r\nDTSTART:20270101T100000Z\r\n"
            f"RRULE:{rule}\r\nSUMMARY:Serie\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        ).encode()

    start = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    end = start + dt.timedelta(days=365)
    daily = parse_feed(feed("FREQ=DAILY;BYHOUR=0,3,6,9,12,15,18,21"), horizon_start=start, horizon_end=end)
    assert len(daily.occurrences) == MAX_PER_SERIES
    assert "mehr als" in daily.errors[0].message
    weekly = parse_feed(feed("FREQ=WEEKLY;COUNT=100000"), horizon_start=start, horizon_end=end)
    assert 52 <= len(weekly.occurrences) <= 53
    assert all(o.start <= end for o in weekly.occurrences)
    for rule in ("FREQ=SECONDLY", "FREQ=MINUTELY;INTERVAL=1", "FREQ=HOURLY"):
        parsed = parse_feed(feed(rule), horizon_start=start, horizon_end=end)
        assert parsed.occurrences == []
        assert len(parsed.errors) == 1
    for rule in ("FREQ=YEARLY;BYMONTH=13", "FREQ=WEEKLY;UNTIL=morgen", "FREQ=NEVER", "BYDAY=XX"):
        nonsense = parse_feed(feed(rule), horizon_start=start, horizon_end=end)  # never raises
        assert len(nonsense.occurrences) + len(nonsense.errors) >= 1
        assert len(nonsense.occurrences) <= 1


@pytest.mark.parametrize("data", [b"", b"\x00\xff\xfe", b"BEGIN:VCALENDAR\r\n", b"x" * (5 * 1024 * 1024 + 1)])
def test_hostile_files_are_refused_as_a_whole(data: bytes) -> None:
    start = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    with pytest.raises(FeedError):
        parse_feed(data, horizon_start=start, horizon_end=start + dt.timedelta(days=10))


def test_the_command_imports_from_a_file(city: Any, feeds: Any, settings: Any) -> None:
    settings.EVENTS_IMPORT_PAST_DAYS = 3650
    settings.EVENTS_IMPORT_HORIZON_DAYS = 3650
    out = StringIO()
    call_command(
        "import_events", "--feed", str(feeds[1].pk), "--file", str(DATA / "kulturbuero.ics"), stdout=out
    )
    assert "neu 2" in out.getvalue()
    assert "Fehler 3" in out.getvalue()


def test_the_beat_task_imports_every_active_feed(city: Any, feeds: Any, monkeypatch: Any) -> None:
    from konzeptk.events.tasks import import_feeds

    feeds[1].active = False
    feeds[1].save()
    monkeypatch.setattr(importer, "fetch_url", lambda url: feed_bytes("broken.ics"))
    assert import_feeds() == 1
    assert ImportRun.objects.get().status == ImportRun.Status.FAILED
