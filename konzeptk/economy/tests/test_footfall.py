"""Passer-by figures: the hystreet importer (recorded file, hostile input) and the dashboard."""

from __future__ import annotations

import datetime as dt
import io
import json
import math
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from konzeptk.economy import footfall
from konzeptk.economy.hystreet import HystreetError, hystreet_import
from konzeptk.events.models import Event
from konzeptk.sensing.bulk import observations_create_bulk
from konzeptk.sensing.selectors import aggregate_value
from konzeptk.sensing.services import Writer, entity_create
from konzeptk.sensing.sta.schema import ENTITY_TYPES

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"
BERLIN = ZoneInfo("Europe/Berlin")


def recorded() -> dict:
    return json.loads((DATA / "hystreet_krefeld_hochstrasse.json").read_text(encoding="utf-8"))


def test_recorded_file_is_imported_once(city):
    report = hystreet_import(payload=recorded())
    assert report.created
    assert report.stored == 6
    assert report.skipped == 0
    assert not report.rejected
    (stream,) = footfall.counters()
    assert stream.properties["hystreet_location_id"] == 331
    assert stream.thing.properties["bezirk"] == "Mitte"
    start = dt.datetime(2025, 6, 14, tzinfo=dt.UTC)
    assert (
        aggregate_value(datastream=stream, statistic="sum", start=start, end=start + dt.timedelta(days=1))
        == 11125
    )
    again = hystreet_import(payload=recorded())
    assert not again.created
    assert again.stored == 0
    assert again.skipped == 6
    assert stream.observations.first().parameters["weather"] in {"partly-cloudy-day", "clear-day", "rain"}


