"""ChirpStack v4 uplink event (HTTP integration ``?event=up`` or MQTT ``application/…/event/up``)."""

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
class ChirpStack(Adapter):
    name = "chirpstack"
    label = "ChirpStack v4"

    def parse(self, payload: Any) -> Uplink:
        if not isinstance(payload, dict) or not isinstance(payload.get("deviceInfo"), dict):
            raise IngestError("Kein Uplink-Ereignis von ChirpStack (deviceInfo fehlt)")
        dev_eui = clean_eui(get(payload, "deviceInfo", "devEui"))
        received_at = required_time(payload.get("time"), "time")
        decoded = payload.get("object") or {}
        if not isinstance(decoded, dict):
            raise IngestError("object ist kein Objekt")
        rx = payload.get("rxInfo") or [{}]
        gateway_time = rx[0].get("gwTime") if isinstance(rx[0], dict) else None
        device_time = optional_time(decoded.get("time")) or optional_time(gateway_time)
        dedup = str(payload.get("deduplicationId") or f"{payload.get('fCnt', 0)}:{received_at.isoformat()}")[
            :128
        ]
        return Uplink(self.name, dev_eui, dedup, received_at, device_time, decoded, payload)
