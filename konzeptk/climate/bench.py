"""``python -m konzeptk.bench climate``: the dashboard ``/klima/`` over 10,000 photovoltaic units and 1,000
charging stations, through the full request cycle (median of 7 runs). Target: ≤ 50 ms.

Runs on SQLite and on PostgreSQL (see ``konzeptk/bench.py``) in a throwaway database with the Krefeld profile
and the climate demo (path, budget, balances, modal split); the units and stations are stored with
``bulk_create`` (the importers' per-row path is not what is measured here).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable

N_UNITS = int(os.environ.get("KONZEPTK_BENCH_PV_UNITS", "10000"))
N_STATIONS = 1000
REPEAT = 7


def _median(run: Callable[[], object]) -> float:
    run()
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    from konzeptk.bench import on_both_databases

    on_both_databases("climate", _main_here)


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
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        with override_settings(STORAGES=storages, ALLOWED_HOSTS=["*"], RATELIMIT_ENABLE=False):
            _run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(tmp, ignore_errors=True)


def _seed() -> float:
    from io import StringIO

    from django.db import transaction

    from konzeptk.city.models import District
    from konzeptk.city.selectors import active_profile, current_layer
    from konzeptk.climate.demo import load_demo
    from konzeptk.climate.models import ChargingStation, SolarUnit

    load_demo(out=StringIO())
    SolarUnit.objects.all().delete()
    ChargingStation.objects.all().delete()
    started = time.perf_counter()
    rng = random.Random(35)
    profile = active_profile()
    assert profile is not None
    layer = current_layer(profile)
    districts = list(District.objects.filter(layer=layer)) if layer else []
    with transaction.atomic():
        SolarUnit.objects.bulk_create(
            (
                SolarUnit(
                    mastr_number=f"SEE{i:012d}",
                    capacity_kw=round(rng.uniform(0.8, 30 if i % 10 else 500), 3),
                    commissioned_on=dt.date(2005 + i % 21, 1 + i % 12, 1),
                    decommissioned_on=dt.date(2020, 6, 1) if i % 97 == 0 else None,
                    status_code="38" if i % 97 == 0 else "35",
                    postcode="47798",
                    district=districts[i % len(districts)] if districts and i % 5 == 0 else None,
                    simulated=True,
                )
                for i in range(N_UNITS)
            ),
            batch_size=2000,
        )
        ChargingStation.objects.bulk_create(
            (
                ChargingStation(
                    key=f"bench-{i}",
                    operator=f"Betreiber {i % 7}",
                    commissioned_on=dt.date(2014 + i % 12, 3, 1),
                    points=2,
                    fast=i % 5 == 0,
                    district=districts[i % len(districts)] if districts else None,
                    simulated=True,
                )
                for i in range(N_STATIONS)
            ),
            batch_size=2000,
        )
    return time.perf_counter() - started


def _run() -> None:
    from django.db import connection
    from django.test import Client

    from konzeptk.city.selectors import forget_active_profile
    from konzeptk.city.services import city_profile_load

    city_profile_load(source="krefeld")
    forget_active_profile()
    seeded = _seed()
    client = Client()

    def dashboard() -> None:
        response = client.get("/klima/", secure=True)
        assert response.status_code == 200, response.status_code

    median = _median(dashboard)
    print(
        f"climate ({connection.vendor}): {N_UNITS} PV-Einheiten, {N_STATIONS} Ladeeinrichtungen "
        f"(angelegt in {seeded:.1f} s)",
        flush=True,
    )
    print(f"  /klima/ Median {median:.1f} ms (Ziel ≤ 50 ms)", flush=True)
