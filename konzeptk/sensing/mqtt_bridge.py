"""The MQTT bridge: SensorThings MQTT create (``v1.1/Datastreams(<id>)/Observations``) and LoRaWAN uplinks.

Delivery: MQTT 5 with a persistent session (``clean_start=False``, session expiry one week, fixed client id),
QoS 1 and manual PUBACK. A message is acknowledged only after the transaction that stored it has committed;
if the database fails, the batch is retried and nothing is acknowledged; if the broker goes away, paho
reconnects with back-off and the broker redelivers what was not acknowledged (flagged DUP). A redelivered
observation that is already stored (same datastream, phenomenon time and result) is not stored twice.
The bridge announces a receive maximum of :data:`RECEIVE_MAXIMUM`, so the broker keeps that many messages in
flight instead of its default of 20 – what lets the bridge work in large batches. Plain subscriptions use
"no local", so the bridge does not receive the notifications it publishes itself.

Scaling out: with a share group (``KONZEPTK_MQTT_SHARE_GROUP``, ``--share-group``) the bridge subscribes with
MQTT 5 shared subscriptions (``$share/<group>/v1.1/+/Observations``): the broker hands each message to one
bridge of the group, so several bridge processes (each with its own ``--client-id`` and so its own persistent
session) share the load. MQTT 5 forbids "no local" on shared subscriptions, so the bridges then also receive
the change notifications they publish and ignore them (they carry ``@iot.id``). Messages the broker has given
to one bridge stay with that bridge's session: unacknowledged ones and those queued while it is away are
delivered when it reconnects with the same client id (flagged DUP, and not stored twice). A bridge taken
out of service for good should therefore be stopped only after the broker has nothing left for it, or its
session ended with ``forget_session`` (which drops what is queued for it).

Throughput: plain observation messages (``phenomenonTime``, ``result``, ``resultTime``, ``resultQuality``,
``validTime``, ``parameters``) are converted like CreateObservations rows and stored with one COPY per batch;
anything else (deep inserts, a linked FeatureOfInterest, LoRaWAN uplinks) goes through the full services, one
savepoint each, so a bad message rejects only itself. Messages that are not JSON, unknown datastreams and
invalid values are rejected (logged, acknowledged, not stored). Messages carrying ``@iot.id`` are change
notifications (published by the platform), not creations.
"""

from __future__ import annotations

import collections
import logging
import queue
import re
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from django.db import DatabaseError, DataError, IntegrityError, close_old_connections, transaction
from django.utils import timezone

from konzeptk.sensing import bulk, partitions, services
from konzeptk.sensing import models as m
from konzeptk.sensing.errors import StaError
from konzeptk.sensing.mqtt_publish import row_notifications
from konzeptk.sensing.odata.errors import ParseError
from konzeptk.sensing.sta.schema import DATASTREAM, OBSERVATION
from konzeptk.sensing.storage import Row, insert_rows
from konzeptk.sensing.timeutil import loads

log = logging.getLogger(__name__)
STA_TOPIC = "v1.1/+/Observations"
TTN_TOPIC = "v3/+/devices/+/up"
CHIRPSTACK_TOPIC = "application/+/device/+/event/up"
_DATASTREAM_TOPIC = re.compile(r"^v1\.1/Datastreams\((\d{1,18})\)/Observations$")
RECEIVE_MAXIMUM = 20_000
SESSION_EXPIRY = 7 * 24 * 3600  # seconds the broker keeps the session (and queued messages) while away
BATCH_SIZE = 5_000
BATCH_WAIT = 0.05  # seconds a batch waits for more messages
_FAST_KEYS = frozenset(("phenomenonTime", "result", "resultTime", "resultQuality", "validTime", "parameters"))
_ROW_WIDTH = len(Row._fields)
_NOTIFICATION = b'{"@iot.id": '  # how the platform's notifications begin (mqtt_publish, json.dumps)
_SHARE_GROUP = re.compile(r"^[A-Za-z0-9_-]{0,64}$")  # no / + # (MQTT 5, 4.8.2)


