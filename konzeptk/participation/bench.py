"""Benchmark of participation: ``python -m konzeptk.bench participation``.

Runs on the configured database and then on the other backend in a child process (SQLite ↔
PostgreSQL at ``KONZEPTK_BENCH_POSTGRES_URL``, default
``postgres://postgres@127.0.0.1:5432/konzeptk_bench_participation``; skipped with a note when no server
answers). Each run creates a throwaway test database (Django's test database machinery: a temporary
SQLite file, or ``test_<name>`` on PostgreSQL; the demo database is never touched), loads the Krefeld profile, seeds
10,000 ideas, 100,000 supports and 50,000 comments (500 of them on one idea) and reports the server
time (median through Django's test client, templates included) of the idea list (first and 50th page,
filtered and unfiltered), the district map of the process, an idea page with 500 comments and the API
list. Finally 200 people support one idea at the same moment from 200 threads; the count must be exact.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import tempfile
import threading
import time
from typing import TYPE_CHECKING, Any

from konzeptk.accounts.bench import PersonalData, jpeg_bytes

if TYPE_CHECKING:
    from konzeptk.accounts.models import User

RUNS = 11
IDEAS = 10_000
SUPPORTS = 100_000
COMMENTS = 50_000
USERS = 1_000
CONCURRENT = 200


def _seed() -> dict[str, Any]:
    from allauth.account.models import EmailAddress
    from django.utils import timezone

    from konzeptk.accounts.models import Organisation, User
    from konzeptk.city.selectors import active_profile, current_layer
    from konzeptk.city.services import city_profile_load
    from konzeptk.participation.models import Comment, Idea, Phase, Process, Support, Topic

    city_profile_load(source="krefeld")
    profile = active_profile()
    assert profile is not None
    layer = current_layer(profile)
    assert layer is not None
    districts = list(layer.districts.all())
    rng = random.Random(4)
    now = timezone.now()
    org = Organisation.objects.create(slug="bench-org", name="Bench-Organisation")
    process = Process.objects.create(slug="bench", title="Bench-Prozess", organiser=org, status="published")
    Phase.objects.create(
        process=process,
        type="idea_collection",
        start=now - dt.timedelta(days=1),
        end=now + dt.timedelta(days=30),
    )
    User.objects.bulk_create(
        [
            User(email=f"bench{i}@beispiel.invalid", display_name=f"Bench {i}", password="!")
            for i in range(USERS)
        ],
        batch_size=1000,
    )
    user_ids = list(User.objects.order_by("pk").values_list("pk", flat=True))
    topics = Topic.values
    ideas = []
    for i in range(IDEAS):
        d = rng.choice(districts)
        ideas.append(
            Idea(
                process=process,
                author_id=user_ids[i % USERS],
                title=f"Idee {i}",
                text="Ein Vorschlag für die Stadt. " * 8,
                topic=topics[i % len(topics)],
                district=d,
                lat=d.anchor_lat,
                lon=d.anchor_lon,
                created_at=now - dt.timedelta(minutes=i),
            )
        )
    Idea.objects.bulk_create(ideas, batch_size=2000)
    idea_ids = list(Idea.objects.filter(process=process).order_by("pk").values_list("pk", flat=True))
    # 100 supports per person on distinct ideas -> 100,000 unique (idea, user) pairs
    per_user = SUPPORTS // USERS
    supports = []
    counts: dict[int, int] = {}
    for uid in user_ids:
        for idea_id in rng.sample(idea_ids, per_user):
            supports.append(Support(idea_id=idea_id, user_id=uid))
            counts[idea_id] = counts.get(idea_id, 0) + 1
    Support.objects.bulk_create(supports, batch_size=5000)
    busy = idea_ids[0]
    comments = [
        Comment(idea_id=busy, author_id=user_ids[i % USERS], text=f"Kommentar {i}") for i in range(500)
    ]
    comments += [
        Comment(idea_id=rng.choice(idea_ids), author_id=rng.choice(user_ids), text="Ein Kommentar zur Idee.")
        for _ in range(COMMENTS - 500)
    ]
    Comment.objects.bulk_create(comments, batch_size=5000)
    comment_counts: dict[int, int] = {}
    for c in comments:
        comment_counts[c.idea_id] = comment_counts.get(c.idea_id, 0) + 1
    to_update = []
    for obj in Idea.objects.filter(process=process).only("id"):
        obj.support_count = counts.get(obj.pk, 0)
        obj.comment_count = comment_counts.get(obj.pk, 0)
        to_update.append(obj)
    Idea.objects.bulk_update(to_update, ["support_count", "comment_count"], batch_size=2000)
    # people for the concurrency test: confirmed e-mail addresses
    User.objects.bulk_create(
        [User(email=f"crowd{i}@beispiel.invalid", password="!") for i in range(CONCURRENT)]
    )
    crowd = list(User.objects.filter(email__startswith="crowd"))
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in crowd]
    )
    from django.db import connection

    with connection.cursor() as cursor:  # statistics, as autovacuum/ANALYZE keep them in production
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return {"process": process, "busy": busy, "district": districts[0].pk, "crowd": [u.pk for u in crowd]}


def _median_ms(client: Any, url: str) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} antwortete mit {response.status_code}")
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(times), len(queries.captured_queries)


def _profile(client: Any, url: str) -> None:
    """``KONZEPTK_BENCH_PROFILE=1``: where the time of one request goes, and its slowest queries."""
    import cProfile
    import pstats

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    profiler = cProfile.Profile()
    with CaptureQueriesContext(connection) as queries:
        profiler.enable()
        client.get(url)
        profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(18)
    for q in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:4]:
        print(f"    {float(q['time']) * 1000:.1f} ms  {q['sql'][:300]}")


def _parallel_connections(wanted: int) -> int:
    """SQLite: one thread per person. PostgreSQL: as many connections as the server can spare (the
    machine is shared; ``max_connections`` is usually 100), at most ``wanted`` and at least 10 free."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return wanted
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('max_connections')::int - count(*) FROM pg_stat_activity")
        free = int(cursor.fetchone()[0])
    return max(1, min(wanted, 50, free - 10))