def test_command(city, tmp_path):
    out = io.StringIO()
    call_command("import_hystreet", str(DATA / "hystreet_krefeld_hochstrasse.json"), stdout=out)
    assert "6 gespeichert" in out.getvalue()
    broken = tmp_path / "kaputt.json"
    broken.write_text('{"location_id": 1, "measurements": [', encoding="utf-8")
    with pytest.raises(CommandError, match="kein gültiges JSON"):
        call_command("import_hystreet", str(broken))
    deep = tmp_path / "tief.json"
    deep.write_text("[" * 5000 + "]" * 5000, encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_hystreet", str(deep))
    with pytest.raises(CommandError, match="nicht gefunden"):
        call_command("import_hystreet", str(tmp_path / "fehlt.json"))


@pytest.mark.parametrize(
    "payload",
    [
        [],
        {"name": "x", "measurements": []},
        {"location_id": True, "name": "x", "measurements": []},
        {"location_id": -3, "name": "x", "measurements": []},
        {"location_id": 5, "name": "", "measurements": []},
        {"location_id": 5, "name": "x", "measurements": {}},
        {"location_id": 5, "name": "x", "resolution": "day", "measurements": []},
        {"location_id": 5, "name": "Unbekannte Straße", "measurements": []},  # no place
    ],
)
def test_hostile_files_are_refused(city, payload):
    with pytest.raises(HystreetError):
        hystreet_import(payload=payload)


def test_bad_measurements_are_reported_and_the_rest_stored(city):
    payload = recorded()
    payload["measurements"] += [
        "kaputt",
        {"measured_at": "gestern", "total_count": 5},
        {"measured_at": "2025-06-14T20:00:00", "total_count": 5},  # no time zone
        {"measured_at": "2025-06-14T21:00:00.000Z", "total_count": -1},
        {"measured_at": "2025-06-14T22:00:00.000Z", "total_count": math.nan},
        {"measured_at": "2025-06-14T23:00:00.000Z", "total_count": "12"},
        {"measured_at": "9999-12-31T23:00:00.000Z", "total_count": 1},
    ]
    report = hystreet_import(payload=payload)
    assert report.stored == 6
    assert len(report.rejected) == 7


def _simulate(
    days: int, *, end: dt.date, boost: set[dt.date] = frozenset(), rain: set[dt.date] = frozenset()
) -> None:
    start = dt.datetime.combine(end - dt.timedelta(days=days), dt.time(), tzinfo=BERLIN).astimezone(dt.UTC)
    measurements = []
    for h in range(days * 24):
        at = start + dt.timedelta(hours=h)
        local = at.astimezone(BERLIN)
        base = 100 if 9 <= local.hour < 20 else 5
        base *= 2 if local.weekday() == 5 else 0.2 if local.weekday() == 6 else 1
        base *= 1.5 if local.date() in boost else 0.8 if local.date() in rain else 1
        measurements.append({"measured_at": at.strftime("%Y-%m-%dT%H:%M:%S.000Z"), "total_count": int(base)})
    hystreet_import(
        payload={"location_id": 7, "name": "Teststraße", "measurements": measurements}, place=(6.56, 51.33)
    )


def _rain_stream(days: set[dt.date], *, end: dt.date, length: int) -> None:
    writer = Writer(None, open_write=True)
    thing = entity_create(
        entity=ENTITY_TYPES["Thing"],
        data={"name": "Regen", "description": "",
              "Locations": [{"name": "Dach", "description": "", "encodingType": "application/geo+json",
                             "location": {"type": "Point", "coordinates": [6.56, 51.33]}}],
              "Datastreams": [{
            "name": "Niederschlag", "description": "", "unitOfMeasurement": {"name": "mm", "symbol": "mm", "definition": "ucum:mm"},
            "observationType": "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement",
            "properties": {"topic": "klima", "kind": "precipitation"},
            "Sensor": {"name": "s", "description": "", "encodingType": "text/html", "metadata": "x"},
            "ObservedProperty": {"name": "Niederschlag", "definition": "x", "description": ""}}]},
        writer=writer,
    )  # fmt: skip
    stream = thing.datastreams.get()
    rows = []
    for i in range(length):
        day = end - dt.timedelta(days=length - i)
        noon = dt.datetime.combine(day, dt.time(12), tzinfo=BERLIN)
        rows.append([noon.isoformat(), 4.0 if day in days else 0.0])
    answers = observations_create_bulk(
        payload=[
            {
                "Datastream": {"@iot.id": stream.pk},
                "components": ["phenomenonTime", "result"],
                "dataArray": rows,
            }
        ],
        writer=writer,
    )
    assert all(isinstance(a, int) for a in answers), answers[:3]


def test_dashboard_figures(city):
    today = dt.date(2026, 12, 6)
    festival = dt.date(2026, 9, 12)  # a Saturday
    wet = {dt.date(2026, 10, 14), dt.date(2026, 10, 21)}  # Wednesdays
    _simulate(400, end=today, boost={festival}, rain=wet)
    _rain_stream(wet, end=today, length=120)
    Event.objects.create(
        title="Stadtfest", start=dt.datetime(2026, 9, 12, 11, tzinfo=BERLIN), end=dt.datetime(2026, 9, 12, 22, tzinfo=BERLIN),
        status=Event.Status.PUBLISHED,
    )  # fmt: skip
    (stream,) = footfall.counters()
    board = footfall.dashboard(stream, today=today, week_start=dt.date(2026, 11, 25))
    assert board.week_start == dt.date(2026, 11, 23)  # back to Monday
    monday = board.week[0]
    assert monday.total == 11 * 100 + 13 * 5
    assert monday.last_year == monday.total
    assert monday.change == 0
    assert board.profile[5][1] == pytest.approx(
        2 * (11 * 100 + 13 * 5), rel=0.02
    )  # the festival is one Saturday
    (event,) = board.events
    assert event.day == festival
    assert event.titles == ("Stadtfest",)
    assert event.comparable == pytest.approx(2 * 1165)
    assert event.change == pytest.approx(50, abs=0.5)
    rain = next(w for w in board.weather if w.key == "rain")
    assert rain.days == 2
    assert rain.ratio == pytest.approx(80, abs=1.5)
    assert [round(v) for _t, v in board.hours][9:12] == [200, 200, 200]  # the last day counted: a Saturday
    assert [p.label for p in board.years] == ["2025", "2026"]


@pytest.mark.parametrize("days", [30, 400])
def test_passers_page_queries_do_not_grow(client: Client, city, django_assert_max_num_queries, days):
    _simulate(days, end=dt.date.today())
    with django_assert_max_num_queries(25):
        response = client.get("/innenstadt/geschaefte/passanten/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Teststraße" in text
    assert "<svg" in text


def test_passers_page_bad_input(client: Client, city):
    assert client.get("/innenstadt/geschaefte/passanten/").status_code == 200  # no counters yet
    _simulate(10, end=dt.date.today())
    assert client.get("/innenstadt/geschaefte/passanten/?week=gestern").status_code == 400
    assert client.get("/innenstadt/geschaefte/passanten/?counter=%00").status_code == 400
    assert client.get("/innenstadt/geschaefte/passanten/?counter=999999&day=0001-01-01").status_code == 400
    assert client.get("/innenstadt/geschaefte/passanten/?counter=999999&week=2026-01-05").status_code == 200
