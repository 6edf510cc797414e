"""Processes that run beside the server of ``konzeptk demo`` and end with it (a registry).

A room that needs a process of its own next to the web server (sensing: the SensorThings MQTT
bridge) registers a starter in its ``AppConfig.ready()``; the demo command starts every registered
companion before it serves, without knowing the rooms. A starter decides itself whether it is
needed (e.g. only with ``MQTT_URL``) and writes one line to ``out`` when it starts something.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol


class Out(Protocol):
    """Where a starter reports: a command's ``self.stdout`` or any text stream."""

    def write(self, text: str, /) -> object: ...


Starter = Callable[[Out], object]

_companions: dict[str, Starter] = {}


def register_companion(name: str, start: Starter) -> None:
    """Register (or replace) the starter ``name``, e.g. ``"sensing.mqtt_bridge"``."""
    _companions[name] = start


def companions() -> dict[str, Starter]:
    return dict(_companions)


def start_companions(out: Out) -> None:
    """Start every registered companion, in the order the rooms registered them."""
    for start in _companions.values():
        start(out)
