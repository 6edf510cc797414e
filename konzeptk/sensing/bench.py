"""``python -m konzeptk.bench sensing``: ingestion, aggregation and query figures of the urban data platform.

Runs on SQLite and on PostgreSQL (the configured database here, the other backend in a child process,
PostgreSQL from ``KONZEPTK_BENCH_POSTGRES_URL``), each time in a separate temporary database – a temp
SQLite file, or a temporary database on the PostgreSQL server – never the demo database. Prints
figures; asserts nothing.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROWS_PER_REQUEST = 10_000
REQUESTS = 10
MINUTES_PER_YEAR = 365 * 24 * 60
#: how the benchmark's worker and bridge processes start: with the ingest hooks paused (``bench_no_hooks.py``)
NO_HOOKS = ("-m", "konzeptk.sensing.bench_no_hooks")


@contextmanager
def temporary_database() -> Iterator[str]:
    """Point the default connection at a fresh database with the sensing tables; restore afterwards."""
    from django.db import connection

    original = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "postgresql":
        import psycopg

        name = f"konzeptk_bench_{uuid.uuid4().hex[:8]}"
        admin = psycopg.connect(
            host=original["HOST"] or "127.0.0.1", port=original["PORT"] or 5432, user=original["USER"],
            password=original["PASSWORD"] or None, dbname="postgres", autocommit=True,
        )  # fmt: skip
        admin.execute(f'CREATE DATABASE "{name}"')
        connection.settings_dict["NAME"] = name
        label = f"PostgreSQL (temporäre Datenbank {name})"
    else:
        tmpdir = tempfile.mkdtemp(prefix="konzeptk-bench-")
        connection.settings_dict["NAME"] = str(Path(tmpdir) / "bench.sqlite3")
        label = "SQLite (temporäre Datei, WAL)"
    from konzeptk.sensing.ingest_hook_registry import hooks_paused

    try:
        _create_tables()
        with hooks_paused():  # the other rooms' tables are not in this database
            yield label
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(original)
        if original["ENGINE"].endswith("postgresql"):
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()


def _create_tables() -> None:
    from django.db import connection

    from konzeptk.accounts.models import Organisation
    from konzeptk.sensing import models as m

    with connection.schema_editor() as editor:
        for model in (
            Organisation, m.Location, m.Thing, m.HistoricalLocation, m.Sensor, m.ObservedProperty, m.Datastream,
            m.FeatureOfInterest, m.Observation, m.ObservationHour,
        ):  # fmt: skip
            editor.create_model(model)
    from konzeptk.sensing.partitions import convert_to_partitioned

    with connection.schema_editor() as editor:  # after the deferred indexes of create_model ran
        convert_to_partitioned(editor)  # the same monthly partitions as migration 0003 (PostgreSQL)
        if connection.vendor == "postgresql":
            from konzeptk.sensing import landing

            landing.create(editor.execute)  # migrations 0006 and 0007


def _datastream(name: str) -> Any:
    from konzeptk.sensing.tests.factories import make_datastream

    return make_datastream(None, name=name)


def _best(fn: Callable[[], Any], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def _storage_bytes(count: int) -> float:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT COALESCE(SUM(pg_total_relation_size(inhrelid)), 0) + pg_total_relation_size('sensing_observation') "
                "FROM pg_inherits WHERE inhparent = 'sensing_observation'::regclass"
            )  # the partitions with their indexes (the partitioned parent itself holds nothing)
            return cursor.fetchone()[0] / count
        cursor.execute(
            "SELECT SUM(pgsize) FROM dbstat WHERE name IN ('sensing_observation', 'sensing_obs_ds_time_id', 'sensing_obs_time_id') "
            "OR name LIKE 'sensing_observation_%'"
        )
        return (cursor.fetchone()[0] or 0) / count


def _post_all(client: Any, bodies: list[str]) -> None:
    for body in bodies:
        response = client.post(
            "/sta/v1.1/CreateObservations", data=body, content_type="application/json", secure=True
        )
        assert response.status_code == 201, response.content[:200]


def _stored_directly(
    client: Any, warm: list[str], rounds: list[list[str]], bare: Callable[[], float]
) -> list[tuple[float, float | None, float]]:
    """Per round: the rate until the last 201 (the request stores, nothing is left to fold) and the bare COPY's."""
    _post_all(client, warm)
    results: list[tuple[float, float | None, float]] = []
    for bodies in rounds:
        start = time.perf_counter()
        _post_all(client, bodies)
        results.append((REQUESTS * ROWS_PER_REQUEST / (time.perf_counter() - start), None, bare()))
    return results


