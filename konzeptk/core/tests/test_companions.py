"""The companion registry: ``konzeptk demo`` starts what the rooms registered (sensing's MQTT bridge)
without core knowing the rooms."""

from __future__ import annotations

import io
from typing import Any

import pytest

from konzeptk.core import companion_registry


def test_sensing_registers_its_bridge_and_starts_it_only_with_a_broker(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from konzeptk.sensing import mqtt_bridge

    started: list[object] = []
    monkeypatch.setattr(mqtt_bridge, "start_bridge_process", lambda out: started.append(out))
    start = companion_registry.companions()["sensing.mqtt_bridge"]
    out = io.StringIO()
    settings.MQTT_URL = ""
    start(out)
    assert started == []
    settings.MQTT_URL = "mqtt://127.0.0.1:1883"
    start(out)
    assert started == [out]


def test_start_companions_calls_every_starter_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(
        companion_registry,
        "_companions",
        {"a": lambda out: calls.append("a"), "b": lambda out: calls.append("b")},
    )
    companion_registry.register_companion("c", lambda out: calls.append("c"))
    companion_registry.start_companions(io.StringIO())
    assert calls == ["a", "b", "c"]
