"""The MQTT bridge against the real Mosquitto broker of this machine (MQTT_URL, default 127.0.0.1:1883)."""

from __future__ import annotations

import json
import os
import socket
import time
import uuid
from typing import Any
from urllib.parse import urlparse

import pytest

from konzeptk.sensing import partitions
from konzeptk.sensing.mqtt_bridge import Bridge, handle_message
from konzeptk.sensing.tests.factories import make_datastream

URL = os.environ.get("MQTT_URL") or "mqtt://127.0.0.1:1883"


def _broker_answers() -> bool:
    parsed = urlparse(URL)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 1883), timeout=1):
            return True
    except OSError:
        return False


def _no_mosquitto_binary() -> None:
    """A private broker needs Debian's mosquitto program: on CI that is a failure, locally a skip."""
    if os.environ.get("CI") == "true":
        pytest.fail("Das Programm mosquitto fehlt, aber CI=true: es gehört zur CI-Umgebung.")
    pytest.skip("mosquitto ist nicht installiert")


@pytest.fixture
def broker() -> str:
    if not _broker_answers():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Kein MQTT-Broker unter {URL}, aber CI=true: der Broker gehört zur CI-Umgebung.")
        pytest.skip(f"Kein MQTT-Broker antwortet unter {URL} (lokal ohne Mosquitto).")
    return URL


def _wait(predicate: Any, timeout: float = 5.0) -> bool:
    """Poll until the predicate holds. A read that meets the bridge's write on SQLite in memory (shared cache:
    "database table is locked", which no busy timeout waits for) is read again at the next poll."""
    from django.db import OperationalError

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if predicate():
                return True
        except OperationalError as exc:
            if "locked" not in str(exc):
                raise
        time.sleep(0.05)
    return False


@pytest.mark.django_db(transaction=True)
def test_publish_creates_observations_with_qos1(broker: str) -> None:
    import paho.mqtt.client as mqtt

    ds = make_datastream()
    bridge = Bridge(broker, client_id=f"konzeptk-test-{uuid.uuid4().hex[:8]}")
    bridge.start()
    try:
        assert bridge.connected.wait(5), "Brücke hat sich nicht verbunden"
        publisher = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
        parsed = urlparse(broker)
        publisher.connect(parsed.hostname or "127.0.0.1", parsed.port or 1883)
        publisher.loop_start()
        topic = f"v1.1/Datastreams({ds.pk})/Observations"
        time.sleep(0.2)  # let the subscription settle
        infos = [
            publisher.publish(
                topic, json.dumps({"phenomenonTime": f"2024-01-01T00:{i:02d}:00Z", "result": i}), qos=1
            )
            for i in range(20)
        ]
        infos.append(publisher.publish(topic, b"kein json", qos=1))
        infos.append(
            publisher.publish("v1.1/Datastreams(999999)/Observations", json.dumps({"result": 1}), qos=1)
        )
        for info in infos:
            info.wait_for_publish(5)
        assert _wait(lambda: len(bridge.results) >= 22)
        publisher.loop_stop()
        publisher.disconnect()
    finally:
        bridge.stop()
        bridge.forget_session()  # a throw-away id: leave no session collecting messages on the broker
    assert ds.observations.count() == 20
    assert sorted(ds.observations.values_list("result_number", flat=True)) == [float(i) for i in range(20)]
    assert sum(r.startswith("rejected") for r in bridge.results) == 2


@pytest.mark.django_db
def test_handle_message_rejects_without_raising() -> None:
    ds = make_datastream()
    topic = f"v1.1/Datastreams({ds.pk})/Observations"
    assert handle_message(topic, b"\xff\xfe").startswith("rejected")
    assert handle_message(topic, b'{"result": 1, "bogus": 2}').startswith("rejected")
    assert handle_message(topic, b'{"@iot.id": 5, "result": 1}') == "ignored"
    assert handle_message("v1.1/Things", b"{}") == "ignored"
    assert handle_message(topic, b'{"result": 7.5}') == "stored"
    assert ds.observations.get().result_number == 7.5


