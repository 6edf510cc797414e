"""``python -m konzeptk.bench core``: what the rate limits add to a request (target: at most 2 ms), and the
front door: the home page and the idea list with its pin map at 10,000 ideas (target: median ≤ 50 ms).

One write through the full Django request cycle – the POST of the accessibility feedback form with
an empty form, which counts against its limit "feedback" and writes nothing else – is measured with
the limits switched off and on, in turns; and the counting alone (``ratelimits.consume``), which is
what the limit adds – the difference of two whole requests is blurred when the machine is busy. The counters live in the shared cache: the database
cache on SQLite and on PostgreSQL, and Redis when one answers (``KONZEPTK_BENCH_REDIS_URL``, default
``redis://127.0.0.1:6379/15``, keys under the prefix ``konzeptk-bench``). Runs on SQLite and
PostgreSQL (``konzeptk.bench.on_both_databases``) in a throwaway test database.

The front door: the Krefeld profile is loaded, every room with a ``seed_front_door(ideas=…)`` in its
``bench.py`` seeds its part (participation: 10,000 placed ideas in a running process, every tenth
answered; servicedesk: as many reports; sensing: the demo's year of simulated series; strategy: 40
indicators) and names the pages it wants measured; then the median server time (Django's test client,
templates included) and the query count of ``/`` and of those pages are printed.
``KONZEPTK_BENCH_ONLY=startseite`` runs only this part.
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from typing import Any

REPEAT = 300
FRONT_DOOR_IDEAS = int(os.environ.get("KONZEPTK_BENCH_IDEAS", "10000"))
FRONT_DOOR_RUNS = 21
REDIS_URL = os.environ.get("KONZEPTK_BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")


def _medians_ms(runs: dict[str, Callable[[], object]]) -> dict[str, float]:
    """Median wall time of each run; the runs take turns, so a busy machine slows all of them alike."""
    for _ in range(20):  # warm-up: the first counter is created, templates are compiled
        for run in runs.values():
            run()
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(REPEAT):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            times[name].append((time.perf_counter() - start) * 1000)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    from konzeptk.bench import on_both_databases
    from konzeptk.core.bench_assets import map_page_assets

    on_both_databases("core", _main_here)
    map_page_assets()  # JavaScript and CSS of a map page, gzipped (not database-dependent: once)


def _redis_answers() -> bool:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception:  # any failure: no Redis for this run
        return False
    return True


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
        caches: list[tuple[str, dict[str, Any]]] = [
            (
                "Datenbank-Cache",
                {
                    "BACKEND": "konzeptk.core.cache.AtomicDatabaseCache",
                    "LOCATION": "konzeptk_shared_cache",
                },
            )
        ]
        if _redis_answers():
            caches.append(
                (
                    "Redis",
                    {
                        "BACKEND": "django.core.cache.backends.redis.RedisCache",
                        "LOCATION": REDIS_URL,
                        "KEY_PREFIX": "konzeptk-bench",
                    },
                )
            )
        else:
            print(f"  Redis: übersprungen, keiner unter {REDIS_URL}")
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        if os.environ.get("KONZEPTK_BENCH_ONLY", "").lower() in ("", "startseite"):
            with override_settings(
                STORAGES=storages, ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False
            ):
                _front_door()
        if os.environ.get("KONZEPTK_BENCH_ONLY", "").lower() == "startseite":
            return
        print(
            f"Datenbank: {connection.vendor}; Median aus {REPEAT} Anfragen; Last der Maschine {load:.1f} "
            f"auf {os.cpu_count()} Kernen (über die Kernzahl hinaus wartet jede Rundreise auf die CPU)"
        )
        for label, shared in caches:
            with override_settings(
                STORAGES=storages,
                CACHES={**settings.CACHES, "shared": shared},
                KONZEPTK_RATE_LIMITS={"feedback": "10000000/d"},
                ALLOWED_HOSTS=["testserver"],
                SECURE_SSL_REDIRECT=False,
            ):
                _measure(label)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(tmp, ignore_errors=True)


def _measure(label: str) -> None:
    import logging

    from django.test import Client
    from django.test.utils import override_settings

    logging.getLogger("django.request").setLevel(logging.ERROR)  # the expected 400s of the empty form

    client = Client(REMOTE_ADDR="192.0.2.10")

    def post() -> object:
        return client.post("/barrierefreiheit/", {})

    def without_limits() -> object:
        with override_settings(RATELIMIT_ENABLE=False):
            return post()

    def with_limits() -> object:
        with override_settings(RATELIMIT_ENABLE=True):
            answer = post()
        assert answer.status_code != 429  # type: ignore[attr-defined]
        return answer

    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    from konzeptk.core import ratelimits

    request = RequestFactory().post("/barrierefreiheit/", REMOTE_ADDR="192.0.2.11")
    request.user = AnonymousUser()

    from django.core.cache import caches
    from django.db import connection

    shared = caches["shared"]

    def round_trip() -> object:
        if label == "Redis":
            return shared._cache.get_client(None, write=False).ping()  # type: ignore[attr-defined]
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone()

    medians = _medians_ms({"ohne": without_limits, "mit": with_limits})
    with override_settings(RATELIMIT_ENABLE=True):  # the counting on its own, between no requests
        medians.update(_medians_ms({"zählen": lambda: ratelimits.consume(request, "feedback")}))
    medians.update(_medians_ms({"rundreise": round_trip}))
    without, limited = medians["ohne"], medians["mit"]
    print(
        f"  {label}: das Zählen allein {medians['zählen']:.2f} ms (Ziel ≤ 2 ms); "
        f"ganzer POST mit Limit {limited:.2f} ms, ohne {without:.2f} ms (Unterschied {limited - without:+.2f} ms); "
        f"eine Rundreise zum Server {medians['rundreise']:.2f} ms",
        flush=True,
    )


def _front_door() -> None:
    """The home page and the pages the rooms name, at ``FRONT_DOOR_IDEAS`` ideas: median and queries."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from konzeptk.bench import bench_hooks
    from konzeptk.city.selectors import forget_active_profile
    from konzeptk.city.services import city_profile_load

    started = time.perf_counter()
    city_profile_load(source="krefeld")
    forget_active_profile()
    pages = [("Startseite", "/")]
    for _label, seed in bench_hooks("seed_front_door"):
        pages += seed(ideas=FRONT_DOOR_IDEAS)
    with connection.cursor() as cursor:  # planner statistics, as autovacuum/ANALYZE keep them
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"Startseite und Ideenliste mit {FRONT_DOOR_IDEAS} Ideen ({connection.vendor}; angelegt in "
        f"{time.perf_counter() - started:.0f} s; Last {load:.1f} auf {os.cpu_count()} Kernen)",
        flush=True,
    )
    print(f"  {'Seite':<34} {'Median ms':>10} {'Abfragen':>9}  Ziel ≤ 50 ms")
    client = Client()
    for label, url in pages:
        for _ in range(3):  # warm-up: templates compiled, caches filled
            response = client.get(url)
        if response.status_code != 200:
            print(f"  {label:<34} Status {response.status_code}")
            continue
        times, cpu = [], []
        for _ in range(FRONT_DOOR_RUNS):
            start, start_cpu = time.perf_counter(), time.process_time()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        median = statistics.median(times)
        verdict = "ok" if median <= 50 else "ÜBER ZIEL"
        # CPU time of this process: what the request costs when the machine is not shared (on SQLite the
        # database work is included, on PostgreSQL it runs in the server's process)
        print(
            f"  {label:<34} {median:>10.1f} {len(queries.captured_queries):>9}  {verdict}"
            f" (CPU dieses Prozesses {statistics.median(cpu):.1f} ms)",
            flush=True,
        )
        if os.environ.get("KONZEPTK_BENCH_PROFILE"):
            for q in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:5]:
                print(f"      {float(q['time']) * 1000:.1f} ms  {q['sql'][:240]}")
