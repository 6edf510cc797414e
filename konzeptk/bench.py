"""``make bench``: run every app's benchmark (``konzeptk/<app>/bench.py`` with ``main()``) and print figures.

Benchmarks are scripts that print measurements; they are never timed assertions in tests.
Run one app's benchmark with ``python -m konzeptk.bench strategy``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from importlib import import_module
from typing import Any
from urllib.parse import unquote, urlsplit

#: Set in the child process that repeats an app's benchmark on the other database backend.
_CHILD = "KONZEPTK_BENCH_CHILD"
#: The environment as the benchmark found it: a child starts from this, not from what a benchmark
#: set for itself while it ran (e.g. the sensing benchmark's anonymous-write switch).
_ENVIRONMENT_AT_START = dict(os.environ)


def postgres_url(label: str) -> str:
    """The PostgreSQL server an app's benchmark also runs on (``KONZEPTK_BENCH_POSTGRES_URL``)."""
    return os.environ.get(
        "KONZEPTK_BENCH_POSTGRES_URL", f"postgres://postgres@127.0.0.1:5432/konzeptk_bench_{label}"
    )


def without_password(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.username or ''}@{parts.hostname or ''}:{parts.port or 5432}{parts.path}"


def postgres_answers(url: str) -> bool:
    import psycopg

    parts = urlsplit(url)
    try:
        psycopg.connect(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=unquote(parts.username or "postgres"),
            password=unquote(parts.password or "") or None,
            dbname="postgres",
            connect_timeout=3,
        ).close()
    except psycopg.Error:
        return False
    return True


def on_both_databases(label: str, run_here: Callable[[], None]) -> None:
    """Run an app's benchmark on the configured database, then again in a child process on the
    other backend (SQLite <-> PostgreSQL), so ``make bench`` always reports both. PostgreSQL is
    skipped with a note when no server answers."""
    from django.db import connection

    run_here()
    if os.environ.get(_CHILD):
        return
    if connection.vendor == "postgresql":
        sqlite_file = os.path.join(tempfile.gettempdir(), f"konzeptk-bench-{label}.sqlite3")
        other = {"DATABASE_URL": f"sqlite:///{sqlite_file}"}
    else:
        url = postgres_url(label)
        if not postgres_answers(url):
            print(f"\nPostgreSQL: übersprungen, kein Server unter {without_password(url)}", flush=True)
            return
        other = {"DATABASE_URL": url}
    print(flush=True)
    subprocess.run(  # noqa: S603 (our own interpreter and module, a fixed app label)
        [sys.executable, "-m", "konzeptk.bench", label],
        env={**_ENVIRONMENT_AT_START, **other, _CHILD: "1"},
        check=False,
    )


def median_ms(run: Callable[[], object], repeat: int = 7) -> float:
    """The median wall time of ``run`` in milliseconds, after one warm-up call."""
    import statistics
    import time

    run()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def in_throwaway_database(run: Callable[[], None], **overrides: Any) -> None:
    """Run ``run`` in a fresh test database of the configured backend (a file in a temporary directory
    for SQLite), with plain static files, every host allowed and ``overrides`` as settings; the
    database is dropped afterwards. The demo's data is never touched."""
    import shutil

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
        with override_settings(STORAGES=storages, ALLOWED_HOSTS=["*"], **overrides):
            run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(tmp, ignore_errors=True)


def bench_hooks(name: str) -> list[tuple[str, Callable[..., Any]]]:
    """The function ``name`` of every room's ``bench.py`` that has one, in the order of
    INSTALLED_APPS, as (app label, function): how one benchmark asks the rooms for their part
    without naming them (e.g. ``seed_personal_data`` for the DSGVO benchmark of accounts)."""
    from django.apps import apps

    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("konzeptk."):
            continue
        try:
            module = import_module(f"{config.name}.bench")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.bench":
                raise
            continue
        hook = getattr(module, name, None)
        if callable(hook):
            found.append((config.label, hook))
    return found


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "konzeptk.settings")
    import django
    from django.conf import settings

    django.setup()
    wanted = set(argv)
    for app in settings.INSTALLED_APPS:
        if not app.startswith("konzeptk."):
            continue
        label = app.rsplit(".", 1)[1]
        if wanted and label not in wanted:
            continue
        try:
            module = import_module(f"{app}.bench")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.bench":
                raise
            continue
        print(f"\n=== {label} ===", flush=True)
        module.main()
        _leave_test_environment()


def _leave_test_environment() -> None:
    """Undo an app benchmark's setup_test_environment(), so the next app's benchmark can set it up."""
    from django.test import utils

    if hasattr(utils._TestState, "saved_data"):
        utils.teardown_test_environment()


if __name__ == "__main__":
    main()