class Subscriber:
    """A plain paho client that collects what arrives on the given topics."""

    def __init__(self, url: str, topics: list[str]) -> None:
        import paho.mqtt.client as mqtt

        self.messages: list[tuple[str, Any]] = []
        parsed = urlparse(url)
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
        self.client.on_message = lambda _c, _u, msg: self.messages.append(
            (msg.topic, json.loads(msg.payload))
        )
        self.client.connect(parsed.hostname or "127.0.0.1", parsed.port or 1883)
        self.client.loop_start()
        done = [self.client.subscribe(topic, qos=0)[1] for topic in topics]
        assert all(mid is not None for mid in done)
        time.sleep(0.3)

    def on(self, topic: str) -> list[Any]:
        return [payload for t, payload in self.messages if t == topic]

    def close(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()


def test_subscriptions_receive_created_entities_updates_and_changed_properties(
    broker: str, sta: Any, org: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from konzeptk.sensing import mqtt_publish

    settings.MQTT_URL = broker
    mqtt_publish._client = None
    ds = make_datastream(org=org)
    thing = ds.thing
    sub = Subscriber(
        broker,
        [
            f"v1.1/Datastreams({ds.pk})/Observations",
            "v1.1/Observations",
            f"v1.1/Things({thing.pk})",
            f"v1.1/Things({thing.pk})/name",
            f"v1.1/Things({thing.pk})/description",
            "v1.1/Things",
        ],
    )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = sta.post(
                f"Datastreams({ds.pk})/Observations",
                {"phenomenonTime": "2024-05-01T10:00:00Z", "result": 17.5},
            )
        assert response.status_code == 201
        with django_capture_on_commit_callbacks(execute=True):
            assert sta.patch(f"Things({thing.pk})", {"name": "Laterne Ostwall (neu)"}).status_code == 200
        assert _wait(lambda: sub.on(f"v1.1/Things({thing.pk})/name"))
        assert _wait(lambda: sub.on(f"v1.1/Datastreams({ds.pk})/Observations"))
        [created] = sub.on(f"v1.1/Datastreams({ds.pk})/Observations")
        assert created["result"] == 17.5
        assert created["phenomenonTime"] == "2024-05-01T10:00:00Z"
        assert created["@iot.id"] == response.json()["@iot.id"]
        assert created["@iot.selfLink"].endswith(f"/sta/v1.1/Observations({created['@iot.id']})")
        assert sub.on("v1.1/Observations") == [created]
        [entity] = sub.on(f"v1.1/Things({thing.pk})")
        assert entity["name"] == "Laterne Ostwall (neu)"
        assert sub.on(f"v1.1/Things({thing.pk})/name") == [{"name": "Laterne Ostwall (neu)"}]
        time.sleep(0.2)
        assert sub.on(f"v1.1/Things({thing.pk})/description") == []  # unchanged properties stay quiet
        assert sub.on("v1.1/Things") == []  # the set hears of new Things only
    finally:
        sub.close()
        if mqtt_publish._client is not None:
            mqtt_publish._client.loop_stop()
            mqtt_publish._client.disconnect()
        mqtt_publish._client = None
        partitions.forget_cache()  # the on-commit callbacks ran, but the test's transaction is rolled back


@pytest.mark.django_db(transaction=True)
def test_bridge_publishes_the_observations_it_stores(broker: str) -> None:
    import paho.mqtt.client as mqtt

    ds = make_datastream()
    topic = f"v1.1/Datastreams({ds.pk})/Observations"
    sub = Subscriber(broker, [topic])
    bridge = Bridge(broker, client_id=f"konzeptk-test-{uuid.uuid4().hex[:8]}")
    bridge.start()
    try:
        assert bridge.connected.wait(5)
        time.sleep(0.2)
        publisher = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
        parsed = urlparse(broker)
        publisher.connect(parsed.hostname or "127.0.0.1", parsed.port or 1883)
        publisher.loop_start()
        publisher.publish(
            topic, json.dumps({"phenomenonTime": "2024-02-02T02:00:00Z", "result": 3}), qos=1
        ).wait_for_publish(5)
        assert _wait(lambda: any("@iot.id" in p for p in sub.on(topic)))
        publisher.loop_stop()
        publisher.disconnect()
    finally:
        bridge.stop()
        bridge.forget_session()
        sub.close()
    notes = [p for p in sub.on(topic) if "@iot.id" in p]
    assert notes[0]["@iot.id"] == ds.observations.get().pk
    assert notes[0]["result"] == 3
    assert list(bridge.results) == ["stored"]  # the bridge did not hear its own notification (no local)


@pytest.mark.django_db
def test_process_batch_bad_messages_reject_only_themselves() -> None:
    from konzeptk.sensing.mqtt_bridge import Message, process_batch

    ds = make_datastream()
    topic = f"v1.1/Datastreams({ds.pk})/Observations"
    good = [
        Message(topic, json.dumps({"phenomenonTime": f"2024-01-01T00:{i:02d}:00Z", "result": i}).encode())
        for i in range(5)
    ]
    bad = [
        Message(topic, b"kein json"),
        Message(topic, b"\xff\xfe"),
        Message(topic, b'{"result": 1, "phenomenonTime": "gestern"}'),
        Message(topic, b'{"phenomenonTime": "2024-01-01T00:00:00Z"}'),  # no result
        Message(topic, b'{"result": 1, "bogus": true}'),
        Message(topic, b"[1, 2]"),
        Message(topic, b'{"result": 1, "resultTime": 5}'),
        Message("v1.1/Datastreams(999999)/Observations", b'{"result": 1}'),
        Message(topic, json.dumps({"result": 1, "parameters": "x"}).encode()),
    ]
    deep = Message(topic, json.dumps({"result": 9, "FeatureOfInterest": {"name": "Punkt", "encodingType": "application/geo+json", "feature": {"type": "Point", "coordinates": [6.5, 51.3]}}}).encode())  # fmt: skip
    notice = Message(topic, b'{"@iot.id": 12, "result": 1}')
    results, stored = process_batch([*good[:2], *bad, deep, notice, *good[2:]])
    assert results[:2] == ["stored", "stored"]
    assert all(r.startswith("rejected") for r in results[2 : 2 + len(bad)])
    assert results[2 + len(bad) :] == ["stored", "ignored", "stored", "stored", "stored"]
    assert len(stored) == 5
    assert sorted(ds.observations.values_list("result_number", flat=True)) == [0.0, 1.0, 2.0, 3.0, 4.0, 9.0]
    # a redelivered message (DUP) that is already stored is not stored twice
    again = Message(good[0].topic, good[0].payload, dup=True)
    assert process_batch([again])[0] == ["duplicate"]
    assert ds.observations.count() == 6


class PrivateBroker:
    """A Mosquitto of our own on a free port, with persistence, that a test may stop and start again."""

    def __init__(self, directory: Any) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.config = directory / "mosquitto.conf"
        self.config.write_text(
            f"listener {self.port} 127.0.0.1\nallow_anonymous true\npersistence true\n"
            f"persistence_location {directory}/\nmax_queued_messages 100000\n"
            + ("user root\n" if os.geteuid() == 0 else "")  # keep the rights on the test directory
        )
        self.process: Any = None

    @property
    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.port}"

    def start(self) -> None:
        import subprocess

        self.process = subprocess.Popen(
            ["mosquitto", "-c", str(self.config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        assert _wait(self._answers, 5), "private Mosquitto did not start"

    def _answers(self) -> bool:
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
            return True
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()  # Mosquitto writes its persistence file on SIGTERM
            self.process.wait(10)
            self.process = None


def _publish(port: int, topic: str, values: range) -> None:
    """Publish with QoS 1 and wait until the broker acknowledged every message."""
    import paho.mqtt.client as mqtt

    publisher = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    publisher.connect("127.0.0.1", port)
    publisher.loop_start()
    infos = [
        publisher.publish(topic, json.dumps({"phenomenonTime": f"2024-03-01T{i // 60:02d}:{i % 60:02d}:00Z", "result": i}), qos=1)
        for i in values
    ]  # fmt: skip
    for info in infos:
        info.wait_for_publish(10)
        assert info.is_published()
    publisher.loop_stop()
    publisher.disconnect()


@pytest.mark.django_db(transaction=True)
def test_bridge_survives_broker_restart_and_own_restart_without_losing_acknowledged_messages(
    tmp_path: Any,
) -> None:
    import shutil

    if shutil.which("mosquitto") is None:
        _no_mosquitto_binary()
    ds = make_datastream()
    topic = f"v1.1/Datastreams({ds.pk})/Observations"
    broker = PrivateBroker(tmp_path)
    broker.start()
    client_id = f"konzeptk-test-{uuid.uuid4().hex[:8]}"
    bridge = Bridge(broker.url, client_id=client_id)
    bridge.start()
    try:
        assert bridge.connected.wait(5)
        time.sleep(0.3)
        _publish(broker.port, topic, range(300))
        broker.stop()  # the broker goes away, probably while the bridge still works on a batch
        assert _wait(lambda: not bridge.connected.is_set(), 5)
        time.sleep(1)
        broker.start()
        _publish(broker.port, topic, range(300, 400))  # acknowledged by the broker before the bridge is back
        assert _wait(lambda: ds.observations.count() >= 400, 40), ds.observations.count()
        bridge.stop()
        # the bridge itself goes away: its persistent session collects the messages meanwhile
        _publish(broker.port, topic, range(400, 450))
        bridge = Bridge(broker.url, client_id=client_id)
        bridge.start()
        assert _wait(lambda: ds.observations.count() >= 450, 20), ds.observations.count()
        time.sleep(0.5)  # anything redelivered twice would arrive now
    finally:
        bridge.stop()
        broker.stop()
    values = list(ds.observations.order_by("result_number").values_list("result_number", flat=True))
    assert values == [float(i) for i in range(450)]  # none lost, none twice


@pytest.mark.django_db
def test_bridge_notifications_equal_those_of_the_other_write_paths() -> None:
    from konzeptk.sensing import models as m
    from konzeptk.sensing.mqtt_bridge import Message, process_batch
    from konzeptk.sensing.mqtt_publish import notifications_for, row_notifications

    ds = make_datastream()
    topic = f"v1.1/Datastreams({ds.pk})/Observations"
    payload = {"phenomenonTime": "2024-01-01T00:00:00.5+01:00", "result": 2, "parameters": {"x": 1}}
    _results, stored = process_batch([Message(topic, json.dumps(payload).encode())])
    expected = notifications_for([("Observation", m.Observation.objects.get())])
    assert row_notifications(stored) == expected
    assert {t for t, _body in expected} == {
        "v1.1/Observations",
        topic,
        f"v1.1/FeaturesOfInterest({m.Observation.objects.get().feature_of_interest_id})/Observations",
    }


def test_demo_bridge_process_ends_with_its_parent(broker: str, tmp_path: Any) -> None:
    import subprocess
    import sys

    env = {
        **os.environ,
        "MQTT_URL": broker,
        "KONZEPTK_DEMO": "1",
        "DJANGO_SETTINGS_MODULE": "konzeptk.settings",
    }
    env["KONZEPTK_DATA_DIR"] = str(tmp_path)
    code = (
        "import django, time; django.setup(); "
        "from konzeptk.sensing.mqtt_bridge import start_bridge_process; "
        "print(start_bridge_process().pid, flush=True); time.sleep(8)"
    )
    log = tmp_path / "demo.log"
    with log.open("w") as output:  # a file, not a pipe: the bridge inherits it and keeps writing
        subprocess.run(
            [sys.executable, "-c", code], env=env, stdout=output, stderr=output, timeout=60, check=True
        )
    child = int(log.read_text().split()[0])

    def gone() -> bool:
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            return True
        # a zombie has ended but waits for its (gone) parent to be reaped
        with open(f"/proc/{child}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] == "Z"

    assert _wait(gone, 20), "die Brücke lief nach dem Ende des Demo-Prozesses weiter"
    from konzeptk.sensing.mqtt_bridge import forget_session

    forget_session(broker, "konzeptk-demo-bridge")
    output = log.read_text()
    assert "MQTT-Brücke verbindet sich" in output  # it really ran …
    assert "MQTT-Brücke beendet." in output  # … and stopped cleanly


def test_create_observations_notifies_every_new_observation(
    tmp_path: Any, sta: Any, org: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    import shutil

    from konzeptk.sensing import mqtt_publish

    if shutil.which("mosquitto") is None:
        _no_mosquitto_binary()
    # a broker configured as the README asks for production (max_queued_messages well above Mosquitto's
    # default of 1000, which may drop notifications for a subscriber that reads slower than they arrive)
    own = PrivateBroker(tmp_path)
    own.start()
    broker = own.url
    settings.MQTT_URL = broker
    mqtt_publish._client = None
    ds = make_datastream(org=org)
    topic = f"v1.1/Datastreams({ds.pk})/Observations"
    sub = Subscriber(broker, [topic])
    rows = [[f"2024-01-01T00:{i // 60:02d}:{i % 60:02d}Z", i] for i in range(1500)]
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = sta.post(
                "CreateObservations",
                [
                    {
                        "Datastream": {"@iot.id": ds.pk},
                        "components": ["phenomenonTime", "result"],
                        "dataArray": rows,
                    }
                ],
            )
        assert response.status_code == 201
        assert _wait(lambda: len(sub.on(topic)) >= 1500, 10), len(sub.on(topic))
    finally:
        sub.close()
        if mqtt_publish._client is not None:
            mqtt_publish._client.loop_stop()
            mqtt_publish._client.disconnect()
        mqtt_publish._client = None
        partitions.forget_cache()  # the on-commit callbacks ran, but the test's transaction is rolled back
        own.stop()
    assert sorted(p["result"] for p in sub.on(topic)) == list(range(1500))
