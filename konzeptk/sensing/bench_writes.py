"""Single POST Observation figures (part of ``python -m konzeptk.bench sensing``): one client after another,
and 8 concurrent clients (threads, each with its own database connection, through the whole Django stack)
on one Datastream and on one Datastream each. Every answer must be 201 and every acknowledged observation
is checked in the database afterwards.

The rate limits of the middleware are off here (they count in the shared cache: Redis in production).
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from typing import Any

SEQUENTIAL = 500
CLIENTS = 8
PER_CLIENT = 250


def _body(ds_id: int, n: int) -> str:
    at = dt.datetime(2024, 2, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=n)
    return json.dumps(
        {"phenomenonTime": at.isoformat(), "result": 20.0 + n % 13, "Datastream": {"@iot.id": ds_id}}
    )


def _post_all(bodies: list[str], ids: list[int], failures: list[str]) -> None:
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    try:
        for body in bodies:
            answer = client.post(
                "/sta/v1.1/Observations", data=body, content_type="application/json", secure=True
            )
            if answer.status_code == 201:
                ids.append(answer.json()["@iot.id"])
            else:
                failures.append(f"{answer.status_code}: {answer.content[:200]!r}")
    finally:
        if threading.current_thread() is not threading.main_thread():
            connection.close()


def _concurrent(streams: list[int], ids: list[int], failures: list[str]) -> float:
    """One thread per entry of ``streams``, each posting ``PER_CLIENT`` observations to its Datastream."""
    batches = [
        [_body(ds, 10_000 + c * PER_CLIENT + n) for n in range(PER_CLIENT)] for c, ds in enumerate(streams)
    ]
    results: list[list[int]] = [[] for _ in streams]
    threads = [
        threading.Thread(target=_post_all, args=(batch, out, failures))
        for batch, out in zip(batches, results, strict=True)
    ]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    rate = len(streams) * PER_CLIENT / (time.perf_counter() - start)
    ids.extend(pk for out in results for pk in out)
    return rate


def run() -> None:
    from django.test import override_settings

    from konzeptk.sensing import models as m
    from konzeptk.sensing.tests.factories import make_datastream

    with override_settings(RATELIMIT_ENABLE=False):
        ds = make_datastream(None, name="Benchmark Einzelschreiben")
        ids: list[int] = []
        failures: list[str] = []
        _post_all([_body(ds.pk, -1)], ids, failures)  # warm-up: caches of this process
        bodies = [_body(ds.pk, n) for n in range(SEQUENTIAL)]
        start = time.perf_counter()
        _post_all(bodies, ids, failures)
        sequential = SEQUENTIAL / (time.perf_counter() - start)
        one = _concurrent([ds.pk] * CLIENTS, ids, failures)
        own = [make_datastream(None, name=f"Benchmark Einzelschreiben {c}").pk for c in range(CLIENTS)]
        many = _concurrent(own, ids, failures)
    acknowledged = set(ids)
    stored = set(m.Observation.objects.filter(pk__in=acknowledged).values_list("pk", flat=True))
    total: Any = m.Observation.objects.filter(datastream_id__in=[ds.pk, *own]).count()
    print(
        f"  Einzelne POST Observation nacheinander: {sequential:,.0f}/s; {CLIENTS} gleichzeitige Clients (Threads "
        f"im selben Prozess) auf einen Datastream: {one:,.0f}/s, auf je einen eigenen: {many:,.0f}/s "
        f"(Ziel ≥ 400/s); bestätigt {len(acknowledged):,}, davon gespeichert {len(stored):,}, in der Tabelle "
        f"{total:,}; abgelehnt {len(failures)}" + (f" (erste: {failures[0]})" if failures else "")
    )
