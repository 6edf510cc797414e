"""The public pages: list with filters and map, event page with JSON-LD, bounded queries, bad input."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from konzeptk.events.models import Event
from konzeptk.events.tests.conftest import at

pytestmark = pytest.mark.django_db


def _jsonld(html: str) -> dict[str, Any]:
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(found) == 1
    data: dict[str, Any] = json.loads(found[0])
    return data


def test_the_list_shows_coming_published_events_once(client: Client, make_event: Any) -> None:
    make_event(title="Lesung am Abend")
    make_event(title="Vergangen", start=at(-10), end=at(-10, 20))
    pending = make_event(title="Noch nicht geprüft")
    Event.objects.filter(pk=pending.pk).update(status=Event.Status.PENDING)
    html = client.get("/veranstaltungen/").content.decode()
    assert "Lesung am Abend" in html
    assert "Vergangen" not in html
    assert "Noch nicht geprüft" not in html
    assert 'class="kk-map' in html  # the platform's map component


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("topic=musik", {"Konzert"}),
        ("district=1", {"Konzert"}),
        ("district=2", {"Lesung", "Markt"}),
        ("free=1", {"Lesung", "Markt"}),
        ("accessible=1", {"Lesung"}),
        (f"date_from={(dt.date.today() + dt.timedelta(days=6)).isoformat()}", {"Markt"}),
    ],
)
def test_the_filters(client: Client, make_event: Any, query: str, expected: set[str]) -> None:
    make_event(title="Lesung")
    make_event(
        title="Konzert",
        topic="musik",
        venue_name="Stadtgarten",
        lat=51.334,
        lon=6.5525,
        is_free=False,
        step_free=False,
    )
    make_event(
        title="Markt",
        topic="markt",
        start=at(7),
        end=at(7, 20),
        venue_name="Markt",
        lat=51.34,
        lon=6.60,
        step_free=None,
    )
    html = client.get(f"/veranstaltungen/?{query}").content.decode()
    shown = {t for t in ("Lesung", "Konzert", "Markt") if f">{t}<" in html}
    assert shown == expected


@pytest.mark.parametrize(
    "query",
    [
        "date_from=gestern",
        "date_from=2027-02-30",
        "date_from=2027-03-01&date_to=2027-01-01",
        "date_to=9999-12-31",
        "date_from=0001-01-01",
        "district=99",
        "topic=<script>",
        "page=abc",
        "page=99999",
        "free=%00",
    ],
)
def test_bad_filters_give_a_page_not_a_500(client: Client, make_event: Any, query: str) -> None:
    make_event()
    response = client.get(f"/veranstaltungen/?{query}")
    assert response.status_code in (200, 400)


def test_the_list_paginates_with_bounded_queries(
    client: Client, make_event: Any, django_assert_max_num_queries: Any
) -> None:
    def count(n: int) -> None:
        for i in range(n):
            make_event(title=f"Termin {Event.objects.count()} {i}", venue_name=f"Ort {i}")

    count(3)
    with django_assert_max_num_queries(12):
        assert client.get("/veranstaltungen/").status_code == 200
    count(40)
    with django_assert_max_num_queries(12):
        html = client.get("/veranstaltungen/?page=2").content.decode()
    assert "Seite 2 von 3" in html


def test_the_event_page_has_schema_org_json_ld(client: Client, make_event: Any) -> None:
    event = make_event(
        title="Konzert </script><script>alert(1)</script>", is_free=False, price=Decimal("12.50")
    )
    html = client.get(f"/veranstaltungen/{event.pk}/").content.decode()
    data = _jsonld(html)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Event"
    assert data["name"].startswith("Konzert </script>")
    assert dt.datetime.fromisoformat(data["startDate"]).utcoffset() == dt.timedelta(
        hours=1
    ) or dt.datetime.fromisoformat(data["startDate"]).utcoffset() == dt.timedelta(hours=2)
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    location = data["location"]
    assert location["@type"] == "Place"
    assert location["address"]["@type"] == "PostalAddress"
    assert location["address"]["streetAddress"] == "Theaterplatz 2"
    assert data["organizer"] == {"@type": "Organization", "name": "Mediothek"}
    assert data["isAccessibleForFree"] is False
    assert data["offers"]["price"] == "12.50"
    assert data["offers"]["priceCurrency"] == "EUR"
    assert "<script>alert(1)" not in html


def test_a_free_event_says_so_and_shows_its_accessibility(client: Client, make_event: Any) -> None:
    event = make_event(induction_loop=False, sign_language=True)
    response = client.get(f"/veranstaltungen/{event.pk}/")
    data = _jsonld(response.content.decode())
    assert data["isAccessibleForFree"] is True
    assert data["offers"]["price"] == "0.00"
    html = response.content.decode()
    assert "stufenlos erreichbar" in html
    assert "Induktionsschleife" in html
    assert "mit Gebärdensprache" in html


def test_an_unpublished_event_is_not_found(client: Client, make_event: Any) -> None:
    event = make_event()
    Event.objects.filter(pk=event.pk).update(status=Event.Status.REJECTED)
    assert client.get(f"/veranstaltungen/{event.pk}/").status_code == 404
    assert client.get(f"/veranstaltungen/{event.pk}/kalender.ics").status_code == 404
    assert client.get("/veranstaltungen/99999999/").status_code == 404


def test_the_event_page_in_arabic_marks_the_german_text(client: Client, make_event: Any) -> None:
    event = make_event()
    html = client.get(f"/ar/veranstaltungen/{event.pk}/").content.decode()
    assert 'dir="rtl"' in html
    assert 'lang="de"' in html


def test_a_duplicate_leads_to_its_original(client: Client, make_event: Any) -> None:
    original = make_event()
    copy = make_event()
    Event.objects.filter(pk=copy.pk).update(duplicate_of=original)
    response = client.get(f"/veranstaltungen/{copy.pk}/")
    assert response.status_code == 302
    assert response["Location"].endswith(f"/veranstaltungen/{original.pk}/")