def _concurrent_supports(idea_id: int, user_ids: list[int]) -> tuple[int, int, int, float, int]:
    """Every person supports the idea twice (a double click) at the same moment: ``parallel`` threads,
    each with its own connection, start together at a barrier and share the people among them."""
    from django.db import connections

    from konzeptk.accounts.models import User
    from konzeptk.participation.models import Idea, Support
    from konzeptk.participation.services import support_add

    parallel = _parallel_connections(len(user_ids))
    barrier = threading.Barrier(parallel)
    errors: list[BaseException] = []
    shares = [user_ids[i::parallel] for i in range(parallel)]

    def worker(uids: list[int]) -> None:
        try:
            people = list(User.objects.filter(pk__in=uids))
            idea = Idea.objects.select_related("process").get(pk=idea_id)
            barrier.wait(timeout=120)
            for user in people:
                support_add(idea=idea, user=user)
                support_add(idea=idea, user=user)  # a double click: must not count twice
        except BaseException as exc:
            errors.append(exc)
            barrier.abort()  # never leave the others waiting
        finally:
            connections.close_all()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(share,)) for share in shares]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    if errors:
        print(f"  Fehler in {len(errors)} Threads, erster: {errors[0]!r}")
    idea = Idea.objects.get(pk=idea_id)
    return Support.objects.filter(idea_id=idea_id).count(), idea.support_count, len(errors), elapsed, parallel


def main() -> None:
    """Measure on the configured database, then on the other backend (SQLite / PostgreSQL)."""
    from konzeptk.bench import on_both_databases

    on_both_databases("participation", _main_here)