@dataclass
class Message:
    topic: str
    payload: bytes
    mid: int = 0
    qos: int = 0
    dup: bool = False


def handle_message(topic: str, payload: bytes) -> str:
    """Process one message through the services; returns what happened (stored, ignored, rejected: …)."""
    try:
        data = loads(payload.decode("utf-8"))
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


def _already_stored(row: Row) -> bool:
    return m.Observation.objects.filter(
        datastream_id=row.datastream_id,
        phenomenon_time_start=row.phenomenon_time_start,
        result_number=row.result_number,
    ).exists()


def process_batch(messages: list[Message]) -> tuple[list[str], list[tuple[int, Row]]]:
    """Store a batch inside the caller's transaction; returns a result per message and the stored (id, row)s."""
    results = [""] * len(messages)
    candidates: list[tuple[int, int, dict[str, Any]]] = []
    slow: list[int] = []
    for index, message in enumerate(messages):
        match = _DATASTREAM_TOPIC.match(message.topic)
        if not match:
            slow.append(index)
            continue
        try:
            data = loads(message.payload)
        except (ValueError, UnicodeDecodeError):
            log.warning("MQTT %s: kein JSON, verworfen", message.topic)
            results[index] = "rejected: kein JSON"
            continue
        if isinstance(data, dict) and "@iot.id" in data:
            results[index] = "ignored"  # a change notification, not a creation
        elif isinstance(data, dict) and "result" in data and data.keys() <= _FAST_KEYS:
            candidates.append((index, int(match.group(1)), data))
        else:
            slow.append(index)
    datastreams = m.Datastream.objects.in_bulk({ds_id for _i, ds_id, _d in candidates})
    features: dict[int, int] = {}
    converted: list[tuple[int, list[Any]]] = []
    rows: list[tuple[int, Row]] = []
    now = timezone.now()
    converters = bulk.ROW_CONVERTERS
    for index, ds_id, data in candidates:
        if ds_id not in datastreams:
            log.warning("MQTT %s: Datastream gibt es nicht", messages[index].topic)
            results[index] = "rejected: unbekannter Datastream"
            continue
        try:
            slots: list[Any] = [ds_id] + [None] * (_ROW_WIDTH - 1)
            for key, value in data.items():
                converters[key](value, slots)
            if slots[2] is None:
                slots[2] = now
        except (ParseError, StaError) as exc:
            log.warning("MQTT %s: abgelehnt: %s", messages[index].topic, exc)
            results[index] = f"rejected: {getattr(exc, 'message', str(exc))}"
            continue
        converted.append((index, slots))
    # New monthly partitions before this transaction writes anything: creating one locks the tables it
    # refers to, and a FeatureOfInterest written first would let two bridges deadlock there.
    partitions.ensure_for(slots[2] for _index, slots in converted)
    for index, slots in converted:
        ds_id = slots[0]
        if ds_id not in features:
            features[ds_id] = services._feature_for(datastreams[ds_id]).pk
        slots[1] = features[ds_id]
        row = Row._make(slots)
        if messages[index].dup and _already_stored(row):
            results[index] = "duplicate"
            continue
        rows.append((index, row))
    stored = _insert(messages, rows, results)
    for index in slow:
        message = messages[index]
        with transaction.atomic():
            results[index] = handle_message(message.topic, message.payload)
    return results, stored


