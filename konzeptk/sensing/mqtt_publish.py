"""Publish entity changes to the MQTT broker (SensorThings MQTT extension, subscriptions).

When ``MQTT_URL`` is set, every committed create/update is published to ``v1.1/<EntitySet>``,
``v1.1/<EntitySet>(<id>)`` and, for observations, ``v1.1/Datastreams(<id>)/Observations``.
Without a broker this does nothing; a broker that does not answer never fails a write.
"""

from __future__ import annotations

import json
import logging
import threading
from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.db import models

log = logging.getLogger(__name__)
_lock = threading.Lock()
_client: Any = None


def _connect() -> Any:
    global _client
    with _lock:
        if _client is None:
            import paho.mqtt.client as mqtt

            url = urlparse(settings.MQTT_URL)
            client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="", protocol=mqtt.MQTTv311)
            if url.username:
                client.username_pw_set(url.username, url.password)
            client.connect_async(url.hostname or "127.0.0.1", url.port or 1883, keepalive=30)
            client.loop_start()
            _client = client
        return _client


def topics_for(entity_name: str, obj: models.Model) -> list[str]:
    from konzeptk.sensing.sta.schema import ENTITY_TYPES

    entity = ENTITY_TYPES[entity_name]
    topics = [f"v1.1/{entity.set_name}", f"v1.1/{entity.set_name}({obj.pk})"]
    for _nav_name, nav in entity.navs.items():
        if nav.many:
            continue
        parent_id = getattr(obj, f"{nav.field}_id", None)
        if parent_id is None:
            continue
        parent = ENTITY_TYPES[nav.target]
        back = next((n for n, v in parent.navs.items() if v.field == nav.reverse), None)
        if back:
            topics.append(f"v1.1/{parent.set_name}({parent_id})/{back}")
    return topics


def publish_changes(changed: list[tuple[str, models.Model]]) -> None:
    if not settings.MQTT_URL:
        return
    from konzeptk.sensing.sta.serialize import serialize_plain

    try:
        client = _connect()
        for entity_name, obj in changed:
            body = json.dumps(serialize_plain(entity_name, obj))
            for topic in topics_for(entity_name, obj):
                client.publish(topic, body, qos=0)
                prop_payloads = json.loads(body)
                for key, value in prop_payloads.items():
                    if not key.startswith("@") and "@" not in key and topic.endswith(")"):
                        client.publish(f"{topic}/{key}", json.dumps({key: value}), qos=0)
    except Exception:  # the write is committed; publishing is best effort
        log.exception("MQTT-Veröffentlichung fehlgeschlagen")
