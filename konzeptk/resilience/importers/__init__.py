"""Readers of official warnings: DWD CAP 1.2 (:mod:`.dwd`) and NINA/MoWaS JSON (:mod:`.nina`).

A reader turns a received document into CAP alerts (:class:`konzeptk.resilience.cap.Alert`) and the
errors of single messages; :mod:`konzeptk.resilience.imports` stores them. A document that is not
readable at all raises :class:`konzeptk.resilience.cap.CapError` (the run fails and nothing is stored).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from konzeptk.resilience.cap import Alert

#: fetches the bytes behind an address (a URL or a file path)
Fetch = Callable[[str], bytes]


@dataclass
class Batch:
    """What a reader found in one document: the alerts with their raw text, and per-message errors."""

    alerts: list[tuple[Alert, str]] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)

    @property
    def read(self) -> int:
        return len(self.alerts) + len(self.errors)
