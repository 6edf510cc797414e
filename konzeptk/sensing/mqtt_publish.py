"""Publish entity changes to the MQTT broker (SensorThings 1.1 MQTT extension, "receive updates").

When ``MQTT_URL`` is set, every committed change is published (QoS 0, not retained) as the standard says:

- a **created** entity to its entity set ``v1.1/<Set>`` and to the navigation collections it was added to,
  e.g. a new observation to ``v1.1/Observations``, ``v1.1/Datastreams(<id>)/Observations`` and
  ``v1.1/FeaturesOfInterest(<id>)/Observations`` (the whole entity as JSON);
- an **updated** entity to ``v1.1/<Set>(<id>)`` (the whole entity) and, per changed property, to
  ``v1.1/<Set>(<id>)/<property>`` (``{"<property>": value}``).

``$select`` in subscription topics is not supported: with an external broker the platform cannot see which
topics are subscribed. Without a broker this does nothing; a broker that does not answer never fails a write.
Observations created by the MQTT bridge are published by the bridge itself (``notifications_for``).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.db import models

log = logging.getLogger(__name__)
_lock = threading.Lock()
_client: Any = None
# (entity name, object, names of the changed properties – or None for a created entity)
Change = tuple[str, models.Model] | tuple[str, models.Model, frozenset[str] | None]


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
            deadline = time.monotonic() + 2  # QoS 0 messages published before the CONNACK would be dropped
            while not client.is_connected() and time.monotonic() < deadline:
                time.sleep(0.01)
            _client = client
        return _client


def collection_topics(entity_name: str, parent_ids: dict[str, int | None]) -> list[str]:
    """Entity set and navigation collections a new entity appears in; ``parent_ids``: to-one nav → id."""
    from konzeptk.sensing.sta.schema import ENTITY_TYPES

    entity = ENTITY_TYPES[entity_name]
    topics = [f"v1.1/{entity.set_name}"]
    for nav_name, nav in entity.navs.items():
        parent_id = parent_ids.get(nav_name)
        if nav.many or parent_id is None:
            continue
        parent = ENTITY_TYPES[nav.target]
        back = next((n for n, v in parent.navs.items() if v.field == nav.reverse), None)
        if back:
            topics.append(f"v1.1/{parent.set_name}({parent_id})/{back}")
    return topics


def notifications_for(changed: Iterable[Change], base: str = "/sta/v1.1") -> list[tuple[str, str]]:
    """(topic, JSON payload) of the notifications for committed changes."""
    from konzeptk.sensing.sta.schema import ENTITY_TYPES
    from konzeptk.sensing.sta.serialize import serialize_plain

    messages: list[tuple[str, str]] = []
    for change in changed:
        entity_name, obj = change[0], change[1]
        changed_names = change[2] if len(change) > 2 else None
        entity = ENTITY_TYPES[entity_name]
        data = serialize_plain(entity_name, obj, base)
        body = json.dumps(data)
        if changed_names is None:
            parents = {
                nav_name: getattr(obj, f"{nav.field}_id", None)
                for nav_name, nav in entity.navs.items()
                if not nav.many
            }
            messages += [(topic, body) for topic in collection_topics(entity_name, parents)]
            continue
        topic = f"v1.1/{entity.set_name}({obj.pk})"
        messages.append((topic, body))
        for name in sorted(changed_names):
            if name in data:
                messages.append((f"{topic}/{name}", json.dumps({name: data[name]})))
    return messages


def row_notifications(stored: Iterable[tuple[int, Any]], base: str = "/sta/v1.1") -> list[tuple[str, str]]:
    """The notifications of new observations from their (id, ``storage.Row``): the same JSON and topics as
    :func:`notifications_for`, without model instances (bulk and MQTT ingestion)."""
    from types import SimpleNamespace

    from konzeptk.sensing.sta.schema import OBSERVATION
    from konzeptk.sensing.sta.serialize import serialize

    topics: dict[tuple[int, int | None], list[str]] = {}
    messages = []
    for pk, row in stored:
        key = (row.datastream_id, row.feature_of_interest_id)
        if key not in topics:
            topics[key] = collection_topics(
                "Observation", {"Datastream": key[0], "FeatureOfInterest": key[1]}
            )
        data = serialize(OBSERVATION, SimpleNamespace(pk=pk, **row._asdict()), base, None)  # type: ignore[arg-type]
        body = json.dumps(data)
        messages += [(topic, body) for topic in topics[key]]
    return messages


def publish_messages(messages: list[tuple[str, str]]) -> None:
    if not settings.MQTT_URL:
        return
    try:
        client = _connect()
        for topic, body in messages:
            client.publish(topic, body, qos=0)
    except Exception:  # the write is committed; publishing is best effort
        log.exception("MQTT-Veröffentlichung fehlgeschlagen")


def publish_changes(changed: list[Change]) -> None:
    if settings.MQTT_URL:
        publish_messages(notifications_for(changed))
