"""Nothing lost under concurrency on SQLite too (issue 14, finding 1).

The live server of the test suite cannot show this on SQLite (it shares the one connection of the in-memory
test database between its threads), so here two real gunicorn processes with 8 threads each serve a SQLite
file in WAL mode with the production settings, and 16 writers POST at once. Every 201 must be stored and
the roll-ups must equal a recompute from the raw rows.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

BIN = Path(sys.executable).parent
WRITERS = 16
PER_WRITER = 25

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="PostgreSQL: test_concurrency.py runs there against the live server",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


SETUP = """
from konzeptk.accounts.models import Organisation
from konzeptk.sensing.services import api_token_create
from konzeptk.sensing.tests.factories import make_datastream
org = Organisation.objects.create(slug="nebenlaeufig", name="Nebenläufig", short_name="N")
print(api_token_create(organisation=org, name="Last")[1])
print(",".join(str(make_datastream(org, name=f"Pegel {i}").pk) for i in range(4)))
"""


@pytest.fixture
def server(tmp_path: Path) -> Iterator[dict[str, Any]]:
    database = tmp_path / "konzeptk.sqlite3"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DJANGO_SETTINGS_MODULE", "EMAIL_URL", "KONZEPTK_DEMO", "MQTT_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="konzeptk.settings",
        DATABASE_URL=f"sqlite:///{database}",
        KONZEPTK_DATA_DIR=str(tmp_path / "data"),
        KONZEPTK_HTTPS="0",
        SECRET_KEY="nebenlaeufig-test",
        KONZEPTK_RATE_LIMITS=json.dumps({"write": "100000/h", "ingest": "100000/h"}),
    )
    konzeptk = str(BIN / "konzeptk")
    subprocess.run([konzeptk, "migrate", "--no-input", "-v0"], env=env, check=True, timeout=600)
    made = subprocess.run(
        [konzeptk, "shell", "-c", SETUP], env=env, check=True, timeout=120, capture_output=True, text=True
    )
    token, streams = made.stdout.split()[-2:]
    port = _free_port()
    log = tmp_path / "server.log"
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "konzeptk.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2", "--threads", "8"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("wb"),
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(url + "/healthz", timeout=15).status_code == 200:
                    break
            except requests.RequestException:
                pass
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.2)
        yield {"url": url, "token": token, "streams": [int(s) for s in streams.split(",")], "db": database}
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_sixteen_writers_on_sqlite_lose_nothing(server: dict[str, Any]) -> None:
    streams = server["streams"]
    start = dt.datetime(2150, 6, 1, 10, tzinfo=dt.UTC)
    barrier = threading.Barrier(WRITERS)
    answers: list[tuple[int, Any]] = []
    lock = threading.Lock()

    def work(i: int) -> None:
        session = requests.Session()
        session.headers.update(
            {"Authorization": f"Bearer {server['token']}", "Content-Type": "application/json"}
        )
        barrier.wait(timeout=30)
        for j in range(PER_WRITER):
            # half the writers on one Datastream, the others spread over three
            ds = streams[0] if i % 2 else streams[1 + i % 3]
            body = {
                "phenomenonTime": (start + dt.timedelta(seconds=(j * WRITERS + i) * 13)).isoformat(),
                "result": i + j / 100,
                "Datastream": {"@iot.id": ds},
            }
            answer = session.post(
                f"{server['url']}/sta/v1.1/Observations", data=json.dumps(body), timeout=120
            )
            with lock:
                answers.append((answer.status_code, answer.json()))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert len(answers) == WRITERS * PER_WRITER
    statuses = sorted({status for status, _body in answers})
    assert statuses == [201], (statuses, [body for status, body in answers if status != 201][:5])
    ids = {body["@iot.id"] for _status, body in answers}
    with sqlite3.connect(server["db"]) as db:
        marks = ",".join("?" * len(ids))
        stored = {
            row[0]
            for row in db.execute(f"SELECT id FROM sensing_observation WHERE id IN ({marks})", list(ids))
        }
        assert stored == ids
        assert db.execute("SELECT COUNT(*) FROM sensing_observation").fetchone()[0] == len(ids)
        kept = db.execute(
            "SELECT datastream_id, hour, value_count, round(value_sum, 6), value_min, value_max "
            "FROM sensing_observationhour ORDER BY 1, 2"
        ).fetchall()
        recomputed = db.execute(
            "SELECT datastream_id, substr(phenomenon_time_start, 1, 13) || ':00:00', COUNT(*), "
            "round(SUM(result_number), 6), MIN(result_number), MAX(result_number) "
            "FROM sensing_observation GROUP BY 1, 2 ORDER BY 1, 2"
        ).fetchall()
    assert kept == recomputed
