"""A process of sensing's benchmark with the ingest hooks paused:
``python -m konzeptk.sensing.bench_no_hooks celery -A konzeptk worker …`` (the fold worker) or
``python -m konzeptk.sensing.bench_no_hooks konzeptk mqtt_bridge …`` (the bridges of the scale-out figure).

The benchmark's temporary database holds only sensing's tables, so a hook reading its room's tables (resilience's
rules) would fail there – in the bridges every batch would fail and be delivered again. The benchmark process itself
pauses the hooks the same way (``ingest_hook_registry.hooks_paused``)."""

from __future__ import annotations

import sys


def main(argv: list[str]) -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "konzeptk.settings")
    django.setup()
    from konzeptk.sensing.ingest_hook_registry import hooks_paused

    with hooks_paused():
        if argv[0] == "celery":
            from konzeptk.celery import app

            app.worker_main(argv[3:])  # after "celery -A konzeptk": "worker" and its options
        else:
            from django.core.management import execute_from_command_line

            execute_from_command_line(argv)  # "konzeptk <command> …", as the konzeptk command runs it


if __name__ == "__main__":
    main(sys.argv[1:])
