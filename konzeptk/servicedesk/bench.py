"""``python -m konzeptk.bench servicedesk``: 100,000 reports in a throwaway database, server times.

The benchmark runs twice, on SQLite and on PostgreSQL: the configured database in this process,
the other one in a child process (PostgreSQL from ``KONZEPTK_BENCH_POSTGRES_URL``, default
``postgres://postgres@127.0.0.1:5432/konzeptk_bench_servicedesk``; skipped with a note when no
server answers). Each run creates a separate test database (a temporary SQLite file, or
``test_<name>`` on PostgreSQL), loads the Krefeld profile and the demo categories, seeds 100,000
simulated reports over a year and measures, through the full Django request cycle, the Open311
``requests.json`` with each filter, the public map data of one district, the staff queue and the
duplicate check near a point. The demo database is never touched. Targets: 50 ms per request,
20 ms for the check.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from konzeptk.accounts.bench import PersonalData, jpeg_bytes

if TYPE_CHECKING:
    from konzeptk.accounts.models import User

N_REPORTS = int(os.environ.get("KONZEPTK_BENCH_REPORTS", "100000"))
REPEAT = 7


def _measure(run: Callable[[], object]) -> tuple[float, float, float]:
    """(median wall ms, max wall ms, median CPU ms of this process).

    The target applies to the wall time. The CPU time of the Django process shows how much of it
    is our own work when other programs load the machine (on SQLite that is all of the server's
    work; PostgreSQL's own share runs in its server process and is not in it).
    """
    run()  # warm-up
    times, cpu = [], []
    for _ in range(REPEAT):
        start, start_cpu = time.perf_counter(), time.process_time()
        run()
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(times), max(times), statistics.median(cpu)


def main() -> None:
    """Measure on the configured database, then on the other backend (SQLite / PostgreSQL)."""
    from konzeptk.bench import on_both_databases

    on_both_databases("servicedesk", _main_here)


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
        # the full request cycle without a collectstatic run: plain static file URLs
        storages = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        with override_settings(STORAGES=storages):
            _run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(tmp, ignore_errors=True)


def _seed() -> tuple[int, float]:
    from django.db import transaction
    from django.utils import timezone

    from konzeptk.accounts.demo import load_demo as load_accounts
    from konzeptk.city.selectors import active_profile, current_layer, forget_active_profile
    from konzeptk.city.services import city_profile_load
    from konzeptk.servicedesk.demo import load_categories, simulated_reports
    from konzeptk.servicedesk.models import Report, ReportUpdate

    start = time.perf_counter()
    city_profile_load(source="krefeld")
    forget_active_profile()
    load_accounts(out=io.StringIO())
    categories = load_categories()
    profile = active_profile()
    assert profile is not None
    layer = current_layer(profile)
    assert layer is not None
    districts = list(layer.districts.all())
    batch: list[Report] = []
    updates: list[tuple[Report, list[ReportUpdate]]] = []
    now = timezone.now()
    with transaction.atomic():
        for report, timeline in simulated_reports(
            count=N_REPORTS, categories=categories, districts=districts, now=now, seed=2025
        ):
            batch.append(report)
            updates.append((report, timeline))
            if len(batch) == 5000:
                _flush(batch, updates)
        _flush(batch, updates)
    from django.db import connection

    with connection.cursor() as cursor:
        # The steady state of a running database: planner statistics, and on PostgreSQL the
        # visibility map that index-only scans need (autovacuum sets both after bulk inserts).
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return Report.objects.count(), time.perf_counter() - start


def _flush(batch: list, updates: list) -> None:
    from konzeptk.servicedesk.models import Report, ReportUpdate

    Report.objects.bulk_create(batch)
    if batch and batch[0].pk is None:  # backends without RETURNING: look the ids up
        ids = dict(Report.objects.filter(token__in=[r.token for r in batch]).values_list("token", "pk"))
        for report in batch:
            report.pk = ids[report.token]
    rows = []
    for report, timeline in updates:
        for update in timeline:
            update.report_id = report.pk
            update.organisation_id = report.organisation_id
            rows.append(update)
    ReportUpdate.objects.bulk_create(rows)
    batch.clear()
    updates.clear()


def _run() -> None:
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from konzeptk.accounts.models import User
    from konzeptk.servicedesk.models import Category, Report
    from konzeptk.servicedesk.selectors import nearby_open_reports

    count, seconds = _seed()
    version = getattr(connection, "pg_version", "") if connection.vendor == "postgresql" else ""
    print(
        f"database: {connection.vendor} {version or ''} ({connection.settings_dict['NAME']}); "
        f"seeded {count:,} reports in {seconds:.1f} s; load {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    client = Client()
    staff = User.objects.filter(platform_role="staff").first() or User.objects.create_user(
        email="bench@konzeptk.invalid", platform_role="staff"
    )
    staff_client = Client()
    staff_client.force_login(staff)
    some_ids = ",".join(Report.objects.public().values_list("service_request_id", flat=True)[:5])
    now = timezone.now()
    window = {
        "start_date": (now - dt.timedelta(days=60)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "end_date": (now - dt.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    district = Report.objects.exclude(district=None).values_list("district", flat=True).first()
    checks: list[tuple[str, Callable[[], object]]] = []

    def get(c: Client, url: str, params: dict[str, str] | None = None) -> Callable[[], object]:
        def run() -> object:
            response = c.get(url, params or {}, secure=True)
            assert response.status_code == 200, (url, response.status_code)
            return response

        return run

    checks += [
        ("requests.json (default: 90 days, max 1000)", get(client, "/georeport/v2/requests.json")),
        (
            "requests.json?service_code=schlagloch",
            get(client, "/georeport/v2/requests.json", {"service_code": "schlagloch"}),
        ),
        ("requests.json?status=open", get(client, "/georeport/v2/requests.json", {"status": "open"})),
        ("requests.json?status=closed", get(client, "/georeport/v2/requests.json", {"status": "closed"})),
        ("requests.json?start_date&end_date (30 days)", get(client, "/georeport/v2/requests.json", window)),
        (
            "requests.json?service_request_id=5 ids",
            get(client, "/georeport/v2/requests.json", {"service_request_id": some_ids}),
        ),
        ("requests.xml (default)", get(client, "/georeport/v2/requests.xml")),
        (
            "map data of one district (karte.json)",
            get(client, "/maengel/karte.json", {"district": str(district)}),
        ),
        ("public list page, one district", get(client, "/maengel/", {"district": str(district)})),
        ("public list page, all reports", get(client, "/maengel/")),
        (
            "staff queue Kommunalbetrieb",
            get(staff_client, "/maengel/verwaltung/", {"org": "kommunalbetrieb"}),
        ),
        (
            "staff queue SWK, unchecked only",
            get(staff_client, "/maengel/verwaltung/", {"org": "swk", "unpublished": "on"}),
        ),
    ]
    print(f"{'request':52} {'median ms':>10} {'max ms':>8} {'CPU ms':>8}  target")
    for label, run in checks:
        try:
            median, worst, cpu = _measure(run)
        except Exception as exc:  # one broken page must not hide the other figures
            print(f"{label:52} failed: {exc.__class__.__name__}: {exc}", flush=True)
            continue
        print(
            f"{label:52} {median:10.1f} {worst:8.1f} {cpu:8.1f}  {'ok' if median <= 50 else 'SLOW'} (<= 50)",
            flush=True,
        )
    category = Category.objects.get(service_code="wilder-muell")
    dense = Report.objects.public().open().filter(category=category).first()
    assert dense is not None
    median, worst, cpu = _measure(
        lambda: nearby_open_reports(category=category, lat=dense.lat, lon=dense.lon)
    )
    found = len(nearby_open_reports(category=category, lat=dense.lat, lon=dense.lon))
    label = f"duplicate check within 50 m ({found} found)"
    print(f"{label:52} {median:10.1f} {worst:8.1f} {cpu:8.1f}  {'ok' if median <= 20 else 'SLOW'} (<= 20)")
    print(f"load average after the run: {os.getloadavg()[0]:.2f}", flush=True)


# --- seeds for the DSGVO benchmark of accounts (``konzeptk/accounts/bench.py``) ----------------


def seed_personal_data(*, person: User, scale: int) -> PersonalData:
    """50 Mängelmelder reports of ``person`` (by e-mail address), each with a photo."""
    from django.core.files.base import ContentFile

    from konzeptk.servicedesk.models import Category, Report, ReportPhoto

    category = Category.objects.create(service_code="bench-dsgvo", name="Bench")
    jpeg = jpeg_bytes()
    for i in range(50):
        report = Report.objects.create(
            category=category, description=f"Meldung {i}", lat=51.33, lon=6.56, email=person.email
        )
        ReportPhoto.objects.create(report=report, image=ContentFile(jpeg, name="x.jpg"))
    return PersonalData(description="50 Meldungen mit Foto")


def seed_front_door(*, ideas: int) -> list[tuple[str, str]]:
    """As many simulated public reports as the benchmark has ideas (the home page counts the open ones)."""
    from django.db import transaction
    from django.utils import timezone

    from konzeptk.city.selectors import active_profile, current_layer
    from konzeptk.servicedesk.demo import load_categories, simulated_reports

    profile = active_profile()
    layer = current_layer(profile) if profile else None
    if layer is None:
        return []
    batch: list = []
    updates: list = []
    with transaction.atomic():
        for report, timeline in simulated_reports(
            count=ideas,
            categories=load_categories(),
            districts=list(layer.districts.all()),
            now=timezone.now(),
            seed=13,
        ):
            batch.append(report)
            updates.append((report, timeline))
            if len(batch) == 5000:
                _flush(batch, updates)
        _flush(batch, updates)
    return []
