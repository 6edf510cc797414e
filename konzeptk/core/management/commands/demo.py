from __future__ import annotations

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from konzeptk.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from konzeptk.core.companion_registry import start_companions
from konzeptk.core.demo_registry import demo_load_all


class Command(BaseCommand):
    help = "Richtet die Demo ein (Datenbank, Stadtprofil, Demo-Inhalte) und startet den Server."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument(
            "--no-input", action="store_true", help="nie nachfragen (die Demo fragt ohnehin nichts)"
        )
        parser.add_argument("--no-serve", action="store_true", help="nur einrichten, nicht starten")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("Die Demo läuft nur mit KONZEPTK_DEMO=1 (setzt „konzeptk demo“ selbst).")
        out = self.stdout
        # every link in a mail points to the address this demo serves (also in the server process,
        # which inherits the environment, and in the companions started beside it)
        shown_host = "127.0.0.1" if options["host"] in ("0.0.0.0", "::") else options["host"]  # noqa: S104
        settings.SITE_URL = f"http://{shown_host}:{options['port']}"
        os.environ["SITE_URL"] = settings.SITE_URL
        out.write(f"Datenverzeichnis: {settings.DATA_DIR}")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_city", settings.CITY_PROFILE, stdout=out)
        demo_load_all(out=out)
        url = f"{settings.SITE_URL}/"
        out.write("")
        out.write(self.style.SUCCESS(f"Konzept K läuft gleich unter {url}"))
        out.write(f"Demo-Anmeldungen (Passwort für alle: {DEMO_PASSWORD}):")
        for account in DEMO_ACCOUNTS:
            out.write(f"  {account.email:42} {account.display_name}")
        out.write("Beenden mit Strg+C.")
        sys.stdout.flush()
        if not options["no_serve"]:
            start_companions(out)  # e.g. sensing's MQTT bridge: runs beside the server, ends with it
            call_command("serve", port=options["port"], host=options["host"])
