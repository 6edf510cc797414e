"""``python -m konzeptk.bench events``: 20,000 events in a throwaway database, server times.

Runs on the configured database and on the other backend (PostgreSQL from
``KONZEPTK_BENCH_POSTGRES_URL``; skipped with a note when no server answers). Loads the Krefeld
profile, seeds 20,000 published events over a year at 400 venues, and measures through the full
request cycle: the list (first page, filtered by district and topic), an event page, ``kalender.ics``
(all, at most 2,000 events, and one district), ``event_days`` over a year, and the import of a feed
with 1,000 occurrences (first run and the unchanged second run). The demo database is never touched.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time
from collections.abc import Callable

N_EVENTS = int(os.environ.get("KONZEPTK_BENCH_EVENTS", "20000"))
REPEAT = 7


def _measure(run: Callable[[], object], repeat: int = REPEAT) -> tuple[float, float]:
    run()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def main() -> None:
    from konzeptk.bench import on_both_databases

    on_both_databases("events", _main_here)


def _main_here() -> None:
    from konzeptk.bench import in_throwaway_database

    in_throwaway_database(_run)


def _seed() -> float:
    import random

    from django.db import connection, transaction
    from django.utils import timezone

    from konzeptk.city.selectors import active_profile, current_layer, forget_active_profile
    from konzeptk.city.services import city_profile_load
    from konzeptk.events.models import Event, Topic, Venue

    start = time.perf_counter()
    city_profile_load(source="krefeld")
    forget_active_profile()
    profile = active_profile()
    assert profile is not None
    layer = current_layer(profile)
    assert layer is not None
    districts = list(layer.districts.all())
    rng = random.Random(17)
    with transaction.atomic():
        venues = Venue.objects.bulk_create(
            [
                Venue(
                    name=f"Ort {i}",
                    key=f"ort {i}",
                    lat=51.30 + rng.random() * 0.08,
                    lon=6.50 + rng.random() * 0.15,
                    district=districts[i % len(districts)],
                    step_free=rng.random() < 0.5,
                )
                for i in range(400)
            ]
        )
        if venues[0].pk is None:
            venues = list(Venue.objects.order_by("pk"))
        now = timezone.now()
        topics = list(Topic.values)
        Event.objects.bulk_create(
            [
                Event(
                    title=f"Veranstaltung {i}",
                    title_de=f"Veranstaltung {i}",
                    start=(begin := now + dt.timedelta(hours=rng.randrange(-24 * 30, 24 * 365))),
                    end=begin + dt.timedelta(hours=2),
                    topic=topics[i % len(topics)],
                    venue=venues[i % len(venues)],
                    status=Event.Status.PUBLISHED,
                    source=Event.Source.STAFF,
                    is_free=i % 3 == 0,
                    match_key=f"veranstaltung {i}",
                    simulated=True,
                )
                for i in range(N_EVENTS)
            ],
            batch_size=2000,
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return time.perf_counter() - start


def _feed(n: int) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//bench//DE"]
    day = dt.date.today()
    for i in range(n // 10):
        first = day + dt.timedelta(days=i % 20)
        lines += [
            "BEGIN:VEVENT",
            f"UID:bench-{i}@example.org",
            "DTSTAMP:20260101T000000Z",
            f"DTSTART;TZID=Europe/Berlin:{first:%Y%m%d}T180000",
            f"DTEND;TZID=Europe/Berlin:{first:%Y%m%d}T200000",
            "RRULE:FREQ=WEEKLY;COUNT=10",
            f"SUMMARY:Reihe {i}",
            f"LOCATION:Ort {i % 50}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def _run() -> None:
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from konzeptk.events.importer import feed_import
    from konzeptk.events.models import Event, Feed
    from konzeptk.events.selectors import district_choices, event_days

    seconds = _seed()
    print(
        f"Veranstaltungen ({connection.vendor}): {N_EVENTS} Termine angelegt in {seconds:.1f} s", flush=True
    )
    client = Client()
    pk = Event.objects.filter(start__gte=timezone.now()).values_list("pk", flat=True).first()
    today = timezone.localdate()
    code = district_choices()[0].code
    rows: list[tuple[str, Callable[[], object]]] = [
        ("Liste, erste Seite", lambda: client.get("/veranstaltungen/", secure=True)),
        (
            "Liste, Bezirk + Thema, Seite 2",
            lambda: client.get(f"/veranstaltungen/?district={code}&topic=markt&page=2", secure=True),
        ),
        ("Terminseite mit JSON-LD", lambda: client.get(f"/veranstaltungen/{pk}/", secure=True)),
        ("kalender.ics (höchstens 2.000)", lambda: client.get("/veranstaltungen/kalender.ics", secure=True)),
        (
            "kalender.ics?district=…",
            lambda: client.get(f"/veranstaltungen/kalender.ics?district={code}", secure=True),
        ),
        ("event_days über ein Jahr", lambda: event_days(today, today + dt.timedelta(days=365))),
    ]
    for label, request in rows:
        answer = request()
        status = getattr(answer, "status_code", 200)
        assert status == 200, f"{label}: {status} {getattr(answer, 'headers', {})}"
        median, worst = _measure(request)
        print(f"  {label:<34} Median {median:8.1f} ms   max {worst:8.1f} ms", flush=True)
    feed = Feed.objects.create(title="Bench", url="https://example.org/bench.ics")
    data = _feed(1000)
    start = time.perf_counter()
    first_run = feed_import(feed=feed, content=data)
    first = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    again = feed_import(feed=feed, content=data)
    second = (time.perf_counter() - start) * 1000
    print(
        f"  Import 1.000 Termine (100 Serien)   erster Lauf {first:8.0f} ms ({first_run.created} neu), "
        f"zweiter {second:8.0f} ms ({again.unchanged} unverändert)",
        flush=True,
    )
