"""Hooks that run after new observations are stored: how upper rooms react to arriving data without sensing
knowing them (resilience evaluates its rules here).

A room registers a hook from its ``AppConfig.ready()``::

    register_ingest_hook("resilience.rules", evaluate, watched=watched_datastream_ids)

Every write path of sensing (POST Observation, CreateObservations, the MQTT bridge, LoRaWAN uplinks,
``observation_ingest``, PATCH of an Observation) calls :func:`observations_written` once per request or
batch – never once per observation – with the earliest and latest phenomenon time per Datastream. The hooks
run **after the commit** (``transaction.on_commit``), so they only ever see stored data and a failing hook
never undoes a write; an exception in a hook is logged and the next hook still runs.

``watched`` names the Datastreams a hook cares about. Their union is kept for :data:`CACHE_SECONDS` in each
process (like ``writecache``), so a write to a Datastream nobody watches costs one set lookup and schedules
nothing. A room that changes what it watches calls :func:`forget_watched` (another process notices within
:data:`CACHE_SECONDS`; the watching room's scheduled safety net catches what fell in between). A hook
registered without ``watched`` sees every write.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction

log = logging.getLogger(__name__)

CACHE_SECONDS = 10.0


@dataclass(frozen=True)
class Written:
    """What one request or batch stored: per Datastream the earliest and latest phenomenon time and, where the
    writer knows them without extra work, the lowest and highest numeric result (a hook that finds a Datastream
    missing in ``results`` reads the stored values itself)."""

    spans: Mapping[int, tuple[dt.datetime, dt.datetime]]
    results: Mapping[int, tuple[float, float]] = field(default_factory=dict)

    @property
    def datastream_ids(self) -> frozenset[int]:
        return frozenset(self.spans)

    @property
    def start(self) -> dt.datetime:
        return min(start for start, _end in self.spans.values())

    @property
    def end(self) -> dt.datetime:
        return max(end for _start, end in self.spans.values())


Hook = Callable[[Written], None]
Watched = Callable[[], Iterable[int]]


@dataclass(frozen=True)
class _Entry:
    hook: Hook
    watched: Watched | None


_hooks: dict[str, _Entry] = {}
_watched: tuple[float, frozenset[int] | None] | None = (
    None  # (valid until, ids; None: a hook sees everything)
)


def register_ingest_hook(name: str, hook: Hook, *, watched: Watched | None = None) -> None:
    """Register ``hook`` under ``name`` (again: replaced, so a repeated ``ready()`` is harmless)."""
    _hooks[name] = _Entry(hook, watched)
    forget_watched()


def unregister_ingest_hook(name: str) -> None:
    _hooks.pop(name, None)
    forget_watched()


@contextmanager
def hooks_paused() -> Iterator[None]:
    """No hook runs inside (sensing's own benchmark: its temporary database holds only sensing's tables, so
    a hook reading its room's tables would fail there); the hooks are back afterwards."""
    saved = dict(_hooks)
    _hooks.clear()
    forget_watched()
    try:
        yield
    finally:
        _hooks.update(saved)
        forget_watched()


def forget_watched() -> None:
    """Read the watched Datastreams again at the next write (after a rule was added, changed or removed)."""
    global _watched
    _watched = None


def _watched_ids() -> frozenset[int] | None:
    global _watched
    if _watched is not None and _watched[0] >= time.monotonic():
        return _watched[1]
    ids: set[int] | None = set()
    for entry in _hooks.values():
        if entry.watched is None:
            ids = None
            break
        ids.update(entry.watched())  # type: ignore[union-attr]
    value = frozenset(ids) if ids is not None else None
    _watched = (time.monotonic() + CACHE_SECONDS, value)
    return value


def watches(datastream_id: int) -> bool:
    """Whether any hook wants to hear about writes to the Datastream (cheap; cached)."""
    if not _hooks:
        return False
    ids = _watched_ids()
    return ids is None or datastream_id in ids


def observations_written(
    spans: Mapping[int, tuple[dt.datetime, dt.datetime]],
    results: Mapping[int, tuple[float, float]] | None = None,
) -> None:
    """Tell the hooks, after the commit, that observations were stored (one call per request or batch);
    ``results``: the lowest and highest numeric result per Datastream, when the writer has them."""
    if not _hooks or not spans:
        return
    ids = _watched_ids()
    wanted = dict(spans) if ids is None else {pk: span for pk, span in spans.items() if pk in ids}
    if not wanted:
        return
    written = Written(wanted, {pk: pair for pk, pair in (results or {}).items() if pk in wanted})
    transaction.on_commit(lambda: _run(written))


def _run(written: Written) -> None:
    for name, entry in list(_hooks.items()):
        try:
            entry.hook(written)
        except Exception:  # the data is stored; a hook's failure is its room's to catch up (safety net)
            log.exception("Hook %s nach dem Speichern von Beobachtungen fehlgeschlagen", name)
