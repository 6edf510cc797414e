from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from konzeptk.sensing.odata.errors import ParseError
from konzeptk.sensing.timeutil import parse_instant


class IngestError(ValueError):
    """The message is not an uplink this adapter understands (answered with 400, logged)."""


@dataclass(frozen=True)
class Uplink:
    network: str
    dev_eui: str
    dedup_key: str
    received_at: dt.datetime  # when the network server received it
    device_time: dt.datetime | None  # the time the device (or gateway) reports, if any
    decoded: dict[str, Any]
    raw: dict[str, Any]


class Adapter:
    name: str = ""
    label: str = ""

    def parse(self, payload: Any) -> Uplink:  # pragma: no cover - interface
        raise NotImplementedError


ADAPTERS: dict[str, Adapter] = {}


def register(cls: type[Adapter]) -> type[Adapter]:
    ADAPTERS[cls.name] = cls()
    return cls


def get(data: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def optional_time(value: Any) -> dt.datetime | None:
    if value in (None, ""):
        return None
    try:
        return parse_instant(value)
    except ParseError:
        return None


def required_time(value: Any, what: str) -> dt.datetime:
    parsed = optional_time(value)
    if parsed is None:
        raise IngestError(f"{what} fehlt oder ist kein Zeitpunkt")
    return parsed


def clean_eui(value: Any) -> str:
    if not isinstance(value, str) or not value or len(value) > 32:
        raise IngestError("DevEUI fehlt")
    eui = value.strip().upper()
    if not all(c in "0123456789ABCDEF" for c in eui):
        raise IngestError("DevEUI ist nicht hexadezimal")
    return eui
