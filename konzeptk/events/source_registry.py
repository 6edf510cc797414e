"""Registry of event-like items from other rooms (e.g. the courses of the education network).

A room that has dated items registers a provider from its ``AppConfig.ready()``::

    from konzeptk.events.source_registry import ExternalEvent, register_event_source
    register_event_source("education", provider)

``provider(start, end)`` returns :class:`ExternalEvent` items starting in ``[start, end)`` (aware
datetimes), at most :data:`MAX_PER_SOURCE`; it must not write. The calendar shows them in its own
section of the list, in ``kalender.ics`` and in ``selectors.event_days``. ``events`` never imports
the providing room: the arrow points only through this registry.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

logger = logging.getLogger(__name__)

MAX_PER_SOURCE = 200


@dataclass(frozen=True)
class ExternalEvent:
    """An item of another room, as the calendar shows it."""

    source: str  # the registering room, e.g. "education"
    key: str  # stable id within the source (used for the iCalendar UID)
    title: str
    start: dt.datetime
    url: str  # a path of the platform
    end: dt.datetime | None = None
    place: str = ""
    address: str = ""
    district_code: str = ""
    topic: str = "bildung"
    lat: float | None = None
    lon: float | None = None
    description: str = ""
    is_free: bool | None = None


Provider = Callable[[dt.datetime, dt.datetime], Iterable[ExternalEvent]]

_providers: dict[str, Provider] = {}


def register_event_source(name: str, provider: Provider) -> None:
    """Register (or replace) the provider of room ``name``."""
    _providers[name] = provider


def unregister_event_source(name: str) -> None:
    _providers.pop(name, None)


def event_sources() -> dict[str, Provider]:
    return dict(_providers)


def external_events(start: dt.datetime, end: dt.datetime) -> list[ExternalEvent]:
    """Items of every registered source, sorted by start; a failing source is logged and left out."""
    items: list[ExternalEvent] = []
    for name, provider in sorted(_providers.items()):
        try:
            found = list(provider(start, end))[:MAX_PER_SOURCE]
        except Exception:  # a broken room must not break the calendar
            logger.exception("event source %s failed", name)
            continue
        items.extend(item for item in found if start <= item.start < end)
    return sorted(items, key=lambda item: (item.start, item.source, item.key))