def _insert(
    messages: list[Message], rows: list[tuple[int, Row]], results: list[str]
) -> list[tuple[int, Row]]:
    """One COPY for all rows; if the database rejects the batch, row by row, so a bad value rejects only itself."""
    if not rows:
        return []
    try:
        with transaction.atomic():
            ids = insert_rows([row for _index, row in rows])
            services._extend_datastream_times([row for _index, row in rows])
    except (DataError, IntegrityError):
        stored = []
        for index, row in rows:
            try:
                with transaction.atomic():
                    [pk] = insert_rows([row])
                    services._extend_datastream_times([row])
            except (DataError, IntegrityError) as exc:
                log.warning("MQTT %s: abgelehnt: %s", messages[index].topic, exc)
                results[index] = "rejected: ungültige Werte"
                continue
            results[index] = "stored"
            stored.append((pk, row))
        return stored
    for index, _row in rows:
        results[index] = "stored"
    return [(pk, row) for pk, (_index, row) in zip(ids, rows, strict=True)]


class Bridge:
    def __init__(
        self,
        url: str,
        *,
        client_id: str = "konzeptk-bridge",
        lorawan: bool = False,
        notify: bool = True,
        topics: list[str] | None = None,
        share_group: str | None = None,
    ) -> None:
        import paho.mqtt.client as mqtt

        self.url = urlparse(url or "mqtt://127.0.0.1:1883")
        self.client_id = client_id
        self.notify = notify
        self.connected = threading.Event()
        self.results: collections.deque[str] = collections.deque(
            maxlen=1_000_000
        )  # for tests and the benchmark
        self.topics = topics or [STA_TOPIC] + ([TTN_TOPIC, CHIRPSTACK_TOPIC] if lorawan else [])
        if share_group is not None and not _SHARE_GROUP.match(share_group):
            raise ValueError(
                f"Ungültiger Name der MQTT-Gruppe: {share_group!r} (erlaubt: A–Z, a–z, 0–9, - und _)"
            )
        self.share_group = share_group or None
        self.subscribed = threading.Event()
        self.client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5, manual_ack=True
        )
        self.client.max_inflight_messages_set(
            RECEIVE_MAXIMUM
        )  # our own notifications (QoS 0) are not limited
        self.client.max_queued_messages_set(0)
        self.queue: queue.Queue[Message] = queue.Queue()
        self.stopping = threading.Event()
        self.worker = threading.Thread(target=self._work, name="mqtt-bridge-worker", daemon=True)
        if self.url.username:
            self.client.username_pw_set(self.url.username, self.url.password)
        self.client.reconnect_delay_set(min_delay=1, max_delay=30)
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect
        self.client.on_message = self._on_message
        self.client.on_subscribe = self._on_subscribe

    def _connect_properties(self) -> Any:
        from paho.mqtt.packettypes import PacketTypes
        from paho.mqtt.properties import Properties

        properties = Properties(PacketTypes.CONNECT)
        properties.SessionExpiryInterval = SESSION_EXPIRY
        properties.ReceiveMaximum = RECEIVE_MAXIMUM
        return properties

    def _on_connect(self, client: Any, userdata: Any, flags: Any, reason: Any, properties: Any) -> None:
        from paho.mqtt.subscribeoptions import SubscribeOptions

        if getattr(reason, "is_failure", False):
            log.warning("MQTT-Verbindung abgelehnt: %s", reason)
            return
        if self.share_group:
            # a persistent session may still hold the plain subscriptions of an earlier start: they would
            # deliver every message a second time
            client.unsubscribe(list(self.topics))
            client.subscribe([(topic, SubscribeOptions(qos=1)) for topic in self.subscriptions])
        else:
            client.subscribe([(topic, SubscribeOptions(qos=1, noLocal=True)) for topic in self.topics])
        self.connected.set()
        log.info(
            "MQTT-Brücke verbunden mit %s (Sitzung vorhanden: %s)", self.url.hostname, flags.session_present
        )

    @property
    def subscriptions(self) -> list[str]:
        """The topic filters the bridge subscribes to (shared ones with a share group)."""
        if not self.share_group:
            return list(self.topics)
        return [f"$share/{self.share_group}/{topic}" for topic in self.topics]

    def _on_subscribe(self, client: Any, userdata: Any, mid: Any, reasons: Any, properties: Any) -> None:
        failed = [reason for reason in reasons if getattr(reason, "is_failure", False)]
        if failed:
            log.error("MQTT-Abonnement abgelehnt: %s", failed)
            return
        self.subscribed.set()

    def _on_disconnect(self, client: Any, userdata: Any, flags: Any, reason: Any, properties: Any) -> None:
        self.connected.clear()
        self.subscribed.clear()
        if not self.stopping.is_set():
            log.warning("MQTT-Verbindung getrennt (%s); neuer Versuch folgt", reason)

    def _on_message(self, client: Any, userdata: Any, message: Any) -> None:
        if message.qos == 0 and message.payload.startswith(_NOTIFICATION):
            return  # a change notification of the platform (shared subscriptions cannot use "no local")
        self.queue.put(Message(message.topic, message.payload, message.mid, message.qos, bool(message.dup)))

    def _next_batch(self) -> list[Message]:
        try:
            batch = [self.queue.get(timeout=0.5)]
        except queue.Empty:
            return []
        deadline = time.monotonic() + BATCH_WAIT
        while len(batch) < BATCH_SIZE:
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
                        results, stored = process_batch(batch)
                    break
                except DatabaseError:
                    log.exception("Datenbankfehler in der MQTT-Brücke; der Stapel wird wiederholt")
                    close_old_connections()
                    time.sleep(1)
            else:
                return  # stopping: unacknowledged messages stay with the broker
            for message in batch:
                if message.qos > 0:
                    self.client.ack(message.mid, message.qos)
            self.results.extend(results)
            if self.notify and stored:
                try:
                    for topic, body in row_notifications(stored):
                        self.client.publish(topic, body, qos=0)
                except Exception:  # committed and acknowledged; notifications are best effort
                    log.exception("MQTT-Benachrichtigung fehlgeschlagen")

    def _connect(self) -> None:
        self.worker.start()
        self.client.connect_async(
            self.url.hostname or "127.0.0.1",
            self.url.port or 1883,
            keepalive=30,
            clean_start=False,
            properties=self._connect_properties(),
        )

    def start(self) -> None:
        self._connect()
        self.client.loop_start()

    def forget_session(self) -> None:
        """End the persistent session at the broker (after ``stop``): for tests and benchmarks with throw-away
        client ids, whose offline sessions would otherwise collect messages for a week."""
        forget_session(self.url.geturl(), self.client_id)

    def stop(self) -> None:
        self.stopping.set()
        self.worker.join(timeout=10)
        self.client.disconnect()
        self.client.loop_stop()


