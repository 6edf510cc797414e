"""Read figures of the SensorThings API at 1 and 10 million observations (part of ``python -m konzeptk.bench
sensing``, called from ``bench.py``; issue 14's targets).

The data are laid out like the comparison with istSOS4: 50 Things, 100 Datastreams, N Observations, one every
five minutes per Datastream (1 million rows span 35 days, 10 million almost a year: a bigger table is a longer
history). Loaded with binary COPY (PostgreSQL; ``executemany`` on SQLite) into a fresh temporary database per
size, then ``VACUUM ANALYZE``. Sizes: ``KONZEPTK_BENCH_SENSING_ROWS`` (comma-separated, default ``1000000``;
``1000000,10000000`` for both – loading 10 million rows takes several minutes on two cores).

Measured through Django's test client (routing, query, JSON), median of repeated runs:
- following ``@iot.nextLink`` through 10 pages of 100 on ``/Observations`` (target ≤ 100 ms for all 10 pages);
- the dashboard query ``Things?$expand=Datastreams($expand=Observations($top=1;$orderby=phenomenonTime desc))``
  over 100 Datastreams (target ≤ 30 ms);
- ``Observations?$filter=result gt 20&$count=true`` (target ≤ 100 ms at 1 million), also with
  ``KONZEPTK_STA_COUNT_MODE=estimate``.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

THINGS = 50
DATASTREAMS = 100
STEP = dt.timedelta(minutes=5)
START = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
DASHBOARD = "Things?$expand=Datastreams($expand=Observations($top=1;$orderby=phenomenonTime desc))"


def sizes() -> list[int]:
    raw = os.environ.get("KONZEPTK_BENCH_SENSING_ROWS", "1000000")
    return [int(part.replace("_", "")) for part in raw.split(",") if part.strip()]


def _median(fn: Callable[[], Any], repeat: int) -> float:
    fn()  # warm-up (caches, first-use imports)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _setup() -> tuple[list[int], int]:
    from konzeptk.sensing import models as m

    sensor = m.Sensor.objects.create(name="Bench-Sensor")
    prop = m.ObservedProperty.objects.create(name="Lufttemperatur")
    streams = []
    for t in range(THINGS):
        thing = m.Thing.objects.create(name=f"Messobjekt {t}")
        for d in range(DATASTREAMS // THINGS):
            ds = m.Datastream.objects.create(
                name=f"Datenstrom {t}/{d}", unit_of_measurement={"symbol": "°C"}, thing=thing, sensor=sensor,
                observed_property=prop,
            )  # fmt: skip
            streams.append(ds.pk)
    feature = m.FeatureOfInterest.objects.create(
        name="Ort", feature={"type": "Point", "coordinates": [6.56, 51.33]}
    )
    return streams, feature.pk


def _load(total: int, streams: list[int], feature: int) -> None:
    """Row i: datastream i % 100 at START + (i // 100) * 5 minutes; results 0..40, about half above 20."""
    from django.db import connection, transaction

    from konzeptk.sensing import partitions
    from konzeptk.sensing.storage import _sqlite_datetime

    per_stream = -(-total // len(streams))
    month, last = partitions.month_start(START), partitions.month_start(START + per_stream * STEP)
    months = [month]
    while month < last:
        month = partitions.next_month(month)
        months.append(month)
    partitions.ensure_months(months)
    chunk = 200_000
    with transaction.atomic(), connection.cursor() as cursor:
        for offset in range(0, total, chunk):
            rows = [
                (
                    i + 1,
                    streams[i % len(streams)],
                    feature,
                    START + (i // len(streams)) * STEP,
                    float(i * 7 % 41),
                )
                for i in range(offset, min(offset + chunk, total))
            ]
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(
                    "COPY sensing_observation (id, datastream_id, feature_of_interest_id, phenomenon_time_start, "
                    "result_number) FROM STDIN (FORMAT BINARY)"
                ) as copy:
                    copy.set_types(["int8", "int8", "int8", "timestamptz", "float8"])
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(
                    "INSERT INTO sensing_observation (id, datastream_id, feature_of_interest_id, "
                    "phenomenon_time_start, result_number) VALUES (%s, %s, %s, %s, %s)",
                    [(a, b, c, _sqlite_datetime(t), v) for a, b, c, t, v in rows],
                )
        if connection.vendor == "postgresql":
            cursor.execute("SELECT setval(pg_get_serial_sequence('sensing_observation', 'id'), %s)", [total])
    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM ANALYZE sensing_observation" if connection.vendor == "postgresql" else "ANALYZE"
        )


def _figures(total: int) -> dict[str, float]:
    from django.test import Client, override_settings

    client = Client(HTTP_HOST="localhost")

    def get(url: str) -> Any:
        response = client.get(url, secure=True)
        assert response.status_code == 200, response.content[:300]
        return response.json()

    def paging() -> None:
        body = get("/sta/v1.1/Observations?$top=100")
        for _ in range(9):
            body = get(body["@iot.nextLink"].split("localhost", 1)[1])
        assert len(body["value"]) == 100

    def dashboard() -> None:
        body = get(f"/sta/v1.1/{DASHBOARD}")
        assert sum(len(t["Datastreams"]) for t in body["value"]) == DATASTREAMS

    def count() -> None:
        assert get("/sta/v1.1/Observations?$filter=result gt 20&$count=true")["@iot.count"] > 0

    figures = {
        "paging": _median(paging, 5),
        "dashboard": _median(dashboard, 9),
        "count": _median(count, 5),
    }
    with override_settings(STA_COUNT_MODE="estimate"):
        figures["count_estimate"] = _median(count, 5)
    return figures


def run(temporary_database: Callable[[], AbstractContextManager[str]]) -> None:
    """Each size in its own temporary database (``bench.temporary_database``, passed in)."""
    results: dict[int, dict[str, float]] = {}
    for total in sizes():
        with temporary_database():
            streams, feature = _setup()
            started = time.perf_counter()
            _load(total, streams, feature)
            load_s = time.perf_counter() - started
            print(
                f"  Lese-Benchmark: {total:,} Beobachtungen in {DATASTREAMS} Datastreams geladen (binäres COPY "
                f"bzw. executemany, VACUUM ANALYZE) in {load_s:.0f} s; Last {statistics.fmean(os.getloadavg()):.1f}",
                flush=True,
            )
            results[total] = figures = _figures(total)
            print(
                f"    nextLink-Blättern, 10 Seiten à 100: {figures['paging'] * 1000:.1f} ms (Ziel ≤ 100 ms); "
                f"Dashboard (letzter Wert je Datastream, {DATASTREAMS} Datastreams): "
                f"{figures['dashboard'] * 1000:.1f} ms (Ziel ≤ 30 ms); "
                f"result gt 20 mit $count=true: {figures['count'] * 1000:.0f} ms (Ziel ≤ 100 ms bei 1 Mio.), "
                f"mit KONZEPTK_STA_COUNT_MODE=estimate {figures['count_estimate'] * 1000:.1f} ms",
                flush=True,
            )
    if len(results) > 1:
        small, big = min(results), max(results)
        print(
            f"    Verhältnis {big:,} / {small:,} Zeilen: Blättern {results[big]['paging'] / results[small]['paging']:.2f}, "
            f"Dashboard {results[big]['dashboard'] / results[small]['dashboard']:.2f} (Ziel: gleich, ≈ 1)"
        )
