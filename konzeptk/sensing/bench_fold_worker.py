"""The Celery worker of sensing's benchmark (``python -m konzeptk.sensing.bench_fold_worker -A konzeptk worker …``):
Celery's own worker, with the ingest hooks paused. The benchmark's temporary database holds only sensing's
tables, so a hook reading its room's tables (resilience's rules) would fail there; the benchmark process itself
pauses them the same way (``ingest_hook_registry.hooks_paused``)."""

from __future__ import annotations

import sys


def main() -> None:
    import django

    django.setup()
    from konzeptk.celery import app
    from konzeptk.sensing.ingest_hook_registry import hooks_paused

    with hooks_paused():
        app.worker_main(sys.argv[3:])  # after "-A konzeptk": "worker" and its options


if __name__ == "__main__":
    main()