def start_bridge_process(out: Any = None) -> Any:
    """Start ``konzeptk mqtt_bridge`` as a child process that ends with its parent (used by ``konzeptk demo``)."""
    import os
    import subprocess
    import sys

    process = subprocess.Popen(  # noqa: S603 – our own command line
        [
            sys.executable,
            "-m",
            "konzeptk",
            "mqtt_bridge",
            "--lorawan",
            "--parent-pid",
            str(os.getpid()),
            "--client-id",
            "konzeptk-demo-bridge",
        ]
    )
    if out is not None:
        out.write(f"MQTT-Brücke gestartet (Prozess {process.pid}).")
    return process


def forget_session(url: str, client_id: str) -> None:
    """Connect once with ``clean_start`` and session expiry 0, which removes the broker's session of that id."""
    import paho.mqtt.client as mqtt
    from paho.mqtt.packettypes import PacketTypes
    from paho.mqtt.properties import Properties

    parsed = urlparse(url)
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5)
    if parsed.username:
        client.username_pw_set(parsed.username, parsed.password)
    properties = Properties(PacketTypes.CONNECT)
    properties.SessionExpiryInterval = 0
    client.connect(
        parsed.hostname or "127.0.0.1", parsed.port or 1883, clean_start=True, properties=properties
    )
    client.loop_start()
    deadline = time.monotonic() + 5
    while not client.is_connected() and time.monotonic() < deadline:
        time.sleep(0.01)
    client.disconnect()
    client.loop_stop()
