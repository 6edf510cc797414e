"""The floors of the house, declared once (docs/architecture.md, "Etagen und Räume").

A room (app) may import rooms on its own floor and below, never above. An upper room that wants to
add something to a lower one plugs into the lower room's registry instead (phase types, export and
erasure sections, demo content, benchmarks, server companions, …). The layering test
``konzeptk/core/tests/test_architecture.py`` reads this table and the import graph of the source.

Plain data and no imports: rooms that are planned but not built yet are listed already, so a new
app lands on the floor the plan gives it.
"""

from __future__ import annotations

from typing import Final

#: floor -> the rooms (app labels under ``konzeptk/``) on it
FLOORS: Final[dict[int, tuple[str, ...]]] = {
    0: ("core", "city", "accounts", "notifications"),
    1: (
        "strategy",
        "participation",
        "surveys",
        "ballots",
        "sensing",
        "servicedesk",
        "education",
        "innercity",
        "interimuse",
        "events",
        "economy",
    ),
    2: ("insights", "resilience", "climate"),
    3: ("opendata",),
}

#: Modules of the project package itself (``konzeptk/<name>.py``) that sit on a floor like a room.
#: ``konzeptk.bench`` holds helpers every room's benchmark uses, ``konzeptk.celery`` the Celery app every
#: room's tasks bind to (it finds the tasks itself), ``konzeptk.floors`` is this table.
#: The other project modules (settings, urls, api, cli, celery, wsgi, conftest, __main__) are the
#: roof: they may import every room, and no room imports them.
PROJECT_MODULES_ON_FLOOR: Final[dict[str, int]] = {"bench": 0, "celery": 0, "floors": 0}

#: Packages that run without Django (a worker, a notebook, a benchmark): they import neither Django
#: nor any project module outside themselves.
DJANGO_FREE: Final[tuple[str, ...]] = ("konzeptk.insights.engine", "konzeptk.sensing.odata")


def floor_of(room: str) -> int | None:
    """The floor of a room (app label), or None when the table does not know it."""
    for floor, rooms in FLOORS.items():
        if room in rooms:
            return floor
    return None
