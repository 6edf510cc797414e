"""``python -m konzeptk.bench innercity``: the register at 10,000 units, through the full request cycle.

Runs on SQLite and on PostgreSQL (see ``konzeptk/bench.py``) in a throwaway database. Seeds 10,000
simulated units on eight streets (a third of them offered, with two uses each) and 40 counts, and
prints the median of: the public list (first page, and filtered by area and use), the statistics page,
one vacancy count over the whole register, and reading all units for matching.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable

N_UNITS = int(os.environ.get("KONZEPTK_BENCH_UNITS", "10000"))
REPEAT = 7
STREETS = (
    "Hochstraße",
    "Rheinstraße",
    "Königstraße",
    "Neumarkt",
    "Friedrichstraße",
    "St.-Anton-Straße",
    "Dionysiusstraße",
    "Niederstraße",
)


def _median(run: Callable[[], object]) -> float:
    from konzeptk.bench import median_ms

    return median_ms(run, REPEAT)


def main() -> None:
    from konzeptk.bench import on_both_databases

    on_both_databases("innercity", _main_here)


def _main_here() -> None:
    from konzeptk.bench import in_throwaway_database

    in_throwaway_database(_run, RATELIMIT_ENABLE=False)


def _seed() -> float:
    import datetime as dt
    from decimal import Decimal

    from django.db import connection, transaction

    from konzeptk.city.selectors import district_for
    from konzeptk.city.services import city_profile_load
    from konzeptk.innercity.models import Unit, Use
    from konzeptk.innercity.services import vacancy_count_record

    start = time.perf_counter()
    city_profile_load(source="krefeld")
    district = district_for(51.3330, 6.5625).district
    uses = list(Use.objects.all())
    rng = random.Random(17)
    statuses = [Unit.Status.OFFERED, Unit.Status.VACANT, Unit.Status.LET]
    with transaction.atomic():
        units = [
            Unit(
                title_de=f"Ladenlokal {n}",
                street=STREETS[n % len(STREETS)],
                house_number=str(n),
                lat=51.3300 + rng.random() * 0.008,
                lon=6.5580 + rng.random() * 0.009,
                district=district,
                area_m2=Decimal(rng.randint(20, 500)),
                rent_per_month=Decimal(rng.randint(300, 5000)),
                status=statuses[n % 3],
                owner_consent_public=True,
                vacant_since=dt.date(2026, 1, 1) - dt.timedelta(days=rng.randint(0, 2000)),
                simulated=True,
            )
            for n in range(N_UNITS)
        ]
        Unit.objects.bulk_create(units, batch_size=2000)
        through = Unit.uses.through
        links = [
            through(unit_id=pk, use_id=use.pk)
            for pk in Unit.objects.values_list("pk", flat=True)
            for use in rng.sample(uses, 2)
        ]
        through.objects.bulk_create(links, batch_size=5000)
        for n in range(40):
            vacancy_count_record(
                on=dt.date(2006 + n // 2, 6 if n % 2 == 0 else 12, 30), units=N_UNITS, vacant=N_UNITS // 8 + n
            )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return time.perf_counter() - start


def _run() -> None:
    from django.db import connection
    from django.test import Client

    from konzeptk.innercity.selectors import units_for_matching, use_keys
    from konzeptk.innercity.services import vacancy_count_take

    seconds = _seed()
    print(f"{connection.vendor}: {N_UNITS:,} Ladenlokale angelegt in {seconds:.0f} s", flush=True)
    client = Client()

    def get(url: str) -> None:
        response = client.get(url, secure=True)
        assert response.status_code == 200, (url, response.status_code)

    list_ms = _median(lambda: get("/innenstadt/flaechen/"))
    deep_ms = _median(lambda: get("/innenstadt/flaechen/?page=100"))
    filtered_ms = _median(lambda: get("/innenstadt/flaechen/?min_area=100&max_area=300&use=retail"))
    stats_ms = _median(lambda: get("/innenstadt/leerstand/"))
    count_ms = _median(vacancy_count_take)
    matching_ms = _median(lambda: [use_keys(u) for u in units_for_matching()])
    print(f"/innenstadt/flaechen/ (Seite 1 von {N_UNITS // 3 // 20}): {list_ms:.0f} ms")
    print(f"/innenstadt/flaechen/?page=100: {deep_ms:.0f} ms")
    print(f"/innenstadt/flaechen/ mit Fläche und Nutzung gefiltert: {filtered_ms:.0f} ms")
    print(f"/innenstadt/leerstand/ (40 Zählungen): {stats_ms:.0f} ms")
    print(f"Zählung über {N_UNITS:,} Ladenlokale (vacancy_count_take): {count_ms:.0f} ms")
    print(
        f"units_for_matching() mit Nutzungen, {N_UNITS // 3:,} öffentliche Ladenlokale: {matching_ms:.0f} ms",
        flush=True,
    )