def _landed_by_api(
    client: Any, warm: list[str], rounds: list[list[str]], ds: Any, bare: Callable[[], float]
) -> list[tuple[float, float | None, float]]:
    """PostgreSQL: the requests land their rows; a real Celery worker (Redis) folds them, as in production
    (``SENSING_FOLD=celery``). Per round: the rate until the last 201, the seconds until all rows are folded
    and the bare COPY's rate (run once the worker is idle); without Redis the fold runs in the request
    (``inline``) and the second figure is None."""
    from django.test import override_settings

    from konzeptk.core.bench_worker import celery_worker, redis_answers
    from konzeptk.sensing import landing

    total = REQUESTS * ROWS_PER_REQUEST
    if not redis_answers():
        print("  (kein Redis: CreateObservations faltet in der Anfrage ein)")
        return _stored_directly(client, warm, rounds, bare)

    def folded(worker: Any, until: Callable[[], bool]) -> None:
        deadline = time.perf_counter() + 600
        while not until():
            if time.perf_counter() > deadline or worker.poll() is not None:
                raise SystemExit("Der Worker hat die gelandeten Beobachtungen nicht eingefaltet")
            time.sleep(0.02)

    with celery_worker("fold", {}, launcher=NO_HOOKS) as worker:
        if worker is None:
            raise SystemExit("Celery-Worker für das Einfalten ist nicht bereit")
        with override_settings(SENSING_FOLD="celery"):
            _post_all(client, warm)
            folded(worker, lambda: not landing.pending())  # the worker is idle when a round starts
            results: list[tuple[float, float | None, float]] = []
            for bodies in rounds:
                before = ds.observations.count()
                start = time.perf_counter()
                _post_all(client, bodies)
                api_rate = total / (time.perf_counter() - start)
                folded(worker, lambda: not landing.pending() and ds.observations.count() >= before + total)  # noqa: B023
                results.append((api_rate, time.perf_counter() - start, bare()))
            return results


