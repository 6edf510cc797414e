"""The Things Stack v3 webhook / MQTT uplink message (``…/up``)."""

from __future__ import annotations

from typing import Any

from konzeptk.sensing.ingest.base import (
    Adapter,
    IngestError,
    Uplink,
    clean_eui,
    get,
    optional_time,
    register,
    required_time,
)


@register
class TheThingsStack(Adapter):
    name = "ttn"
    label = "The Things Stack v3"

    def parse(self, payload: Any) -> Uplink:
        if not isinstance(payload, dict) or not isinstance(payload.get("uplink_message"), dict):
            raise IngestError("Keine Uplink-Nachricht von The Things Stack (uplink_message fehlt)")
        message = payload["uplink_message"]
        dev_eui = clean_eui(get(payload, "end_device_ids", "dev_eui"))
        received_at = required_time(message.get("received_at") or payload.get("received_at"), "received_at")
        metadata = message.get("rx_metadata") or [{}]
        decoded = message.get("decoded_payload") or {}
        if not isinstance(decoded, dict):
            raise IngestError("decoded_payload ist kein Objekt")
        device_time = optional_time(decoded.get("time")) or optional_time(
            metadata[0].get("time") if isinstance(metadata[0], dict) else None
        )
        f_cnt = message.get("f_cnt", 0)
        dedup = f"{f_cnt}:{received_at.isoformat()}"
        return Uplink(self.name, dev_eui, dedup, received_at, device_time, decoded, payload)
