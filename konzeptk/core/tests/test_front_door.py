"""The home page is a front door (issue 13): running processes with phase and deadline, the latest
answers to ideas, live city figures linked to their dashboards and how many indicators are on course –
gathered through core's front door registry, with a query count that does not grow with the data."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from konzeptk.core import front_door_registry
from konzeptk.participation.tests.factories import IdeaFactory, PhaseFactory, ProcessFactory
from konzeptk.sensing.a11y import seed_dashboard_data
from konzeptk.servicedesk.models import Report
from konzeptk.servicedesk.tests.factories import ReportFactory
from konzeptk.strategy.tests.factories import IndicatorFactory, IndicatorTargetFactory, IndicatorValueFactory

pytestmark = pytest.mark.django_db


def _pedestrians() -> None:
    from konzeptk.sensing import models as m
    from konzeptk.sensing.services import _extend_datastream_times, _feature_for
    from konzeptk.sensing.storage import Row, insert_rows

    thing = m.Thing.objects.create(name="Zähler Hochstraße", properties={"bezirk": "Mitte"})
    thing.locations.add(
        m.Location.objects.create(
            name="Hochstraße", location={"type": "Point", "coordinates": [6.563, 51.332]}
        )
    )
    ds = m.Datastream.objects.create(
        name="Passant:innen Hochstraße",
        unit_of_measurement={"name": "Anzahl pro Stunde", "symbol": "1/h", "definition": "ucum:/h"},
        thing=thing,
        sensor=m.Sensor.objects.create(name="Laserzähler"),
        observed_property=m.ObservedProperty.objects.create(name="Passant:innen"),
        properties={"topic": "innenstadt", "kind": "pedestrians", "simulated": True, "source": "Test"},
    )
    feature = _feature_for(ds)
    # 30 July 2024, 0:00 to 23:00 Berlin time (22:00 UTC the day before): 24 hours of 1,000 passers-by
    start = dt.datetime(2024, 7, 29, 22, tzinfo=dt.UTC)
    rows = [Row(ds.pk, feature.pk, start + dt.timedelta(hours=h), result_number=1000.0) for h in range(24)]
    insert_rows(rows)
    _extend_datastream_times(rows)


def _add(n: int, offset: int) -> None:
    """``n`` processes with a running phase, answered ideas, open reports and indicators."""
    now = timezone.now()
    for i in range(n):
        process = ProcessFactory(title=f"Verfahren {offset + i}", teaser="Worum es geht")
        PhaseFactory(process=process, name="Ideen sammeln", end=now + dt.timedelta(days=10 + offset + i))
        for j in range(3):
            IdeaFactory(
                process=process,
                title=f"Idee {offset + i}-{j}",
                status="accepted",
                answer="Wird umgesetzt.",
                answered_at=now - dt.timedelta(hours=offset + i + j),
            )
        ReportFactory(status=Report.Status.OPEN)
        ReportFactory(status=Report.Status.CLOSED)
        indicator = IndicatorFactory(
            slug=f"kennzahl-{offset + i}", direction="up", baseline_value=0, baseline_year=2020
        )
        IndicatorTargetFactory(indicator=indicator, value=10, year=2030)
        IndicatorValueFactory(indicator=indicator, value=9, date=dt.date(2024, 1, 1))


def _queries(client: Client) -> tuple[int, str]:
    client.get("/")  # warm the caches (city profile, site texts) as a running server has them
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    return len(queries.captured_queries), response.content.decode()


def test_every_room_that_feeds_the_front_door_registered() -> None:
    assert {"participation", "sensing", "servicedesk", "strategy"} <= set(front_door_registry.providers())


def test_home_page_shows_processes_answers_figures_and_indicators(settings: Any) -> None:
    settings.KONZEPTK_FRONT_DOOR_SECONDS = 0
    seed_dashboard_data()
    _pedestrians()
    _add(2, 0)
    client = Client()
    _count, html = _queries(client)
    assert "Jetzt mitmachen" in html
    assert "Verfahren 0" in html
    assert "Läuft gerade: Ideen sammeln" in html
    assert "Neueste Antworten auf Ideen" in html
    assert "Idee 0-0" in html
    assert "Lufttemperatur" in html
    assert 'href="/daten/klima/"' in html
    assert "24.000" in html  # passers-by of the latest day, with the German thousands separator
    assert 'href="/daten/innenstadt/"' in html
    assert "offene Mängelmeldungen" in html
    assert 'href="/maengel/"' in html
    assert "Kennzahlen der Strategie auf Kurs" in html
    assert "2 von 2" in html
    assert 'href="/strategie/indikatoren/"' in html
    # the map of the city stays (helper2's component); the front door comes before it
    assert html.index("Jetzt mitmachen") < html.index("Was Sie hier tun können")


def test_home_page_query_count_does_not_grow_with_the_data(settings: Any) -> None:
    settings.KONZEPTK_FRONT_DOOR_SECONDS = 0  # every visit asks the providers (as in all tests)
    seed_dashboard_data()
    _pedestrians()
    _add(2, 0)
    client = Client()
    small, _html = _queries(client)
    _add(12, 100)
    large, html = _queries(client)
    assert "14 von 14" in html
    assert small == large, (small, large)
    assert large <= 20


def test_a_failing_provider_leaves_the_front_door_open(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(limit: int) -> front_door_registry.Contribution:
        raise RuntimeError("kaputt")

    monkeypatch.setitem(front_door_registry._providers, "kaputt", broken)
    assert Client().get("/").status_code == 200


def test_front_door_is_kept_a_minute_per_language(settings: Any) -> None:
    from django.core.cache import cache

    settings.KONZEPTK_FRONT_DOOR_SECONDS = 60
    cache.clear()
    _add(1, 0)
    client = Client()
    first, html = _queries(client)  # the warm-up visit filled the cache
    assert "Verfahren 0" in html
    _add(1, 50)
    again, html = _queries(client)
    assert "Verfahren 50" not in html  # still the kept answer
    assert again == first
    english = client.get("/en/").content.decode()
    assert "Verfahren 50" in english  # another language: asked anew
    cache.clear()