def _create_observations(client: Any) -> tuple[Any, Any]:
    """CreateObservations over HTTP against a binary COPY of the same rows into a bare table, in the same run:
    ``KONZEPTK_BENCH_CREATE_ROUNDS`` rounds (default 5), each 10 requests of 10,000 rows and then the COPY; the
    median and every round are printed."""
    from django.db import connection, transaction

    ds = _datastream("Benchmark CreateObservations")
    ds_raw = _datastream("Benchmark roh")
    base = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    count = int(os.environ.get("KONZEPTK_BENCH_CREATE_ROUNDS", "5"))

    def body(first: dt.datetime, value: Callable[[int], float]) -> str:
        rows = [[(first + dt.timedelta(seconds=i)).isoformat().replace("+00:00", "Z"), value(i)]
                for i in range(ROWS_PER_REQUEST)]  # fmt: skip
        return json.dumps([{"Datastream": {"@iot.id": ds.pk}, "components": ["phenomenonTime", "result"],
                            "dataArray": rows}])  # fmt: skip

    # 1. CreateObservations over HTTP (Django test client: routing, JSON, validation, landing), one day per round
    rounds = [
        [
            body(base + dt.timedelta(days=k, seconds=r * ROWS_PER_REQUEST), lambda i: 20.0 + i % 7)
            for r in range(REQUESTS)
        ]
        for k in range(count)
    ]
    # warm-up: the first request of a process imports every URLconf and view module (seconds, not ingestion)
    assert client.get("/sta/v1.1/", secure=True).status_code == 200
    # and one round of the same requests, the day before, under the same conditions as the measured ones: a running
    # server's state, not a new process's first requests (caches of token, Datastream and feature filled; the
    # task queue's connection open; the memory for a batch's objects once taken from the system; the
    # interpreter's specialised code for the request's functions)
    warm = [
        body(base - dt.timedelta(days=1, seconds=-r * ROWS_PER_REQUEST), lambda _i: 1.0)
        for r in range(REQUESTS)
    ]

    # 2. the physical limit: the same rows (datastream id, time, result) into a bare table – no indexes, no
    #    partitions, no roll-ups – by binary COPY (PostgreSQL) or executemany (SQLite), after each round
    raw_values = [
        (ds_raw.pk, base + dt.timedelta(seconds=i), 20.0 + i % 7) for i in range(REQUESTS * ROWS_PER_REQUEST)
    ]
    time_type = "timestamptz" if connection.vendor == "postgresql" else "timestamp"

    def bare() -> float:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS bench_bare")
            cursor.execute(
                f"CREATE TABLE bench_bare (datastream_id bigint, phenomenon_time {time_type}, result float)"
            )
        start = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy("COPY bench_bare FROM STDIN (FORMAT BINARY)") as copy:
                    copy.set_types(["int8", "timestamptz", "float8"])
                    for row in raw_values:
                        copy.write_row(row)
            else:
                cursor.executemany(
                    "INSERT INTO bench_bare (datastream_id, phenomenon_time, result) VALUES (%s, %s, %s)",
                    [(a, str(t.replace(tzinfo=None)), v) for a, t, v in raw_values],
                )
        return len(raw_values) / (time.perf_counter() - start)

    from konzeptk.sensing import landing

    if landing.available():  # PostgreSQL: landed, folded by a Celery worker as in production
        results = _landed_by_api(client, warm, rounds, ds, bare)
    else:  # SQLite: stored directly
        results = _stored_directly(client, warm, rounds, bare)
    raw_values.clear()  # the benchmark's own big temporaries would slow every later garbage collection
    rounds.clear()
    gc.collect()
    total = REQUESTS * ROWS_PER_REQUEST
    ratios = [api / raw for api, _visible, raw in results]
    median = statistics.median(ratios)
    api_median = statistics.median(api for api, _v, _r in results)
    raw_median = statistics.median(raw for _a, _v, raw in results)
    print(
        f"  CreateObservations (HTTP, {REQUESTS}×{ROWS_PER_REQUEST} Zeilen, Median aus {len(results)} Runden): "
        f"{api_median:,.0f} Beobachtungen/s (Ziel ≥ 60.000; bis zur letzten Antwort 201: gespeichert, jeder "
        f"selfLink abrufbar)"
    )
    visible = [v for _a, v, _r in results if v is not None]
    if visible:
        print(
            f"    vom Worker eingefaltet (in Listen, Verdichtung, Datastream-Zeiten): alle {total:,} nach "
            f"{statistics.median(visible):.2f} s ab der ersten Anfrage (Median) = "
            f"{total / statistics.median(visible):,.0f} Beobachtungen/s"
        )
    print(f"  Dieselben Zeilen in eine nackte Tabelle ({'binäres COPY' if connection.vendor == 'postgresql' else 'executemany'}; "
          f"Datastream, Zeit, Ergebnis; ohne Indizes und Partitionen), nach jeder Runde: {raw_median:,.0f} Zeilen/s "
          f"(Median) → Verhältnis API/nackt: {median:.2f} (Median; Ziel ≥ 0,3); Runden: "
          + ", ".join(f"{api:,.0f}/{raw:,.0f} = {api / raw:.2f}" for api, _v, raw in results))  # fmt: skip
    return ds, ds_raw


