"""``/veranstaltungen/kalender.ics``: valid iCalendar, per district and per topic."""

from __future__ import annotations

from typing import Any

import icalendar
import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _calendar(client: Client, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def test_the_calendar_has_the_required_properties(client: Client, make_event: Any) -> None:
    make_event(title="Lesung")
    make_event(title="Ganztägig, mit ; und \\ und Umlauten äöü", topic="fest")
    cal = _calendar(client, "/veranstaltungen/kalender.ics")
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"]).startswith("-//Konzept K//")
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Berlin"]
    events = cal.walk("VEVENT")
    assert len(events) == 2
    for event in events:
        for prop in ("UID", "DTSTAMP", "DTSTART", "SUMMARY", "URL"):
            assert prop in event, prop
        assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
        assert event.decoded("DTSTAMP").tzinfo is not None
    assert len({str(e["UID"]) for e in events}) == 2
    assert {str(e["SUMMARY"]) for e in events} == {"Lesung", "Ganztägig, mit ; und \\ und Umlauten äöü"}
    assert events[0]["GEO"].latitude == pytest.approx(51.335)


def test_per_district_and_topic(client: Client, make_event: Any) -> None:
    make_event(title="Ost-Lesung")
    make_event(title="West-Konzert", topic="musik", venue_name="Stadtgarten", lat=51.334, lon=6.5525)

    def titles(query: str) -> set[str]:
        return {
            str(e["SUMMARY"])
            for e in _calendar(client, f"/veranstaltungen/kalender.ics?{query}").walk("VEVENT")
        }

    assert titles("district=1") == {"West-Konzert"}
    assert titles("district=2") == {"Ost-Lesung"}
    assert titles("topic=musik") == {"West-Konzert"}
    assert titles("district=2&topic=musik") == set()
    assert "Ost" in str(_calendar(client, "/veranstaltungen/kalender.ics?district=2")["X-WR-CALNAME"])


@pytest.mark.parametrize("query", ["district=99", "topic=nope", "district=%3Cx%3E"])
def test_unknown_parts_are_a_400(client: Client, make_event: Any, query: str) -> None:
    assert client.get(f"/veranstaltungen/kalender.ics?{query}").status_code == 400


def test_one_event_as_a_file(client: Client, make_event: Any) -> None:
    event = make_event()
    cal = _calendar(client, f"/veranstaltungen/{event.pk}/kalender.ics")
    assert len(cal.walk("VEVENT")) == 1


def test_the_export_reads_back_into_the_importer(client: Client, make_event: Any) -> None:
    from konzeptk.events.ical_read import parse_feed
    from konzeptk.events.tests.conftest import at

    make_event()
    data = client.get("/veranstaltungen/kalender.ics").content
    parsed = parse_feed(data, horizon_start=at(-1), horizon_end=at(30))
    assert [o.title for o in parsed.occurrences] == ["Lesung"]
    assert not parsed.errors


def test_the_export_has_bounded_queries(
    client: Client, make_event: Any, django_assert_max_num_queries: Any
) -> None:
    for i in range(3):
        make_event(title=f"A{i}", venue_name=f"Ort {i}")
    with django_assert_max_num_queries(6):
        client.get("/veranstaltungen/kalender.ics?district=2")
    for i in range(30):
        make_event(title=f"B{i}", venue_name=f"Ort B{i}")
    with django_assert_max_num_queries(6):
        client.get("/veranstaltungen/kalender.ics?district=2")