def _main_here() -> None:
    from django.conf import settings
    from django.db import connection
    from django.test import Client, override_settings

    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    overrides = override_settings(
        STORAGES=storages, ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"], SECURE_SSL_REDIRECT=False
    )
    overrides.enable()
    old_name = connection.settings_dict["NAME"]
    tmpdir = tempfile.mkdtemp(prefix="konzeptk-bench-")
    if connection.vendor == "sqlite":
        # a file, not memory: 200 threads need a real shared database with WAL and locking
        connection.settings_dict.setdefault("TEST", {})["NAME"] = os.path.join(tmpdir, "bench.sqlite3")
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        started = time.perf_counter()
        ids = _seed()
        print(
            f"Daten angelegt in {time.perf_counter() - started:.1f} s: {IDEAS} Ideen, {SUPPORTS} Unterstützungen, "
            f"{COMMENTS} Kommentare ({connection.vendor} {getattr(connection, 'pg_version', '') or ''}); "
            f"Last {os.getloadavg()[0]:.2f} auf {os.cpu_count()} Kernen",
            flush=True,
        )
        client = Client()
        base = "/beteiligung/bench/ideen/"
        pages = [
            ("Ideenliste Seite 1", base),
            ("Ideenliste Seite 50", base + "?page=50"),
            ("gefiltert Seite 1", base + f"?topic=mobilitaet&district={ids['district']}&sort=supported"),
            ("gefiltert Seite 50", base + "?topic=mobilitaet&sort=discussed&page=50"),
            ("zufällig Seite 50", base + "?sort=random&page=50"),
            ("Karte der Bezirke", base + "?view=map"),
            ("Idee mit 500 Kommentaren", base + f"{ids['busy']}/"),
            ("Ergebnisse (alle Ideen)", "/beteiligung/bench/ergebnisse/"),
            ("API Ideen (50)", "/api/v1/participation/processes/bench/ideas?limit=50"),
            ("API Ideen Seite 50", "/api/v1/participation/processes/bench/ideas?limit=20&offset=980"),
        ]
        print(f"{'Seite':<28} {'Median ms':>10} {'Abfragen':>9}  Ziel < 50 ms")
        only = os.environ.get("KONZEPTK_BENCH_ONLY", "")
        for label, url in pages:
            if only and only.lower() not in label.lower():
                continue
            ms, queries = _median_ms(client, url)
            flag = "ok" if ms < 50 else "ÜBER ZIEL"
            print(f"{label:<28} {ms:>10.1f} {queries:>9}  {flag}", flush=True)
            if os.environ.get("KONZEPTK_BENCH_PROFILE"):
                _profile(client, url)
        if only:
            return
        from konzeptk.participation.models import Support

        before = Support.objects.filter(idea_id=ids["busy"]).count()
        rows, counter, failed, seconds, parallel = _concurrent_supports(ids["busy"], ids["crowd"])
        added = rows - before
        verdict = "exakt" if added == CONCURRENT and counter == rows and not failed else "FALSCH"
        print(
            f"{CONCURRENT} gleichzeitige Unterstützungen (je doppelt geklickt, {parallel} parallele "
            f"Verbindungen) in {seconds:.1f} s: {added} neue Zeilen, Zähler {counter} = Zeilen {rows}: {verdict}"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        overrides.disable()


# --- seeds for the DSGVO benchmark of accounts (``konzeptk/accounts/bench.py``) ----------------


def seed_personal_data(*, person: User, scale: int) -> PersonalData:
    """``scale`` ideas of someone else with images (every 100th hidden) and, of ``person``, 200 ideas
    with photos, 500 comments and 300 supports; /media/ is measured for a public and a hidden image."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.db import transaction

    from konzeptk.accounts.models import Organisation, User
    from konzeptk.participation.models import Comment, Idea, Process, Support

    organisation = Organisation.objects.create(slug="bench-stadt", name="Stadt")
    process = Process.objects.create(
        slug="bench-dsgvo", title="Bench", organiser=organisation, status=Process.Status.PUBLISHED
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
                for i in range(scale)
            ],
            batch_size=5000,
        )
    others = list(Idea.objects.filter(author=author).order_by("pk")[:500])
    jpeg = jpeg_bytes()
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
    public_name = f"participation/ideas/2026/{scale - 1:08d}.jpg"
    hidden_name = f"participation/ideas/2026/{(scale - 1) // 100 * 100:08d}.jpg"
    for name in (public_name, hidden_name):
        default_storage.save(name, ContentFile(jpeg))
    return PersonalData(
        description=f"{scale} Ideen, davon von der Person 200 mit Bild, 500 Kommentare, 300 Unterstützungen",
        media=(
            (f"Bild einer öffentlichen Idee ({scale} Ideen)", public_name, 200),
            (f"Bild einer ausgeblendeten Idee ({scale} Ideen)", hidden_name, 404),
        ),
    )


# --- seed for the front door benchmark of core (``konzeptk/core/bench.py``) ----------------------


def seed_front_door(*, ideas: int) -> list[tuple[str, str]]:
    """A process with a running idea collection and ``ideas`` placed ideas, every tenth answered, and five
    more running processes; returns the pages to measure (the idea list with its pin map)."""
    from django.utils import timezone

    from konzeptk.accounts.models import Organisation, User
    from konzeptk.city.selectors import active_profile, current_layer
    from konzeptk.participation.models import Idea, Phase, Process, Topic

    profile = active_profile()
    layer = current_layer(profile) if profile else None
    districts = [d for d in layer.districts.all() if d.anchor_lat is not None] if layer else []
    rng = random.Random(13)
    now = timezone.now()
    org = Organisation.objects.create(slug="front-door-org", name="Organisation der Startseite")
    author = User.objects.create(email="front-door@beispiel.invalid", display_name="Bench", password="!")
    processes = []
    for n in range(6):
        process = Process.objects.create(
            slug=f"front-door-{n}",
            title=f"Verfahren {n}",
            organiser=org,
            status="published",
            teaser="Worum es geht",
        )
        Phase.objects.create(
            process=process,
            type="idea_collection",
            start=now - dt.timedelta(days=1),
            end=now + dt.timedelta(days=10 + n),
        )
        processes.append(process)
    rows = []
    for i in range(ideas):
        d = rng.choice(districts) if districts else None
        answered = i % 10 == 0
        rows.append(
            Idea(
                process=processes[0],
                author=author,
                title=f"Idee {i}",
                text="Ein Vorschlag für die Stadt. " * 8,
                topic=Topic.values[i % len(Topic.values)],
                district=d,
                lat=(d.anchor_lat + rng.uniform(-0.004, 0.004)) if d and d.anchor_lat is not None else None,
                lon=(d.anchor_lon + rng.uniform(-0.006, 0.006)) if d and d.anchor_lon is not None else None,
                created_at=now - dt.timedelta(minutes=i),
                status="accepted" if answered else "submitted",
                answer="Wird geprüft und umgesetzt." if answered else "",
                answered_at=now - dt.timedelta(minutes=i) if answered else None,
            )
        )
    Idea.objects.bulk_create(rows, batch_size=2000)
    base = f"/beteiligung/{processes[0].slug}/ideen/"
    return [("Ideenliste Seite 1 (mit Karte)", base), ("Ideenliste Karte", base + "?view=map")]
