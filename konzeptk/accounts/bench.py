"""``python -m konzeptk.bench accounts``: the DSGVO export, erasure and /media/ with many rows.

Runs on the configured database and on the other backend (``konzeptk.bench.on_both_databases``), each
time in a throwaway test database with in-memory file storage. The rooms seed one busy person
through their ``seed_personal_data`` (a registry by name, see :func:`personal_data_seeders`):
participation makes ``KONZEPTK_BENCH_IDEAS`` ideas (default 50,000) with images and the person's 200
ideas with photos, 500 comments and 300 supports, the Mängelmelder 50 reports with photos. Measures
through the full request cycle: /media/ for the uploads the rooms name, the export ZIP of that
person (and its query count), and the erasure of the person.
"""

from __future__ import annotations

import io
import logging
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from konzeptk.bench import bench_hooks, on_both_databases

N_IDEAS = int(os.environ.get("KONZEPTK_BENCH_IDEAS", "50000"))
REPEAT = 7


def _measure(run: Callable[[], object], repeat: int = REPEAT) -> tuple[float, float]:
    """(median ms, max ms) after one warm-up run."""
    run()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def main() -> None:
    on_both_databases("accounts", _main_here)


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
            "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
            "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        with override_settings(STORAGES=storages, RATELIMIT_ENABLE=False):
            _run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(tmp, ignore_errors=True)


def jpeg_bytes() -> bytes:
    """A small JPEG for the uploads the rooms' seeders create."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), "orange").save(out, "JPEG")
    return out.getvalue()


def _body(response: Any) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return bytes(response.content)


def _get(client: Any, url: str) -> bytes:
    return _body(client.get(url, secure=True))


@dataclass(frozen=True)
class PersonalData:
    """What a room's ``seed_personal_data`` made: a line for the report and, for the /media/
    measurement, uploads as (label, name in the default storage, expected status of /media/<name>)."""

    description: str
    media: tuple[tuple[str, str, int], ...] = ()


#: ``konzeptk/<room>/bench.py`` may define ``seed_personal_data(*, person, scale) -> PersonalData``:
#: the room's personal data of one busy ``person`` (what the DSGVO export and erasure go through),
#: and ``scale`` rows of other people's data of that room, so the benchmark never names the rooms.
Seeder = Callable[..., PersonalData]


def personal_data_seeders() -> list[tuple[str, Seeder]]:
    """The seeders of the installed rooms, in the order of INSTALLED_APPS."""
    return [(label, seeder) for label, seeder in bench_hooks("seed_personal_data") if label != "accounts"]


def _run() -> None:
    from allauth.account.models import EmailAddress
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from konzeptk.accounts.models import User
    from konzeptk.accounts.services import user_erase

    start = time.perf_counter()
    person = User.objects.create_user(email="viel@beispiel.invalid", password="x")
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    seeded = [(label, seeder(person=person, scale=N_IDEAS)) for label, seeder in personal_data_seeders()]
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"{connection.vendor}: Daten angelegt in {time.perf_counter() - start:.1f} s", flush=True)
    for label, data in seeded:
        print(f"  {label}: {data.description}")

    logging.getLogger("django.request").setLevel(logging.ERROR)  # the expected 404s
    client = Client()
    for label, data in seeded:
        for what, name, expected in data.media:
            assert client.get(f"/media/{name}", secure=True).status_code == expected
            median, worst = _measure(partial(_get, client, f"/media/{name}"))
            print(f"  /media/ {what} ({label}): {median:.1f} ms (max {worst:.1f})")

    client.force_login(person)

    def export() -> int:
        return len(_body(client.get("/konto/daten/", secure=True)))

    statements: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        size = export()
    median, worst = _measure(export, repeat=3)
    print(
        f"  /konto/daten/ (alles oben von {person.email}): "
        f"{median:.0f} ms (max {worst:.0f}), {len(statements)} Abfragen, ZIP {size // 1024} kB"
    )
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        user_erase(user=person)
    print(
        f"  Löschung derselben Person: {(time.perf_counter() - start) * 1000:.0f} ms, "
        f"{len(queries.captured_queries)} Abfragen"
    )
