"""Single POST Observation over real HTTP (part of ``python -m konzeptk.bench sensing``).

The platform's web server as ``konzeptk serve`` starts it (gunicorn with the production settings, the command
line of ``core/management/commands/serve.py``) runs on a free port against a throwaway database of the
configured backend (fully migrated; a file for SQLite). 8 client threads of this process – 8 gateways, each with
its own API token and its own keep-alive HTTP/1.1 connection – each post ``PER_CLIENT`` single observations, one
request per observation, with ``Authorization: Bearer``: first all to one Datastream, then each to a Datastream
of its own. Each case runs 3 times; the median rate is reported.

Nothing is made easier than in production: the rate limits are on (the ``ingest`` budget of each token; counted
in the database, as without ``REDIS_URL``), every request passes the whole middleware stack. Every answer other
than 201 is counted with its status; afterwards every acknowledged observation is looked up in the database.

Settings: ``KONZEPTK_BENCH_HTTP_WORKERS`` (default 2 × cores, the rule of thumb of docs/operations.md),
``KONZEPTK_BENCH_HTTP_THREADS`` (default 4, as ``konzeptk serve``), ``KONZEPTK_BENCH_HTTP_PER_CLIENT`` (250).
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

CLIENTS = 8
RUNS = 3
WARM_UP = 20  # requests per client before the timed runs: each worker process fills its caches
PATH = "/sta/v1.1/Observations"


def _setting(name: str, default: int) -> int:
    return int(os.environ.get(f"KONZEPTK_BENCH_HTTP_{name}", default))


@dataclass
class Outcome:
    """What the clients of one run were answered."""

    ids: list[int] = field(default_factory=list)
    others: Counter[str] = field(default_factory=Counter)  # "status: start of the body" → count
    lock: threading.Lock = field(default_factory=threading.Lock)


def _body(ds_id: int, n: int) -> bytes:
    at = dt.datetime(2024, 2, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=n)
    return json.dumps(
        {"phenomenonTime": at.isoformat(), "result": 20.0 + n % 13, "Datastream": {"@iot.id": ds_id}}
    ).encode()


def _client(port: int, token: str, bodies: list[bytes], start: threading.Barrier, out: Outcome) -> None:
    """One gateway: one keep-alive connection, one request per observation, no retries."""
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": "application/json",
    }
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    ids: list[int] = []
    others: Counter[str] = Counter()
    start.wait()
    for body in bodies:
        try:
            conn.request("POST", PATH, body=body, headers=headers)
            answer = conn.getresponse()
            content = answer.read()
        except (OSError, http.client.HTTPException) as exc:
            others[f"Verbindungsfehler {type(exc).__name__}"] += 1
            conn.close()  # the next request opens a new connection
            continue
        if answer.status == 201:
            ids.append(json.loads(content)["@iot.id"])
        else:
            others[f"{answer.status}: {content[:120]!r}"] += 1
    conn.close()
    with out.lock:
        out.ids.extend(ids)
        out.others.update(others)


def _run_clients(
    port: int, tokens: list[str], streams: list[int], first: int, per_client: int, out: Outcome
) -> float:
    """All clients at once (from a barrier); the rate in requests per second until the last one finished."""
    start = threading.Barrier(len(tokens) + 1)
    threads = [
        threading.Thread(
            target=_client,
            args=(
                port,
                token,
                [_body(ds, first + c * per_client + n) for n in range(per_client)],
                start,
                out,
            ),
        )
        for c, (token, ds) in enumerate(zip(tokens, streams, strict=True))
    ]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return len(tokens) * per_client / (time.perf_counter() - began)


class Server:
    """The platform's gunicorn on a free port with the production settings against ``database``."""

    def __init__(self, database: str, workdir: Path, *, workers: int, threads: int) -> None:
        from konzeptk.core.management.commands.serve import gunicorn_argv

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port: int = probe.getsockname()[1]
        self.log = workdir / "gunicorn.log"
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DJANGO_SETTINGS_MODULE", "KONZEPTK_DEMO", "KONZEPTK_DEBUG", "REDIS_URL"}
            and key != "KONZEPTK_STA_OPEN_WRITE"  # tokens are checked, as in production
        }
        env.update(
            DJANGO_SETTINGS_MODULE="konzeptk.settings",
            DATABASE_URL=database,
            KONZEPTK_DATA_DIR=str(workdir / "data"),
            KONZEPTK_HTTPS="0",  # plain HTTP on the loopback (behind the reverse proxy in production)
            SECRET_KEY=env.get("SECRET_KEY") or "benchmark-only",
            KONZEPTK_LOG_LEVEL="ERROR",
        )
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 – our own interpreter and gunicorn
                gunicorn_argv(bind=f"127.0.0.1:{self.port}", workers=workers, threads=threads),
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=log,
            )

    def wait_ready(self, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn beendet: {self.log.read_text()[-2000:]}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    conn.close()
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn antwortet nicht: {self.log.read_text()[-2000:]}")

    def stop(self) -> int | None:
        """SIGTERM (gunicorn's graceful shutdown); the exit code, or None when it had to be killed."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                return self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                return None
        return self.process.returncode


def run() -> None:
    """Measure in a throwaway database of the configured backend (see the module text)."""
    from django.db import connection

    from konzeptk.bench import in_throwaway_database

    if connection.vendor == "postgresql":  # its own name: other benchmarks may run on the same server
        connection.settings_dict.setdefault("TEST", {})["NAME"] = (
            f"konzeptk_bench_http_{uuid.uuid4().hex[:8]}"
        )
    in_throwaway_database(_measure)


def _measure() -> None:
    from django.db import connection

    from konzeptk.accounts.models import Organisation
    from konzeptk.sensing import models as m
    from konzeptk.sensing.mqtt_scale import database_url
    from konzeptk.sensing.services import api_token_create
    from konzeptk.sensing.tests.factories import make_datastream

    workers = _setting("WORKERS", 2 * (os.cpu_count() or 1))
    threads = _setting("THREADS", 4)
    per_client = _setting("PER_CLIENT", 250)
    org = Organisation.objects.create(slug="bench-gateways", name="Benchmark Netzbetreiber", short_name="BN")
    tokens = [api_token_create(organisation=org, name=f"Gateway {c}")[1] for c in range(CLIENTS)]
    shared = make_datastream(org, name="Benchmark Einzelschreiben").pk
    own = [make_datastream(org, name=f"Benchmark Einzelschreiben {c}").pk for c in range(CLIENTS)]
    workdir = Path(tempfile.mkdtemp(prefix="konzeptk-bench-http-"))
    server = Server(database_url(connection.settings_dict), workdir, workers=workers, threads=threads)
    outcome = Outcome()
    rates: dict[str, list[float]] = {"one": [], "own": []}
    load = os.getloadavg()
    try:
        server.wait_ready()
        _run_clients(server.port, tokens, [shared] * CLIENTS, 0, WARM_UP, outcome)
        _run_clients(server.port, tokens, own, 0, WARM_UP, outcome)
        first = 10_000
        for _ in range(RUNS):
            for case, streams in (("one", [shared] * CLIENTS), ("own", own)):
                rates[case].append(_run_clients(server.port, tokens, streams, first, per_client, outcome))
                first += CLIENTS * per_client
        load = os.getloadavg()
    finally:
        exit_code = server.stop()
    acknowledged = set(outcome.ids)
    stored = m.Observation.objects.filter(pk__in=acknowledged).count()
    in_table = m.Observation.objects.filter(datastream_id__in=[shared, *own]).count()
    others = ", ".join(f"{count}× {what}" for what, count in outcome.others.most_common(3)) or "keine"
    print(
        f"  Einzelne POST Observation über HTTP (gunicorn wie `konzeptk serve`, {workers} Worker × {threads} "
        f"Threads; {CLIENTS} gleichzeitige Clients mit je eigenem API-Schlüssel und eigener Keep-alive-"
        f"Verbindung, je {per_client} Anfragen, Median aus {RUNS} Läufen): auf einen Datastream "
        f"{statistics.median(rates['one']):,.0f}/s, auf je einen eigenen {statistics.median(rates['own']):,.0f}/s "
        f"(Ziel ≥ 400/s; Läufe: {', '.join(f'{r:,.0f}' for r in rates['one'] + rates['own'])})"
    )
    print(
        f"    bestätigt (201) {len(acknowledged):,}, davon gespeichert {stored:,}, verloren "
        f"{len(acknowledged) - stored}; Zeilen in der Tabelle {in_table:,}; andere Antworten "
        f"{sum(outcome.others.values())} ({others}); Server beendet mit "
        f"{'Code ' + str(exit_code) if exit_code is not None else 'kill nach 30 s'}; Last "
        f"{load[0]:.1f} (1 min)"
    )
    import shutil

    shutil.rmtree(workdir, ignore_errors=True)
