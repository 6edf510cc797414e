"""``python -m konzeptk.bench economy``: the Schatzkarte over 10,000 businesses and the passer-by page over
three years of hourly counts, through the full request cycle (medians of 7 runs).

Runs on SQLite and on PostgreSQL (see ``konzeptk/bench.py``) in a throwaway database with the Krefeld
profile. Targets: the directory with "jetzt geöffnet" ≤ 50 ms, the passer-by page of one counter ≤ 100 ms.
The businesses are stored with ``bulk_create`` (their weekly intervals computed once per expression by the
same ``hours.weekly_intervals`` the service uses); the counts go in through the hystreet importer.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import time
from collections.abc import Callable
from zoneinfo import ZoneInfo

import time_machine

N_BUSINESSES = int(os.environ.get("KONZEPTK_BENCH_BUSINESSES", "10000"))
YEARS = 3
REPEAT = 7
EXPRESSIONS = (
    "Mo-Fr 09:30-18:30; Sa 10:00-16:00; Su,PH off",
    "Mo-Sa 06:30-18:00; Su 08:00-11:00; PH 08:00-11:00",
    "Mo-Su 09:00-18:00",
    "Mo-Sa 10:00-19:00; PH off",
    "Mo-Fr 10:00-13:00,14:00-18:30; Sa 10:00-14:00; PH off",
    "Tu-Fr 10:00-18:00; Sa 09:00-15:00; PH off",
    "Mo-Th 11:30-22:00; Fr-Sa 11:30-23:00; Su,PH 12:00-22:00",
    "24/7",
    "We-Fr 12:00-19:00; Sa 11:00-18:00; PH off",
    "",
)


def _median(run: Callable[[], object]) -> float:
    from konzeptk.bench import median_ms

    return median_ms(run, REPEAT)


def main() -> None:
    from konzeptk.bench import on_both_databases

    on_both_databases("economy", _main_here)


def _main_here() -> None:
    from konzeptk.bench import in_throwaway_database

    in_throwaway_database(_run, RATELIMIT_ENABLE=False)


def _seed_businesses() -> float:
    from django.db import transaction

    from konzeptk.city.selectors import active_profile, district_for
    from konzeptk.core import opening_hours as hours
    from konzeptk.economy.models import Business, Category, WeeklyInterval

    started = time.perf_counter()
    rng = random.Random(17)
    profile = active_profile()
    assert profile is not None
    district = district_for(profile.center_lat, profile.center_lon).district
    today = dt.date.today()
    weekly = {e: hours.weekly_intervals(e, on=today).intervals if e else () for e in EXPRESSIONS}
    with transaction.atomic():
        categories = [
            Category.objects.create(slug=f"branche-{i}", name=f"Branche {i}", name_de=f"Branche {i}")
            for i in range(8)
        ]
        businesses = Business.objects.bulk_create(
            Business(
                slug=f"geschaeft-{i}",
                name=f"Geschäft {i:05d}",
                category=categories[i % 8],
                street=f"Hochstraße {i % 200}",
                postcode="47798",
                lat=profile.center_lat + rng.uniform(-0.01, 0.01),
                lon=profile.center_lon + rng.uniform(-0.015, 0.015),
                district=district,
                opening_hours=EXPRESSIONS[i % len(EXPRESSIONS)],
                step_free=("yes", "no", "limited", "unknown")[i % 4],
                delivery=i % 3 == 0,
                simulated=True,
            )
            for i in range(N_BUSINESSES)
        )
        WeeklyInterval.objects.bulk_create(
            (
                WeeklyInterval(
                    business=b,
                    weekday=iv.weekday,
                    holiday=iv.holiday,
                    start_minute=iv.start_minute,
                    end_minute=iv.end_minute,
                )
                for b in businesses
                for iv in weekly[b.opening_hours]
            ),
            batch_size=5000,
        )
    return time.perf_counter() - started


def _seed_counter() -> float:
    from konzeptk.economy.hystreet import hystreet_import

    started = time.perf_counter()
    berlin = ZoneInfo("Europe/Berlin")
    end = dt.datetime.combine(dt.date.today(), dt.time(), tzinfo=berlin).astimezone(dt.UTC)
    first = end - dt.timedelta(days=YEARS * 365)
    rng = random.Random(5)
    measurements = []
    at = first
    while at < end:
        hour = at.astimezone(berlin).hour
        base = 600 if 9 <= hour < 20 else 20
        measurements.append(
            {
                "measured_at": at.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                "total_count": int(base * rng.uniform(0.7, 1.3)),
            }
        )
        at += dt.timedelta(hours=1)
    hystreet_import(
        payload={
            "location_id": 90001,
            "name": "Hochstraße (Mitte)",
            "city": "Krefeld",
            "measurements": measurements,
        },
        simulated=True,
    )
    return time.perf_counter() - started


def _run() -> None:
    from django.db import connection
    from django.test import Client

    from konzeptk.city.services import city_profile_load
    from konzeptk.economy import footfall

    city_profile_load(source="krefeld")
    seeded = _seed_businesses()
    counted = _seed_counter()
    with connection.cursor() as cursor:  # planner statistics, as autovacuum/ANALYZE keep them in production
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    client = Client()
    print(
        f"economy ({connection.vendor}): {N_BUSINESSES} Geschäfte in {seeded:.1f} s, "
        f"{YEARS} Jahre Stundenwerte (1 Zählstelle) in {counted:.1f} s angelegt",
        flush=True,
    )

    def get(path: str) -> Callable[[], object]:
        def run() -> object:
            response = client.get(path, secure=True)
            assert response.status_code == 200, (path, response.status_code)
            return response

        return run

    figures = [
        ("Schatzkarte, jetzt geöffnet (Seite 1)", get("/innenstadt/geschaefte/?open_now=on"), 50),
        (
            "Schatzkarte, jetzt geöffnet + Branche + Seite 20",
            get("/innenstadt/geschaefte/?open_now=on&category=branche-3&page=20"),
            50,
        ),
        ("Schatzkarte ohne Filter", get("/innenstadt/geschaefte/"), 50),
        ("Passantenseite einer Zählstelle (3 Jahre)", get("/innenstadt/geschaefte/passanten/"), 100),
    ]
    (counter,) = footfall.counters()
    today = dt.date.today()
    figures.append(("  davon footfall.dashboard()", lambda: footfall.dashboard(counter, today=today), 100))
    # the directory at a busy hour (Wednesday 11:00 in the city, most shops open: the largest set), not at
    # whatever hour the benchmark happens to run
    busy = _busy_moment()
    print(f"  (jetzt = {busy:%A %d.%m.%Y %H:%M} Ortszeit)", flush=True)
    for label, run, target in figures:
        if label.startswith("Schatzkarte"):
            with time_machine.travel(busy, tick=True):
                median = _median(run)
        else:
            median = _median(run)
        verdict = "ok" if median <= target else "ÜBER DEM ZIEL"
        print(f"  {label}: Median {median:.1f} ms (Ziel ≤ {target} ms, {verdict})", flush=True)


def _busy_moment() -> dt.datetime:
    from django.conf import settings

    from konzeptk.core.opening_hours import is_public_holiday

    day = dt.date.today() + dt.timedelta(days=(2 - dt.date.today().weekday()) % 7 or 7)
    while is_public_holiday(day):
        day += dt.timedelta(days=7)
    return dt.datetime.combine(day, dt.time(11, 0), tzinfo=ZoneInfo(settings.TIME_ZONE))
