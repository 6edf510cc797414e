"""What the home page shows of the rooms above core (a registry): the front door of the platform.

core is on floor 0 and may not import the rooms that hold processes, answers, sensors, reports or
indicators. Each of those rooms registers a small provider in its ``AppConfig.ready()``; the home page
asks every provider once and shows what they return:

- running processes with the phase that runs and its deadline (:class:`RunningProcess`),
- the latest official answers to ideas (:class:`IdeaAnswer`),
- a few live figures of the city, each linked to its dashboard (:class:`CityFigure`), among them how
  many indicators of the strategy are on course.

A provider reads through its room's selectors with a fixed number of queries, whatever the amount of
data, and returns at most ``limit`` items per kind; the home page's query count is asserted constant
(``core/tests/test_front_door.py``). A provider that fails is left out and logged: the front door
never breaks because one room does.

The home page is the most visited page: :func:`cached_front_door` keeps the result per language for
``KONZEPTK_FRONT_DOOR_SECONDS`` seconds (default 60; 0 switches it off) in the default cache, so the
figures are at most a minute old and the providers run once a minute, not on every visit.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

log = logging.getLogger(__name__)

#: how many processes and answers the home page shows at most
LIMIT = 4


@dataclass(frozen=True)
class RunningProcess:
    title: str
    url: str
    phase: str
    deadline: dt.datetime
    teaser: str = ""


@dataclass(frozen=True)
class IdeaAnswer:
    idea: str
    url: str
    status: str
    answered_at: dt.datetime
    process: str


@dataclass(frozen=True)
class CityFigure:
    """One live figure: ``value`` already formatted for the active language."""

    label: str
    value: str
    url: str
    link_text: str
    measured_at: dt.datetime | None = None  # a reading at a moment …
    measured_on: dt.date | None = None  # … or the sum of a day
    note: str = ""
    order: int = 100


@dataclass(frozen=True)
class Contribution:
    processes: Sequence[RunningProcess] = ()
    answers: Sequence[IdeaAnswer] = ()
    figures: Sequence[CityFigure] = ()


Provider = Callable[[int], Contribution]

_providers: dict[str, Provider] = {}


def register_front_door(name: str, provider: Provider) -> None:
    """Register (or replace) the provider ``name`` (e.g. ``"sensing"``); it gets the limit per kind."""
    _providers[name] = provider


def providers() -> dict[str, Provider]:
    return dict(_providers)


@dataclass
class FrontDoor:
    processes: list[RunningProcess] = field(default_factory=list)
    answers: list[IdeaAnswer] = field(default_factory=list)
    figures: list[CityFigure] = field(default_factory=list)


def front_door(limit: int = LIMIT) -> FrontDoor:
    """Everything the providers contribute: processes by deadline, answers newest first, figures in
    their order."""
    result = FrontDoor()
    for name, provider in _providers.items():
        try:
            part = provider(limit)
        except Exception:  # one room's failure must not close the front door
            log.exception("front door provider %s failed", name)
            continue
        result.processes.extend(part.processes)
        result.answers.extend(part.answers)
        result.figures.extend(part.figures)
    result.processes = sorted(result.processes, key=lambda p: p.deadline)[:limit]
    result.answers = sorted(result.answers, key=lambda a: a.answered_at, reverse=True)[:limit]
    result.figures.sort(key=lambda f: f.order)
    return result


def cached_front_door(limit: int = LIMIT) -> FrontDoor:
    """:func:`front_door`, kept for ``KONZEPTK_FRONT_DOOR_SECONDS`` per language in the default cache."""
    seconds = int(getattr(settings, "KONZEPTK_FRONT_DOOR_SECONDS", 60))
    if seconds <= 0:
        return front_door(limit)
    key = f"konzeptk:front-door:{get_language() or 'de'}:{limit}"
    found = cache.get(key)
    if isinstance(found, FrontDoor):
        return found
    result = front_door(limit)
    cache.set(key, result, seconds)
    return result
