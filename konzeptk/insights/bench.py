"""Benchmark of the insights engine (``python -m konzeptk.bench insights``).

Everything runs on simulated data; the demo's database is never touched. Each engine case runs in
its own Python process so that the peak memory (``ru_maxrss``) belongs to that case alone:

* opinion groups for 30,000 participants × 1,000 statements × 1.8 M votes (target ≤ 3 s on 2 cores),
  plus reading the same votes from a Polis CSV file, and the whole ``konzeptk opinion_groups``
  process on that file (start, reading, engine, output), timed from outside;
* opinion groups for 100,000 × 2,000 × 5 M (target ≤ 20 s, ≤ 4 GB);
* raking of 100,000 participants on three margins (target ≤ 1 s).

Reported per case: wall time, CPU time of the process (a shared machine makes wall time noisy),
peak resident memory, and the adjusted Rand index against the planted groups. If the PyPI package
``red-dwarf`` (a Python reimplementation of the Polis pipeline) is importable, it runs on the same
votes file (only its pipeline is timed, not its start or reading) and two ratios are printed:
against the engine alone, and against the whole ``konzeptk opinion_groups`` process (target ≥ 10×).
It is a development dependency (``pip install -e .[dev]``, pinned in requirements.lock); without it, ``KONZEPTK_RED_DWARF_PYTHON`` may name another interpreter that has
it. It runs in a separate process, so its peak memory is its own. By default only for the first size
(red-dwarf builds a dense pandas matrix; set ``KONZEPTK_BENCH_RED_DWARF_ALL=1`` for both).

Then two cases in throwaway databases, on SQLite and on PostgreSQL (``on_both_databases``): the
disclosure control's cost per representation request (``disclosure``) and the reach of the education
offers, ``/auswertung/bildung/`` (``education``, ``bench_education.run()``).

``KONZEPTK_BENCH_INSIGHTS=education`` (comma-separated case names) runs only the named cases, on both
databases; ``python -m konzeptk.insights.bench education`` names them on the command line (the other
database then runs the database cases of ``KONZEPTK_BENCH_INSIGHTS``, by default both).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from importlib.util import find_spec
from typing import Any

import numpy as np

CASES: dict[str, dict[str, int]] = {
    "opinion-30k": {"n_participants": 30_000, "n_statements": 1_000, "n_votes": 1_800_000},
    "opinion-100k": {"n_participants": 100_000, "n_statements": 2_000, "n_votes": 5_000_000},
}
TARGETS = {"opinion-30k": 3.0, "opinion-100k": 20.0, "raking-100k": 1.0}
#: the cases that run in a throwaway database on both backends, in this order
DATABASE_CASES = ("disclosure", "education")
ALL_CASES = ("opinion-30k", "opinion-100k", "raking-100k", *DATABASE_CASES)


def chosen_cases(argv: list[str] | None = None) -> list[str]:
    """The cases to run: ``argv`` if given, else ``KONZEPTK_BENCH_INSIGHTS`` (comma-separated), else all."""
    if argv:
        return list(argv)
    named = [c.strip() for c in os.environ.get("KONZEPTK_BENCH_INSIGHTS", "").split(",") if c.strip()]
    return named or list(ALL_CASES)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _timed(fn: Any) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def _red_dwarf_here(csv_path: str, planted_path: str) -> dict[str, Any]:
    """Run red-dwarf's Polis pipeline on a votes CSV (in this interpreter); only the pipeline is
    timed, not reading the file."""
    from reddwarf.implementations.polis import run_pipeline
    from sklearn.metrics import adjusted_rand_score

    planted = np.load(planted_path)
    with open(csv_path, encoding="utf-8", newline="") as handle:
        votes = [
            {
                "participant_id": int(row["voter-id"]),
                "statement_id": int(row["comment-id"]),
                "vote": int(row["vote"]),
                "modified": i,
            }
            for i, row in enumerate(csv.DictReader(handle))
        ]
    before = _peak_mb()
    result, wall, cpu = _timed(lambda: run_pipeline(votes=votes, random_state=0))
    labels = np.full(planted.size, -1)
    clusters = result.participants_df["cluster_id"].dropna()
    labels[clusters.index.to_numpy(dtype=np.int64)] = clusters.to_numpy(dtype=np.int64)
    return {
        "red_dwarf_seconds": round(wall, 2),
        "red_dwarf_cpu": round(cpu, 2),
        "red_dwarf_peak_mb": round(_peak_mb(), 1),
        "red_dwarf_peak_mb_before": round(before, 1),
        "red_dwarf_ari": round(float(adjusted_rand_score(planted, labels)), 4),
    }


def _cli_process(csv_path: str, planted: np.ndarray) -> dict[str, Any]:
    """The whole ``konzeptk opinion_groups`` process on the file: start, reading the CSV, the engine,
    the JSON and the labels file, timed from outside."""
    from sklearn.metrics import adjusted_rand_score

    labels_path = csv_path + ".labels.csv"
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(  # noqa: S603 – our own interpreter and command
        [sys.executable, "-m", "konzeptk", "opinion_groups", csv_path, "--labels-out", labels_path],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
    if proc.returncode != 0:
        return {"cli": "fehlgeschlagen: " + proc.stderr.strip()[-300:]}
    with open(labels_path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    found = np.array([int(group) if group else -1 for _voter, group in rows], dtype=np.int64)
    return {
        "cli_seconds": round(wall, 2),
        "cli_cpu": round(cpu, 2),
        "cli_ari": round(float(adjusted_rand_score(planted, found)), 4),
    }


def _red_dwarf(csv_path: str, planted: np.ndarray) -> dict[str, Any]:
    """Run red-dwarf on the same votes file: in this interpreter if it is installed here, else in the
    interpreter named by ``KONZEPTK_RED_DWARF_PYTHON`` (e.g. a separate venv with ``pip install
    red-dwarf``, so the project's lock file stays free of pandas)."""
    python = sys.executable if find_spec("reddwarf") else os.environ.get("KONZEPTK_RED_DWARF_PYTHON")
    if not python:
        return {"red_dwarf": "nicht installiert (KONZEPTK_RED_DWARF_PYTHON nicht gesetzt)"}
    planted_path = csv_path + ".planted.npy"
    np.save(planted_path, planted)
    proc = subprocess.run(  # noqa: S603 – our own script, interpreter chosen by the operator
        # -P: the script's own folder must not shadow the standard library (selectors.py)
        [python, "-P", os.path.abspath(__file__), "--red-dwarf", csv_path, planted_path],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    if proc.returncode != 0:
        return {"red_dwarf": "fehlgeschlagen: " + proc.stderr.strip()[-300:]}
    figures: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return figures


def run_case(name: str) -> dict[str, Any]:
    """Run one case in this process and return its figures."""
    from sklearn.metrics import adjusted_rand_score

    from konzeptk.insights.engine.opinion import opinion_groups
    from konzeptk.insights.engine.polis import read_votes, write_votes
    from konzeptk.insights.engine.raking import Margin, rake
    from konzeptk.insights.engine.synthetic import planted_votes

    if name == "raking-100k":
        rng = np.random.default_rng(0)
        n = 100_000
        district = rng.choice(14, size=n, p=np.r_[0.12, np.full(13, 0.88 / 13)])
        age = rng.choice(6, size=n, p=[0.04, 0.16, 0.3, 0.3, 0.14, 0.06])
        gender = rng.choice(3, size=n, p=[0.55, 0.44, 0.01])
        margins = [
            Margin("district", district, rng.integers(10_000, 30_000, size=14).astype(float)),
            Margin("age", age, np.array([30_000, 35_000, 45_000, 50_000, 40_000, 27_000], dtype=float)),
            Margin("gender", gender, np.array([114_000, 112_000, 1_000], dtype=float)),
        ]
        before = _peak_mb()
        result, wall, cpu = _timed(lambda: rake(margins))
        return {
            "case": name,
            "seconds": round(wall, 3),
            "cpu_seconds": round(cpu, 3),
            "peak_mb": round(_peak_mb(), 1),
            "peak_mb_before": round(before, 1),
            "iterations": result.iterations,
            "rounds": result.rounds,
            "converged": result.converged,
            "max_margin_error": result.max_margin_error,
            "effective_sample_size": round(result.effective_sample_size),
        }

    data = planted_votes(**CASES[name], n_groups=4, seed=1)
    figures: dict[str, Any] = {"case": name, "votes": data.matrix.n_votes}
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "votes.csv")
        if name == "opinion-30k":
            write_votes(path, data.matrix)
            figures["csv_mb"] = round(os.path.getsize(path) / 1e6, 1)
            parsed, wall, cpu = _timed(lambda: read_votes(path))
            figures["csv_read_seconds"] = round(wall, 2)
            figures["csv_read_cpu"] = round(cpu, 2)
            assert parsed.n_votes == data.matrix.n_votes
            del parsed
            figures.update(_cli_process(path, data.groups))
        before = _peak_mb()
        tracemalloc.start()
        result, wall, cpu = _timed(lambda: opinion_groups(data.matrix, seed=0))
        engine_peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        figures.update(
            seconds=round(wall, 2),
            cpu_seconds=round(cpu, 2),
            peak_mb=round(_peak_mb(), 1),
            peak_mb_before=round(before, 1),
            engine_peak_mb_traced=round(engine_peak, 1),
            k=result.k,
            ari=round(float(adjusted_rand_score(data.groups, result.labels)), 4),
            group_sizes=result.group_sizes,
        )
        if name == "opinion-30k" or os.environ.get("KONZEPTK_BENCH_RED_DWARF_ALL") == "1":
            if not os.path.exists(path):
                write_votes(path, data.matrix)
            figures.update(_red_dwarf(path, data.groups))
    if "red_dwarf_seconds" in figures:
        figures["red_dwarf_ratio"] = round(figures["red_dwarf_seconds"] / max(wall, 1e-9), 1)
        if "cli_seconds" in figures:
            figures["cli_ratio"] = round(figures["red_dwarf_seconds"] / max(figures["cli_seconds"], 1e-9), 1)
            figures["cli_cpu_ratio"] = round(figures["red_dwarf_cpu"] / max(figures["cli_cpu"], 1e-9), 1)
    return figures


# --- Disclosure control: its cost per representation request ------------------------------------
#: participants of the measured process (a large process of Krefeld; the platform has all of them)
DISCLOSURE_PEOPLE = 3000
DISCLOSURE_ROUNDS = 15


def _disclosure_data(n: int) -> str:
    """A process with ``n`` participants with consented profiles spread over districts, ages, sexes."""
    import random

    from django.contrib.auth.hashers import make_password

    from konzeptk.accounts.models import Consent, User
    from konzeptk.city.services import city_profile_load
    from konzeptk.insights import selectors
    from konzeptk.insights.models import DemographicProfile
    from konzeptk.participation.models import Idea, Phase, Process, Support

    city_profile_load(source="krefeld")
    from konzeptk.city.selectors import forget_active_profile

    forget_active_profile()
    layer = selectors.reference_layer()
    assert layer is not None
    districts = list(layer.districts.order_by("code"))
    from django.utils import timezone

    now = timezone.now()
    from konzeptk.accounts.models import Organisation
    from konzeptk.participation.phases import IDEA_COLLECTION

    organiser = Organisation.objects.create(slug="bench", name="Bench")
    process = Process.objects.create(
        slug="bench-disclosure", title="Bench", organiser=organiser, status=Process.Status.PUBLISHED
    )
    Phase.objects.create(
        process=process,
        type=IDEA_COLLECTION.key,
        start=now - dt.timedelta(days=30),
        end=now + dt.timedelta(days=30),
    )
    idea = Idea.objects.create(process=process, title="Idee", text="Text", topic="verwaltung")
    password = make_password(None)
    users = User.objects.bulk_create(
        [User(email=f"bench-{i}@beispiel.invalid", display_name=f"P{i}", password=password) for i in range(n)]
    )
    users = list(User.objects.filter(email__startswith="bench-").order_by("pk"))
    rng = random.Random(7)
    bands = ["unter 18", "18-29", "30-49", "50-64", "65+"]
    DemographicProfile.objects.bulk_create(
        [
            DemographicProfile(
                user=u, district=rng.choice(districts), age_band=rng.choice(bands), gender=rng.choice("fm")
            )
            for u in users
        ]
    )
    Consent.objects.bulk_create(
        [Consent(user=u, purpose=Consent.Purpose.DEMOGRAPHICS, text_version="bench") for u in users]
    )
    Support.objects.bulk_create([Support(idea=idea, user=u) for u in users])
    return process.slug


def _disclosure_here() -> None:
    import shutil
    import statistics

    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment, teardown_test_environment

    from konzeptk.insights.engine import disclosure

    setup_test_environment()
    tmp = tempfile.mkdtemp(prefix="konzeptk-bench-")
    if connection.vendor == "sqlite":
        connection.settings_dict.setdefault("TEST", {})["NAME"] = os.path.join(tmp, "bench.sqlite3")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        with override_settings(RATELIMIT_ENABLE=False, INSIGHTS_RECOMPUTE="off"):
            slug = _disclosure_data(DISCLOSURE_PEOPLE)
            client = Client()
            url = f"/api/v1/insights/processes/{slug}/representation"
            spent: list[float] = []
            real_cell = disclosure.Keyring.cell

            def timed_cell(self: disclosure.Keyring, people: Any) -> int:
                # CPU time of this thread: the machine is shared, wall time of 40 short calls is noise
                t = time.thread_time()
                value = real_cell(self, people)
                spent.append(time.thread_time() - t)
                return value

            def plain_cell(self: disclosure.Keyring, people: Any) -> int:
                return len(people)

            def measure(cell: Any, *, cold_keys: bool) -> tuple[float, float]:
                disclosure.Keyring.cell = cell  # type: ignore[method-assign]
                walls, steps = [], []
                try:
                    client.get(url, secure=True)  # warm the population and profile caches
                    for _ in range(DISCLOSURE_ROUNDS):
                        cache.clear()  # a report computed afresh (the first request after a change)
                        if cold_keys:
                            disclosure._TABLES.clear()
                        spent.clear()
                        t = time.perf_counter()
                        response = client.get(url, secure=True)
                        assert response.status_code == 200, response.content[:300]
                        walls.append(time.perf_counter() - t)
                        steps.append(sum(spent))
                finally:
                    disclosure.Keyring.cell = real_cell  # type: ignore[method-assign]
                return statistics.median(walls) * 1000, statistics.median(steps) * 1000

            plain, _ = measure(plain_cell, cold_keys=False)
            warm, warm_step = measure(timed_cell, cold_keys=False)
            cold, cold_step = measure(timed_cell, cold_keys=True)
            cache.clear()
            client.get(url, secure=True)
            hits = []
            for _ in range(DISCLOSURE_ROUNDS):
                t = time.perf_counter()
                client.get(url, secure=True)
                hits.append(time.perf_counter() - t)
            print(
                f"Offenlegungskontrolle ({connection.vendor}), Repräsentation eines Prozesses mit "
                f"{DISCLOSURE_PEOPLE} Beteiligten, Median aus {DISCLOSURE_ROUNDS} Anfragen:",
                flush=True,
            )
            print(f"  Bericht neu berechnet, ohne Schutzschritt: {plain:.1f} ms", flush=True)
            print(
                f"  Bericht neu berechnet, mit Schutzschritt:  {warm:.1f} ms "
                f"(Schutzschritt selbst {warm_step:.2f} ms CPU; Ziel ≤ 2 ms)",
                flush=True,
            )
            print(
                f"  dasselbe mit kalten Datensatzschlüsseln (HMAC je Person neu): {cold:.1f} ms "
                f"(Schutzschritt {cold_step:.2f} ms CPU)",
                flush=True,
            )
            print(
                f"  Bericht aus dem Cache (der Normalfall): {statistics.median(hits) * 1000:.1f} ms, "
                "Schutzschritt 0 ms",
                flush=True,
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(tmp, ignore_errors=True)
        teardown_test_environment()  # the next case sets up its own


def _database_cases_here(cases: list[str]) -> None:
    """The database cases among ``cases``, each in its own throwaway database of this backend."""
    from konzeptk.insights import bench_education

    if "disclosure" in cases:
        _disclosure_here()
    if "education" in cases:
        print("Reichweite der Bildungsangebote: simulierte Angebote und Buchungen (keine echten Personen).")
        bench_education.run()


def database_main(cases: list[str]) -> None:
    """The database cases among ``cases`` (disclosure control, reach of education offers), on both
    databases."""
    from konzeptk.bench import on_both_databases

    wanted = [c for c in cases if c in DATABASE_CASES]
    if wanted:
        on_both_databases("insights", lambda: _database_cases_here(wanted))


def main(argv: list[str] | None = None) -> None:
    """Run every chosen engine case in a fresh subprocess and print a summary; then the database cases
    (disclosure control, reach of education offers) on SQLite and PostgreSQL."""
    if os.environ.get("KONZEPTK_BENCH_CHILD"):  # the other database: only the database cases
        _database_cases_here([c for c in chosen_cases() if c in DATABASE_CASES])
        return
    chosen = chosen_cases(argv)
    cases = [c for c in chosen if c not in DATABASE_CASES]
    if cases:
        print("Simulierte Daten mit eingepflanzten Meinungsgruppen (keine echten Personen).", flush=True)
        print(f"CPU-Kerne: {os.cpu_count()}, Last (1 min): {os.getloadavg()[0]:.1f}", flush=True)
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    for name in cases:
        proc = subprocess.run(  # noqa: S603 – our own module with a fixed case name
            [sys.executable, "-m", "konzeptk.insights.bench", "--case", name],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        if proc.returncode != 0:
            print(f"{name}: fehlgeschlagen\n{proc.stderr[-2000:]}", flush=True)
            continue
        figures = json.loads(proc.stdout.strip().splitlines()[-1])
        target = TARGETS.get(name)
        verdict = (
            "" if target is None else (" ✓" if figures["seconds"] <= target else f" ✗ (Ziel ≤ {target} s)")
        )
        print(f"{name}: {figures['seconds']} s{verdict}", flush=True)
        if "cli_seconds" in figures:
            print(
                f"  konzeptk opinion_groups, ganzer Prozess (Start, CSV {figures['csv_mb']} MB, Engine): "
                f"{figures['cli_seconds']} s (CPU {figures['cli_cpu']} s), ARI {figures['cli_ari']}",
                flush=True,
            )
        if "red_dwarf_ratio" in figures:
            print(
                f"  red-dwarf, nur die Pipeline, auf derselben Datei: {figures['red_dwarf_seconds']} s "
                f"(CPU {figures['red_dwarf_cpu']} s), "
                f"ARI {figures['red_dwarf_ari']} (eigene Engine: {figures['seconds']} s, ARI {figures['ari']}, "
                f"Verhältnis {figures['red_dwarf_ratio']}×)",
                flush=True,
            )
        if "cli_ratio" in figures:
            verdict = "✓" if figures["cli_ratio"] >= 10 else "✗"
            print(
                f"  Verhältnis red-dwarf-Pipeline / ganzer konzeptk-Prozess: {figures['cli_ratio']}× "
                f"{verdict} (Ziel ≥ 10×; nach CPU-Zeit {figures['cli_cpu_ratio']}×)",
                flush=True,
            )
        elif "red_dwarf" in figures:
            print(f"  red-dwarf: {figures['red_dwarf']}", flush=True)
        print("  " + json.dumps(figures, ensure_ascii=False), flush=True)
    database_main(chosen)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--case":
        print(json.dumps(run_case(sys.argv[2])))
    elif len(sys.argv) == 4 and sys.argv[1] == "--red-dwarf":
        print(json.dumps(_red_dwarf_here(sys.argv[2], sys.argv[3])))
    else:
        if set(chosen_cases(sys.argv[1:])) & set(DATABASE_CASES):
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "konzeptk.settings")
            import django

            django.setup()
        main(sys.argv[1:])
