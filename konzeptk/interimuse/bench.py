"""``python -m konzeptk.bench interimuse``: matching of 500 applications against 300 units.

Runs on SQLite and on PostgreSQL (``konzeptk/bench.py``) in a throwaway database. Seeds 300 simulated
public units (random area, district, rent, uses, step-free access) and 500 simulated applications of
one call, then measures the median of seven runs of ``selectors.call_matching`` – loading the facts
(a fixed number of queries) and ranking every pair in both directions, the ten best of each list
(target ≤ 1 s; a match works out its reasons when a page shows it). It also prints the number of queries at 50×30 and at 500×300.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from konzeptk.interimuse.models import Call

N_APPLICATIONS = int(os.environ.get("KONZEPTK_BENCH_APPLICATIONS", "500"))
N_UNITS = int(os.environ.get("KONZEPTK_BENCH_UNITS", "300"))
REPEAT = 7


def seed_matching(*, applications: int, units: int, seed: int = 2026) -> Call:
    """A call in its application phase with ``units`` public units and ``applications`` applicants
    (all simulated). Used by the benchmark and by the query-count tests at two sizes."""
    import datetime as dt

    from django.db import transaction

    from konzeptk.accounts.models import User
    from konzeptk.city.models import District
    from konzeptk.innercity.models import Unit, Use, UseKey
    from konzeptk.interimuse.models import Application, Call

    rng = random.Random(seed)
    districts = list(District.objects.values_list("pk", flat=True)[:20])
    uses = {u.key: u.pk for u in Use.objects.all()}
    if not uses:
        uses = {key: Use.objects.create(key=key).pk for key in UseKey.values}
    keys = sorted(uses)
    with transaction.atomic():
        today = dt.date.today()
        call = Call.objects.create(
            slug=f"bench-{seed}-{applications}-{units}",
            title_de="Simulierter Aufruf",
            text_de="Simuliert.",
            status=Call.Status.OPEN,
            opens_on=today - dt.timedelta(days=10),
            closes_on=today + dt.timedelta(days=10),
            owner_share=Decimal(30),
            funding_share=Decimal(50),
            tenant_share=Decimal(20),
        )
        created = Unit.objects.bulk_create(
            [
                Unit(
                    title_de=f"Simuliertes Ladenlokal {n}",
                    street="Hochstraße",
                    house_number=str(n + 1),
                    lat=51.33,
                    lon=6.56,
                    district_id=rng.choice(districts) if districts else None,
                    area_m2=Decimal(rng.randint(20, 400)),
                    step_free=rng.random() < 0.5,
                    rent_per_month=Decimal(rng.randint(300, 4000)),
                    owner_consent_public=True,
                    status=Unit.Status.OFFERED,
                    simulated=True,
                )
                for n in range(units)
            ]
        )
        through = Unit.uses.through
        through.objects.bulk_create(
            [through(unit_id=u.pk, use_id=uses[k]) for u in created for k in rng.sample(keys, 3)]
        )
        people = User.objects.bulk_create(
            [
                User(email=f"bench-{seed}-{applications}-{n}@example.invalid", display_name=f"Simuliert {n}")
                for n in range(applications)
            ]
        )
        apps = Application.objects.bulk_create(
            [
                Application(
                    call=call,
                    applicant=p,
                    kind=rng.choice(Application.Kind.values),
                    title=f"Simuliertes Vorhaben {n}",
                    concept="Simuliert.",
                    use=rng.choice(keys),
                    area_min=rng.randint(20, 100),
                    area_max=rng.randint(100, 300),
                    budget=Decimal(rng.randint(50, 800)),
                    needs_step_free=rng.random() < 0.2,
                    simulated=True,
                )
                for n, p in enumerate(people)
            ]
        )
        if districts:
            dthrough = Application.districts.through
            dthrough.objects.bulk_create(
                [
                    dthrough(application_id=a.pk, district_id=d)
                    for a in apps
                    for d in rng.sample(districts, min(2, len(districts)))
                ]
            )
    return call


def main() -> None:
    from konzeptk.bench import on_both_databases

    on_both_databases("interimuse", _main_here)


def _main_here() -> None:
    from konzeptk.bench import in_throwaway_database

    in_throwaway_database(_run)


def _queries(call: Call) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from konzeptk.interimuse import selectors

    with CaptureQueriesContext(connection) as ctx:
        selectors.call_matching(call, limit=10)
    return len(ctx.captured_queries)


def _run() -> None:
    from django.db import connection

    from konzeptk.city.services import city_profile_load
    from konzeptk.interimuse import selectors

    city_profile_load(source="krefeld")
    small = seed_matching(applications=50, units=30, seed=1)
    start = time.perf_counter()
    call = seed_matching(applications=N_APPLICATIONS, units=N_UNITS, seed=2)
    print(f"Datenbank: {connection.vendor}; angelegt in {time.perf_counter() - start:.1f} s", flush=True)
    times = []
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        table = selectors.call_matching(call, limit=10)
        times.append(time.perf_counter() - t0)
    assert len(table.by_need) == N_APPLICATIONS
    median = statistics.median(times)
    print(
        f"Abgleich {N_APPLICATIONS} Bewerbungen × {N_UNITS} Ladenlokale: Median {median * 1000:.0f} ms "
        f"(Ziel ≤ 1000 ms; {REPEAT} Läufe, je Liste die besten 10)",
        flush=True,
    )
    print(
        f"Abfragen: {_queries(small)} bei 50×30, {_queries(call)} bei {N_APPLICATIONS}×{N_UNITS}",
        flush=True,
    )