def run() -> None:
    from django.db import connection, transaction
    from django.test import Client

    from konzeptk.sensing.selectors import aggregate_series
    from konzeptk.sensing.storage import Row, insert_rows

    os.environ["KONZEPTK_STA_OPEN_WRITE"] = "1"
    client = Client(HTTP_HOST="localhost")
    ds, ds_raw = _create_observations(client)

    # 3. one year of minute data of one datastream
    ds_year = _datastream("Benchmark Minutenwerte")
    feature = ds_raw.observations.model.objects.filter(datastream=ds).first()
    year_start = dt.datetime(2023, 1, 1, tzinfo=dt.UTC)
    start = time.perf_counter()
    with transaction.atomic():
        for chunk in range(0, MINUTES_PER_YEAR, 100_000):
            insert_rows(
                [
                    Row(ds_year.pk, feature.feature_of_interest_id if feature else None,
                        year_start + dt.timedelta(minutes=i), result_number=10.0 + (i % 1440) / 144.0)
                    for i in range(chunk, min(chunk + 100_000, MINUTES_PER_YEAR))
                ]
            )  # fmt: skip
    load_s = time.perf_counter() - start
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE sensing_observation")
    year_end = year_start + dt.timedelta(days=365)

    def daily() -> None:
        buckets = aggregate_series(datastream=ds_year, interval="day", start=year_start, end=year_end)
        assert len(buckets) >= 365

    daily_s = _best(daily, 5)
    from konzeptk.sensing.rollups import rebuild
    from konzeptk.sensing.selectors import _hourly_partials

    raw_s = _best(lambda: _hourly_partials(ds_year, year_start, year_end), 3)
    with transaction.atomic():
        started = time.perf_counter()
        rebuild(ds_year.pk)
        rebuild_s = time.perf_counter() - started
    print(
        f"  Minutenwerte eines Jahres geladen (mit Stunden-Verdichtung): {MINUTES_PER_YEAR:,} Zeilen in {load_s:.1f} s"
    )
    print(
        f"  Tagesmittel über ein Jahr Minutenwerte (365 Werte aus {MINUTES_PER_YEAR:,} Zeilen): {daily_s * 1000:.1f} ms "
        f"aus Stunden-Verdichtung (Ziel ≤ 50 ms); aus Rohdaten: {raw_s * 1000:.0f} ms; "
        f"rebuild_rollups dieses Datastreams: {rebuild_s:.1f} s"
    )

    # 4. one day of one datastream via $filter (HTTP, 1,440 observations serialised)
    day = dt.datetime(2023, 6, 15, tzinfo=dt.UTC)
    params = {
        "$filter": f"phenomenonTime ge {day.isoformat().replace('+00:00', 'Z')} and "
        f"phenomenonTime lt {(day + dt.timedelta(days=1)).isoformat().replace('+00:00', 'Z')}",
        "$top": "1440",
        "$select": "phenomenonTime,result",
    }

    day_url = f"/sta/v1.1/Datastreams({ds_year.pk})/Observations"
    # server time only: decoding the JSON is the client's work, so it is checked once, outside the timing
    assert len(client.get(day_url, params, secure=True).json()["value"]) == 1440
    day_s = _best(lambda: client.get(day_url, params, secure=True), 5)
    from konzeptk.sensing.selectors import observations_between

    sql_s = _best(
        lambda: list(
            observations_between(ds_year, day, day + dt.timedelta(days=1)).values_list("result_number")
        ),
        5,
    )
    print(f"  Ein Tag eines Datastreams per $filter (1.440 Werte, HTTP mit JSON): {day_s * 1000:.1f} ms; "
          f"davon reine Abfrage: {sql_s * 1000:.1f} ms")  # fmt: skip

    total = ds_year.observations.model.objects.count()
    print(
        f"  Speicher pro Beobachtung (Tabelle + Indizes, {total:,} Zeilen): {_storage_bytes(total):.0f} Byte"
    )
    _mqtt(ds)
    _mqtt_scale_out(ds)


