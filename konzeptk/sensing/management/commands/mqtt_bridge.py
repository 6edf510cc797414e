from __future__ import annotations

import os
import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from konzeptk.sensing.checks import refuse_open_write_in_production
from konzeptk.sensing.mqtt_bridge import Bridge


class Command(BaseCommand):
    help = "MQTT-Brücke: nimmt SensorThings-Beobachtungen und LoRaWAN-Uplinks vom Broker (MQTT_URL) an."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--lorawan", action="store_true", help="auch TTN- und ChirpStack-Uplinks abonnieren"
        )
        parser.add_argument(
            "--client-id",
            default="konzeptk-bridge",
            help="fest je Brücke: der Broker hält unter dieser Kennung die Sitzung (bei mehreren Brücken je eine eigene)",
        )
        parser.add_argument(
            "--share-group",
            default=settings.MQTT_SHARE_GROUP,
            help="MQTT-5-Gruppe für geteilte Abonnements ($share/<Gruppe>/…), damit sich mehrere Brücken die "
            "Nachrichten teilen; leer: einfache Abonnements (Standard: KONZEPTK_MQTT_SHARE_GROUP)",
        )
        parser.add_argument(
            "--parent-pid",
            type=int,
            help="beenden, sobald dieser Prozess endet (so startet „konzeptk demo“ die Brücke)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        refuse_open_write_in_production()
        url = settings.MQTT_URL or "mqtt://127.0.0.1:1883"
        self.stdout.write(f"MQTT-Brücke verbindet sich mit {url} (Strg+C beendet) …")
        try:
            bridge = Bridge(
                url,
                client_id=options["client_id"],
                lorawan=options["lorawan"],
                share_group=options["share_group"] or None,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        done = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: done.set())
        parent = options["parent_pid"]
        bridge.start()
        announced = False
        try:
            while not done.wait(0.2):
                if not announced and bridge.subscribed.is_set():
                    self.stdout.write(f"MQTT-Brücke abonniert: {', '.join(bridge.subscriptions)}")
                    self.stdout.flush()
                    announced = True
                if parent is not None and os.getppid() != parent:
                    break  # the demo server ended; do not stay behind as an orphan
        except KeyboardInterrupt:
            pass
        bridge.stop()  # unacknowledged messages stay with the broker's persistent session
        stored = sum(1 for result in bridge.results if result == "stored")
        duplicates = sum(1 for result in bridge.results if result == "duplicate")
        self.stdout.write(f"MQTT-Brücke beendet. Gespeichert: {stored}, doppelt erkannt: {duplicates}")
