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


@pytest.fixture
def broker() -> str:
    if not _broker_answers():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Kein MQTT-Broker unter {URL}, aber CI=true: der Broker gehört zur CI-Umgebung.")
        pytest.skip(f"Kein MQTT-Broker antwortet unter {URL} (lokal ohne Mosquitto).")
    return URL


def _wait(predicate: Any, timeout: float = 5.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
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