def _mqtt_scale_out(ds: Any) -> None:
    """One bridge process against two on one MQTT 5 shared subscription, same load: messages to 20 datastreams
    published faster than they are stored (``KONZEPTK_BENCH_MQTT_SCALE_MESSAGES``, default 60,000), into a
    Mosquitto of our own configured for production. The rate is what the bridges store per second between
    10 % and 90 % of the messages (start-up and the tail left out)."""
    import shutil

    from django.db import connection

    from konzeptk.sensing import mqtt_scale

    if shutil.which("mosquitto") is None:
        print("  MQTT-Skalierung: Programm mosquitto fehlt – übersprungen")
        return
    total = int(os.environ.get("KONZEPTK_BENCH_MQTT_SCALE_MESSAGES", "60000"))
    rates = {}
    for count in (1, 2):
        streams = [
            type(ds).objects.create(
                name=f"Benchmark Skalierung {count}/{i}", unit_of_measurement=ds.unit_of_measurement,
                thing=ds.thing, sensor=ds.sensor, observed_property=ds.observed_property,
            ).pk
            for i in range(20)
        ]  # fmt: skip
        rates[count] = _bridges_rate(mqtt_scale, connection, streams, count, total)
    one, two = rates[1], rates[2]
    print(
        f"  MQTT-Skalierung ({total:,} Nachrichten QoS 1, 20 Datastreams, geteiltes Abonnement $share/…): "
        f"1 Brücke {one:,.0f}/s, 2 Brücken {two:,.0f}/s → Faktor {two / one:.2f} (Ziel ≥ 1,8; "
        f"{os.cpu_count()} Kerne für Broker, Sender, Brücken und Datenbank)"
    )


def _bridges_rate(mqtt_scale: Any, connection: Any, streams: list[int], count: int, total: int) -> float:
    import shutil

    from konzeptk.sensing import models as m

    def stored() -> int:
        return m.Observation.objects.filter(datastream_id__in=streams).count()

    workdir = Path(tempfile.mkdtemp(prefix="konzeptk-bench-mqtt-"))
    broker = mqtt_scale.PrivateBroker(workdir)
    broker.start()
    env = mqtt_scale.bridge_env(
        database=mqtt_scale.database_url(connection.settings_dict), mqtt_url=broker.url, data_dir=workdir
    )
    group = f"bench-{uuid.uuid4().hex[:6]}"
    bridges = [
        mqtt_scale.BridgeProcess(
            env=env, client_id=f"{group}-{i}", share_group=group, log=workdir / f"{i}.log", launcher=NO_HOOKS
        )
        for i in range(count)
    ]
    try:
        for bridge in bridges:
            bridge.start()
        for bridge in bridges:
            if not bridge.wait_subscribed():
                raise RuntimeError(bridge.log.read_text())
        topics = [f"v1.1/Datastreams({pk})/Observations" for pk in streams]
        publisher = mqtt_scale.start_publisher(
            host="127.0.0.1", port=broker.port, topics=topics, total=total, rate=20_000
        )
        marks: dict[float, float] = {}
        deadline = time.monotonic() + 900
        while len(marks) < 2 and time.monotonic() < deadline:
            done = stored()
            for share in (0.1, 0.9):
                if share not in marks and done >= share * total:
                    marks[share] = time.perf_counter()
            time.sleep(0.05)
        mqtt_scale.publisher_report(publisher)
    finally:
        for bridge in bridges:
            bridge.stop()
        broker.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    if len(marks) < 2:
        raise SystemExit(f"MQTT-Skalierung: nach 15 Minuten erst {stored():,} von {total:,} gespeichert")
    return 0.8 * total / (marks[0.9] - marks[0.1])


