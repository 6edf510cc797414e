"""``python -m konzeptk.bench resilience``: ``/warnungen/`` under 20 current and 5,000 past warnings
(target ≤ 50 ms median), its feeds, then the parts of res-alerts (``bench_rules.run()``: rule evaluation
on ingest, ``bench_fanout.run()``: an alert to many subscribers).

Runs on SQLite and on PostgreSQL (see ``konzeptk/bench.py``) in a throwaway database with the Krefeld
profile; medians of 7 runs through the full request cycle. The warnings are stored with ``bulk_create``
in the shape the importer gives them (DWD polygons of the city's area, German texts).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from importlib import import_module

N_CURRENT = 20
N_PAST = int(os.environ.get("KONZEPTK_BENCH_PAST_WARNINGS", "5000"))
REPEAT = 7
EVENTS = (
    ("GEWITTER", "31", "Minor"),
    ("STURMBÖEN", "52", "Moderate"),
    ("STARKE HITZE", "247", "Moderate"),
    ("EXTREME HITZE", "248", "Severe"),
    ("FROST", "22", "Minor"),
)


def _median(run: Callable[[], object]) -> tuple[float, float]:
    """Median wall time and median CPU time of this process (ms): on a shared machine the CPU time shows
    what the request costs when other processes take the cores (PostgreSQL's own work is not in it)."""
    run()
    times, cpu = [], []
    for _ in range(REPEAT):
        start, start_cpu = time.perf_counter(), time.process_time()
        run()
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(times), statistics.median(cpu)


def main() -> None:
    from konzeptk.bench import on_both_databases

    on_both_databases("resilience", _main_here)


def _main_here() -> None:
    from django.conf import settings
    from django.db import connection
    from django.test.utils import override_settings, setup_test_environment

    setup_test_environment()
    tmp = tempfile.mkdtemp(prefix="konzeptk-bench-")
    if connection.vendor == "sqlite":
        connection.settings_dict.setdefault("TEST", {})["NAME"] = os.path.join(tmp, "bench.sqlite3")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        storages = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        with override_settings(STORAGES=storages, ALLOWED_HOSTS=["*"], RATELIMIT_ENABLE=False):
            _run()
            _parts_of_other_helpers()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(tmp, ignore_errors=True)


def _seed() -> float:
    from django.db import transaction
    from django.utils import timezone

    from konzeptk.resilience.models import Source, Warning

    started = time.perf_counter()
    now = timezone.now()
    polygon = {
        "type": "Polygon",
        "coordinates": [[[6.5502, 51.3981], [6.6695, 51.3710], [6.6788, 51.3002], [6.5603, 51.2801], [6.4701, 51.3095], [6.5502, 51.3981]]],
    }  # fmt: skip
    rows = []
    for i in range(N_CURRENT + N_PAST):
        event, code, severity = EVENTS[i % len(EVENTS)]
        is_current = i < N_CURRENT
        sent = now - dt.timedelta(hours=i if is_current else 24 + i * 3)
        headline = f"Amtliche WARNUNG vor {event}"
        rows.append(
            Warning(
                source=Source.DWD,
                identifier=f"2.49.0.0.276.0.DWD.PVW.bench-{i}.DEU",
                sender="opendata@dwd.de",
                sent=sent,
                event=event,
                event_code=code,
                category="Met",
                severity=severity,
                urgency="Immediate",
                certainty="Likely",
                headline=headline,
                headline_de=headline,
                description=f"Es tritt {event.lower()} auf (Messlauf {i}).",
                description_de=f"Es tritt {event.lower()} auf (Messlauf {i}).",
                instruction_de="Achten Sie auf die Hinweise des Deutschen Wetterdienstes.",
                onset=sent,
                expires=now + dt.timedelta(hours=6) if is_current else sent + dt.timedelta(hours=12),
                ended_at=None if is_current or i % 7 else sent + dt.timedelta(hours=2),
                area_desc="Kreisfreie Stadt Krefeld",
                area_codes="|105114000|",
                geometry=polygon,
                dedupe_key=f"2.49.0.0.276.0.DWD.PVW.bench-{i}",
                raw="<alert/>" * 200,
                simulated=True,
            )
        )
    with transaction.atomic():
        Warning.objects.bulk_create(rows, batch_size=1000)
    return time.perf_counter() - started


def _run() -> None:
    from django.db import connection
    from django.test import Client

    from konzeptk.city.services import city_profile_load

    city_profile_load(source="krefeld")
    seeded = _seed()
    if connection.vendor == "postgresql":
        # the statistics autovacuum gathers within a minute of such a load (a live table grows over years and
        # always has them); without them the planner expects one row and reads the whole table
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE resilience_warning")
    client = Client()
    print(
        f"resilience ({connection.vendor}): {N_CURRENT} aktuelle und {N_PAST} vergangene Warnungen "
        f"in {seeded:.1f} s angelegt",
        flush=True,
    )

    def get(path: str) -> Callable[[], object]:
        def run() -> object:
            response = client.get(path, secure=True)
            assert response.status_code == 200, (path, response.status_code)
            return response

        return run

    figures = [
        ("/warnungen/ (20 aktuelle, Seite 1 der vergangenen)", get("/warnungen/"), 50),
        ("/warnungen/?page=200 (vergangene, Seite 200)", get("/warnungen/?page=200"), 50),
        ("/warnungen/atom.xml", get("/warnungen/atom.xml"), 50),
        ("/warnungen/cap.xml", get("/warnungen/cap.xml"), 50),
    ]
    for label, run, target in figures:
        median, cpu = _median(run)
        verdict = "ok" if median <= target else "ÜBER DEM ZIEL"
        print(
            f"  {label}: Median {median:.1f} ms, CPU {cpu:.1f} ms (Ziel ≤ {target} ms, {verdict})",
            flush=True,
        )


def _parts_of_other_helpers() -> None:
    """Rule evaluation and fan-out (res-alerts' modules), in the same throwaway database."""
    for name in ("bench_rules", "bench_fanout"):
        try:
            module = import_module(f"konzeptk.resilience.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"konzeptk.resilience.{name}":
                raise
            print(f"  konzeptk.resilience.{name}: (noch) nicht vorhanden", flush=True)
            continue
        module.run()
