"""The MQTT bridge: SensorThings MQTT create (``v1.1/Datastreams(<id>)/Observations``) and LoRaWAN uplinks.

QoS 1 with a persistent session (``clean_session=False``, fixed client id): the broker keeps
messages while the bridge is away. Messages are queued and stored in micro-batches (one
transaction per batch, a savepoint per message, so a bad message rejects only itself); a message
is acknowledged (manual PUBACK) only after its batch is committed. If the database fails, the
batch is retried and nothing is acknowledged. paho reconnects with back-off by itself.
Messages carrying ``@iot.id`` are change notifications (published by the platform), not creations.
"""

from __future__ import annotations

import json
import logging
import queue
import re
import threading
import time
from typing import Any
from urllib.parse import urlparse

from django.db import DatabaseError, DataError, IntegrityError, close_old_connections, transaction

from konzeptk.sensing import models as m
from konzeptk.sensing import services
from konzeptk.sensing.errors import StaError
from konzeptk.sensing.odata.errors import ParseError
from konzeptk.sensing.sta.schema import DATASTREAM, OBSERVATION

log = logging.getLogger(__name__)
STA_TOPIC = "v1.1/+/Observations"
TTN_TOPIC = "v3/+/devices/+/up"
CHIRPSTACK_TOPIC = "application/+/device/+/event/up"
_DATASTREAM_TOPIC = re.compile(r"^v1\.1/Datastreams\((\d{1,18})\)/Observations$")


def handle_message(topic: str, payload: bytes) -> str:
    """Process one message; returns what happened (stored, ignored, rejected: …)."""
    try:
        data = json.loads(payload.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        log.warning("MQTT %s: kein JSON, verworfen", topic)
        return "rejected: kein JSON"
    writer = services.Writer(None, open_write=True)  # the broker's ACL decides who may publish
    try:
        if topic.startswith(("v3/", "application/")):
            from konzeptk.sensing.ingest.service import uplink_ingest

            network = "ttn" if topic.startswith("v3/") else "chirpstack"
            return uplink_ingest(network=network, payload=data, writer=writer).status
        match = _DATASTREAM_TOPIC.match(topic)
        if not match:
            return "ignored"
        if isinstance(data, dict) and "@iot.id" in data:
            return "ignored"  # a change notification, not a creation
        datastream = m.Datastream.objects.filter(pk=int(match.group(1))).first()
        if datastream is None:
            log.warning("MQTT %s: Datastream gibt es nicht", topic)
            return "rejected: unbekannter Datastream"
        services.entity_create(
            entity=OBSERVATION, data=data, writer=writer, parent=(DATASTREAM, datastream, "Observations")
        )
        return "stored"
    except (ParseError, StaError, ValueError, IntegrityError, DataError) as exc:
        log.warning("MQTT %s: abgelehnt: %s", topic, exc)
        return f"rejected: {exc}"


class Bridge:
    def __init__(self, url: str, *, client_id: str = "konzeptk-bridge", lorawan: bool = False) -> None:
        import paho.mqtt.client as mqtt

        self.url = urlparse(url or "mqtt://127.0.0.1:1883")
        self.connected = threading.Event()
        self.results: list[str] = []
        self.topics = [STA_TOPIC] + ([TTN_TOPIC, CHIRPSTACK_TOPIC] if lorawan else [])
        self.client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2,
            client_id=client_id,
            clean_session=False,
            protocol=mqtt.MQTTv311,
            manual_ack=True,
        )
        self.client.max_inflight_messages_set(1000)
        self.queue: queue.Queue[tuple[int, int, str, bytes]] = queue.Queue()
        self.stopping = threading.Event()
        self.worker = threading.Thread(target=self._work, name="mqtt-bridge-worker", daemon=True)
        if self.url.username:
            self.client.username_pw_set(self.url.username, self.url.password)
        self.client.reconnect_delay_set(min_delay=1, max_delay=30)
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect
        self.client.on_message = self._on_message

    def _on_connect(self, client: Any, userdata: Any, flags: Any, reason: Any, properties: Any) -> None:
        if getattr(reason, "is_failure", False):
            log.warning("MQTT-Verbindung abgelehnt: %s", reason)
            return
        client.subscribe([(topic, 1) for topic in self.topics])
        self.connected.set()
        log.info("MQTT-Brücke verbunden mit %s", self.url.hostname)

    def _on_disconnect(self, client: Any, userdata: Any, flags: Any, reason: Any, properties: Any) -> None:
        self.connected.clear()
        log.warning("MQTT-Verbindung getrennt (%s); neuer Versuch folgt", reason)

    def _on_message(self, client: Any, userdata: Any, message: Any) -> None:
        self.queue.put((message.mid, message.qos, message.topic, message.payload))

    def _next_batch(self, size: int = 1000, wait: float = 0.05) -> list[tuple[int, int, str, bytes]]:
        try:
            batch = [self.queue.get(timeout=0.5)]
        except queue.Empty:
            return []
        deadline = time.monotonic() + wait
        while len(batch) < size:
            try:
                batch.append(self.queue.get(timeout=max(deadline - time.monotonic(), 0)))
            except queue.Empty:
                break
        return batch

    def _work(self) -> None:
        while not self.stopping.is_set():
            batch = self._next_batch()
            if not batch:
                continue
            while not self.stopping.is_set():
                try:
                    with transaction.atomic():
                        results = [handle_message(topic, payload) for _mid, _qos, topic, payload in batch]
                    break
                except DatabaseError:
                    log.exception("Datenbankfehler in der MQTT-Brücke; der Stapel wird wiederholt")
                    close_old_connections()
                    time.sleep(1)
            else:
                return  # stopping: unacknowledged messages stay with the broker
            self.results.extend(results)
            for mid, qos, _topic, _payload in batch:
                if qos > 0:
                    self.client.ack(mid, qos)

    def start(self) -> None:
        self.worker.start()
        self.client.connect_async(self.url.hostname or "127.0.0.1", self.url.port or 1883, keepalive=30)
        self.client.loop_start()

    def stop(self) -> None:
        self.stopping.set()
        self.worker.join(timeout=5)
        self.client.loop_stop()
        self.client.disconnect()

    def run_forever(self) -> None:
        self.worker.start()
        self.client.connect_async(self.url.hostname or "127.0.0.1", self.url.port or 1883, keepalive=30)
        self.client.loop_forever(retry_first_connection=True)
