"""Value sources an indicator can bind to besides a datastream: other rooms register a current figure here.

Strategy sits on a low floor and must not import the rooms above it; they register their figures from
their ``AppConfig.ready()`` instead (e.g. the open data catalogue registers the share of datasets with
good metadata). A source is a name, a German label and a callable returning the current value (a float,
or None while there is nothing to measure). :func:`konzeptk.strategy.services.indicator_refresh_from_data`
writes that value as the current year's value of the bound indicator.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ValueSource:
    name: str
    label: str
    value: Callable[[], float | None]


_SOURCES: dict[str, ValueSource] = {}


def register_source(name: str, *, label: str, value: Callable[[], float | None]) -> ValueSource:
    """Register (or replace, so a repeated ``ready()`` is harmless) the value source of this name."""
    source = ValueSource(name=name, label=label, value=value)
    _SOURCES[name] = source
    return source


def unregister_source(name: str) -> None:
    _SOURCES.pop(name, None)


def get_source(name: str) -> ValueSource | None:
    return _SOURCES.get(name)


def all_sources() -> list[ValueSource]:
    """The registered sources, sorted by label (for choices in forms and the admin)."""
    return sorted(_SOURCES.values(), key=lambda s: s.label)
