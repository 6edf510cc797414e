from __future__ import annotations

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

THREADS = 4  # threads per worker process (gthread): a worker waiting for the database serves others meanwhile


def gunicorn_argv(*, bind: str, workers: int, threads: int = THREADS) -> list[str]:
    """The gunicorn command line of the platform's web server (also started by the sensing benchmark)."""
    return [
        sys.executable, "-m", "gunicorn", "konzeptk.wsgi:application",
        "--bind", bind, "--workers", str(workers), "--threads", str(threads),
        "--access-logfile", "-" if settings.DEBUG else "/dev/null", "--graceful-timeout", "5",
    ]  # fmt: skip


class Command(BaseCommand):
    help = "Startet den Webserver (gunicorn) für die Plattform."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args: Any, **options: Any) -> None:
        from konzeptk.core.safety import refuse_unsafe_production

        refuse_unsafe_production()
        call_command("collectstatic", interactive=False, verbosity=0)
        bind = f"{options['host']}:{options['port']}"
        argv = gunicorn_argv(bind=bind, workers=options["workers"])
        sys.stdout.flush()
        os.execv(sys.executable, argv)  # noqa: S606 – replace this process with gunicorn
