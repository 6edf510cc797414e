"""``python -m konzeptk.bench accounts``: the DSGVO export, erasure and /media/ with many rows.

Runs on the configured database and on the other backend (``konzeptk.bench.on_both_databases``), each
time in a throwaway test database with in-memory file storage. Seeds ``KONZEPTK_BENCH_IDEAS`` ideas
(default 50,000) with images, and one busy person with 200 ideas with photos, 500 comments, 300
supports and 50 Mängelmelder reports with photos. Measures through the full request cycle: the
export ZIP of that person (and its query count), /media/ for a public and for a hidden idea's image,
and the erasure of the person.
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
from functools import partial
from typing import Any

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
    from konzeptk.bench import on_both_databases

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


def _jpeg() -> bytes:
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


def _busy_person(process: Any, others: list[Any], category: Any) -> Any:
    from django.core.files.base import ContentFile

    from konzeptk.accounts.models import User
    from konzeptk.participation.models import Comment, Idea, Support
    from konzeptk.servicedesk.models import Report, ReportPhoto

    person = User.objects.create_user(email=f"viel-{time.monotonic_ns()}@beispiel.invalid", password="x")
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    jpeg = _jpeg()
    for i in range(200):
        Idea.objects.create(
            process=process,
            author=person,
            title=f"Idee {i}",
            text="Text " * 50,
            address="Musterweg 1",
            lat=51.33,
            lon=6.56,
            image=ContentFile(jpeg, name="bild.jpg"),
        )
    Comment.objects.bulk_create(
        [Comment(idea=others[i % len(others)], author=person, text="Kommentar " * 20) for i in range(500)]
    )
    Support.objects.bulk_create([Support(idea=idea, user=person) for idea in others[:300]])
    for i in range(50):
        report = Report.objects.create(
            category=category, description=f"Meldung {i}", lat=51.33, lon=6.56, email=person.email
        )
        ReportPhoto.objects.create(report=report, image=ContentFile(jpeg, name="x.jpg"))
    return person


def _run() -> None:
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from konzeptk.accounts.models import Organisation, User
    from konzeptk.accounts.services import user_erase
    from konzeptk.participation.models import Idea, Process
    from konzeptk.servicedesk.models import Category

    start = time.perf_counter()
    organisation = Organisation.objects.create(slug="stadt", name="Stadt")
    process = Process.objects.create(
        slug="bench", title="Bench", organiser=organisation, status=Process.Status.PUBLISHED
    )
    author = User.objects.create_user(email="autorin@beispiel.invalid", password="x")
    with transaction.atomic():
        Idea.objects.bulk_create(
            [
                Idea(
                    process=process,
                    author=author,
                    title=f"Idee {i}",
                    text="Text",
                    image=f"participation/ideas/2026/{i:08d}.jpg",
                    is_hidden=(i % 100 == 0),
                )
                for i in range(N_IDEAS)
            ],
            batch_size=5000,
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    others = list(Idea.objects.filter(author=author).order_by("pk")[:500])
    category = Category.objects.create(service_code="bench", name="Bench")
    person = _busy_person(process, others, category)
    print(f"{connection.vendor}: {N_IDEAS} Ideen angelegt in {time.perf_counter() - start:.1f} s", flush=True)

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    public_name = f"participation/ideas/2026/{N_IDEAS - 1:08d}.jpg"
    hidden_name = f"participation/ideas/2026/{(N_IDEAS - 1) // 100 * 100:08d}.jpg"
    for name in (public_name, hidden_name):
        default_storage.save(name, ContentFile(_jpeg()))
    logging.getLogger("django.request").setLevel(logging.ERROR)  # the expected 404s
    client = Client()
    for label, name, expected in (("öffentlich", public_name, 200), ("ausgeblendet", hidden_name, 404)):
        assert client.get(f"/media/{name}", secure=True).status_code == expected
        median, worst = _measure(partial(_get, client, f"/media/{name}"))
        print(f"  /media/ Bild einer Idee ({label}, {N_IDEAS} Ideen): {median:.1f} ms (max {worst:.1f})")

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
        f"  /konto/daten/ (200 Ideen mit Bild, 500 Kommentare, 300 Unterstützungen, 50 Meldungen mit Foto): "
        f"{median:.0f} ms (max {worst:.0f}), {len(statements)} Abfragen, ZIP {size // 1024} kB"
    )
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        user_erase(user=person)
    print(
        f"  Löschung derselben Person: {(time.perf_counter() - start) * 1000:.0f} ms, "
        f"{len(queries.captured_queries)} Abfragen"
    )