def _mqtt(ds: Any) -> None:
    """MQTT ingestion: a separate publisher process sends QoS 1 messages at a steady rate for a minute
    (``KONZEPTK_BENCH_MQTT_RATE``/``_SECONDS``, default 2,500/s for 60 s) through the broker to the bridge."""
    import socket
    import subprocess
    import sys
    from urllib.parse import urlparse

    from django.conf import settings

    from konzeptk.sensing.mqtt_bridge import Bridge

    url = urlparse(settings.MQTT_URL or "mqtt://127.0.0.1:1883")
    host, port = url.hostname or "127.0.0.1", url.port or 1883
    try:
        socket.create_connection((host, port), timeout=1).close()
    except OSError:
        print("  MQTT: kein Broker erreichbar – übersprungen")
        return
    rate = float(os.environ.get("KONZEPTK_BENCH_MQTT_RATE", "2500"))
    seconds = float(os.environ.get("KONZEPTK_BENCH_MQTT_SECONDS", "60"))
    # A datastream id of its own and a bridge subscribed to it alone: another benchmark using the same broker
    # at the same time (every temporary database starts its ids at 1) must not take these messages.
    import random

    ds = type(ds).objects.create(
        pk=random.randint(10**8, 10**9),
        name="Benchmark MQTT", unit_of_measurement=ds.unit_of_measurement, thing=ds.thing, sensor=ds.sensor,
        observed_property=ds.observed_property,
    )  # fmt: skip
    before = 0
    topic = f"v1.1/Datastreams({ds.pk})/Observations"
    bridge = Bridge(url.geturl(), client_id=f"konzeptk-bench-{uuid.uuid4().hex[:6]}", topics=[topic])
    bridge.start()
    bridge.connected.wait(5)
    time.sleep(0.5)
    start = time.perf_counter()
    publisher = subprocess.Popen(  # noqa: S603 – our own module
        [sys.executable, "-m", "konzeptk.sensing.mqtt_load", host, str(port), topic, str(rate), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    backlog = 0
    while publisher.poll() is None:
        time.sleep(1)
        backlog = max(backlog, int((time.perf_counter() - start) * rate) - len(bridge.results))
    report = json.loads(publisher.stdout.read() if publisher.stdout else "{}")
    deadline = time.monotonic() + 120
    while len(bridge.results) < report["sent"] and time.monotonic() < deadline:
        time.sleep(0.05)
    elapsed = time.perf_counter() - start
    bridge.stop()
    bridge.forget_session()  # the benchmark id is thrown away: no session collecting messages for a week
    stored = ds.observations.count() - before
    print(
        f"  MQTT (QoS 1, eigener Sender-Prozess, {report['sent']:,} Nachrichten in {report['seconds']:.0f} s = "
        f"{report['sent'] / report['seconds']:,.0f}/s angeboten): gespeichert {stored:,} in {elapsed:.1f} s = "
        f"{stored / elapsed:,.0f} Beobachtungen/s; verloren {report['sent'] - stored}; "
        f"vom Broker bestätigt {report['acked']:,}; größter Rückstand {backlog:,} Nachrichten"
    )


def main() -> None:
    """Measure on the configured database, then on the other backend (SQLite / PostgreSQL)."""
    from konzeptk.bench import on_both_databases

    on_both_databases("sensing", _main_here)


def _main_here() -> None:
    from django.db import connection

    started = time.perf_counter()
    from django.test import override_settings

    # the rate limits count in the shared cache, which the temporary database has no table for (and which is
    # Redis in production); the figures are those of the SensorThings path itself
    with temporary_database() as label, override_settings(RATELIMIT_ENABLE=False):
        print(f"  Datenbank: {label}; Kerne: {os.cpu_count()}, Last: {statistics.fmean(os.getloadavg()):.1f}")
        run()
    from konzeptk.sensing import bench_reads, bench_writes

    bench_writes.run()  # single POST Observation over HTTP: a real server, its own migrated database
    bench_reads.run(
        temporary_database
    )  # nextLink paging, dashboard, $count at 1 (and 10) million rows, own temporary databases
    print(
        f"  (Dauer {time.perf_counter() - started:.0f} s; Demo-Datenbank unberührt: {connection.settings_dict['NAME']})"
    )


def seed_front_door(*, ideas: int) -> list[tuple[str, str]]:
    """The demo's simulated series (a year of hourly values of every sensor) for the home page's figures."""
    import io

    from konzeptk.sensing.demo import load_demo

    load_demo(out=io.StringIO())
    return []
