"""Rule evaluation on ingest (part of ``python -m konzeptk.bench resilience``): the CreateObservations rate of
Datastreams an active rule watches against Datastreams no rule watches, in the same run, requests alternating.

``run()`` is called by ``bench.py`` inside its throwaway test database (SQLite file or PostgreSQL). Each
request carries :data:`ROWS` observations over the SensorThings API (Django test client: routing, JSON,
validation, insert – on PostgreSQL landing and folding in the request – and, for the watched Datastream,
sensing's ingest hook, which evaluates the rule). Two cases: a quiet rule (the values stay under the threshold) and a rule with an alert in force
(every value over the threshold: the flood keeps the one open episode). Target: the hook costs ≤ 10 % of the
rate. Prints medians; asserts nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import time
from typing import Any

ROWS = 10_000
REQUESTS = 8  # per Datastream and case


def _body(ds_id: int, start: dt.datetime, value: float) -> str:
    rows = [
        [(start + dt.timedelta(seconds=i)).isoformat().replace("+00:00", "Z"), value + (i % 7) * 0.1]
        for i in range(ROWS)
    ]
    return json.dumps(
        [{"Datastream": {"@iot.id": ds_id}, "components": ["phenomenonTime", "result"], "dataArray": rows}]
    )


def _post(client: Any, token: str, body: str) -> float:
    started = time.perf_counter()
    answer = client.post(
        "/sta/v1.1/CreateObservations", data=body, content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}", secure=True,
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    if answer.status_code != 201:
        raise RuntimeError(f"CreateObservations: {answer.status_code} {answer.content[:200]!r}")
    return elapsed


def _case(
    client: Any, token: str, watched: int, plain: int, value: float, base: dt.datetime
) -> tuple[float, float]:
    """Rows per second (median of the requests) for the watched and the plain Datastream, alternating."""
    times: dict[int, list[float]] = {watched: [], plain: []}
    for r in range(REQUESTS + 1):
        start = base + dt.timedelta(seconds=r * ROWS)
        for ds_id in (plain, watched) if r % 2 else (watched, plain):
            elapsed = _post(client, token, _body(ds_id, start, value))
            if r:  # the first round warms caches and partitions
                times[ds_id].append(elapsed)
    return ROWS / statistics.median(times[watched]), ROWS / statistics.median(times[plain])


def run() -> None:
    from django.db import connection
    from django.test import Client, override_settings
    from django.utils import timezone

    from konzeptk.accounts.models import Organisation
    from konzeptk.resilience import evaluation
    from konzeptk.resilience.models import Episode, Rule, Warning
    from konzeptk.sensing.services import api_token_create
    from konzeptk.sensing.tests.factories import make_datastream

    org = Organisation.objects.create(slug="bench-regeln", name="Bench Regeln", short_name="BR")
    token = api_token_create(organisation=org, name="Bench")[1]
    streams: list[Any] = []
    for name in ("Temperatur mit Regel", "Temperatur ohne Regel", "Hitze mit Regel", "Hitze ohne Regel"):
        ds = make_datastream(org, name=name)
        ds.unit_of_measurement = {"name": "Grad Celsius", "symbol": "°C", "definition": "ucum:Cel"}
        ds.save()
        streams.append(ds)
    quiet_ds, quiet_plain, hot_ds, hot_plain = (ds.pk for ds in streams)
    for ds in (streams[0], streams[2]):
        evaluation.rule_save(
            values={
                "name": f"Hitze {ds.pk}", "kind": Rule.Kind.HEAT, "datastream": ds, "threshold": 30.0,
                "unit": "°C", "min_duration_minutes": 60, "hysteresis": 2.0, "severity": "Severe",
                "heat_checklist": False, "active": True,
            },
            texts={"headline": "Hitze", "description": "", "instruction": "Trinken Sie viel."},
            translations={}, districts=[],
        )  # fmt: skip
    client = Client(HTTP_HOST="localhost")
    base = (timezone.now() - dt.timedelta(days=3)).replace(microsecond=0)
    # the fold in the request (PostgreSQL's landing), so the hook runs there and its cost is the request's – with
    # a worker folding (``celery``, the default with Redis) the request would not run the rule at all
    with override_settings(RATELIMIT_ENABLE=False, RESILIENCE_FANOUT="inline", SENSING_FOLD="inline"):
        quiet = _case(client, token, quiet_ds, quiet_plain, 22.0, base)
        hot = _case(client, token, hot_ds, hot_plain, 33.0, base)
    alerts = Warning.objects.filter(rule__datastream_id=hot_ds).count()
    open_episodes = Episode.objects.filter(rule__datastream_id=hot_ds, ended_at__isnull=True).count()
    label = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    for title, (with_rule, without) in (
        ("Regel ruhig (Werte unter 30 °C)", quiet),
        ("Warnung läuft (Flut über 30 °C)", hot),
    ):
        cost = (1 - with_rule / without) * 100
        print(
            f"  {label}: CreateObservations ({ROWS:,} Zeilen je Anfrage, Median aus {REQUESTS}) – {title}: "
            f"mit aktiver Regel {with_rule:,.0f}/s, ohne {without:,.0f}/s, Verhältnis {with_rule / without:.3f} "
            f"(Kosten der Auswertung {cost:.1f} %, Ziel ≤ 10 %)",
            flush=True,
        )
    print(
        f"  {label}: Warnungen aus der Flut: {alerts} (erwartet 1), offene Episoden: {open_episodes}",
        flush=True,
    )
