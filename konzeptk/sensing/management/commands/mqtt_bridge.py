from __future__ import annotations

import os
import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from konzeptk.sensing.checks import refuse_open_write_in_production
from konzeptk.sensing.mqtt_bridge import Bridge


class Command(BaseCommand):
    help = "MQTT-Brücke: nimmt SensorThings-Beobachtungen und LoRaWAN-Uplinks vom Broker (MQTT_URL) an."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--lorawan", action="store_true", help="auch TTN- und ChirpStack-Uplinks abonnieren"
        )
        parser.add_argument("--client-id", default="konzeptk-bridge")
        parser.add_argument(
            "--parent-pid",
            type=int,
            help="beenden, sobald dieser Prozess endet (so startet „konzeptk demo“ die Brücke)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        refuse_open_write_in_production()
        url = settings.MQTT_URL or "mqtt://127.0.0.1:1883"
        self.stdout.write(f"MQTT-Brücke verbindet sich mit {url} (Strg+C beendet) …")
        bridge = Bridge(url, client_id=options["client_id"], lorawan=options["lorawan"])
        done = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: done.set())
        parent = options["parent_pid"]
        bridge.start()
        try:
            while not done.wait(1.0):
                if parent is not None and os.getppid() != parent:
                    break  # the demo server ended; do not stay behind as an orphan
        except KeyboardInterrupt:
            pass
        bridge.stop()  # unacknowledged messages stay with the broker's persistent session
        self.stdout.write("MQTT-Brücke beendet.")
