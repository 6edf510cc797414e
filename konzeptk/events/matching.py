"""When two events are the same: normalised title, start within a tolerance, same place.

Pure functions, no database: the importer and the services ask them about candidates they loaded.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass

START_TOLERANCE = dt.timedelta(minutes=30)
PLACE_DISTANCE_METRES = 250.0
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def normalise(text: str) -> str:
    """Lower case, without accents, punctuation and repeated spaces (``„Tag der Smart City“ 2024`` →
    ``tag der smart city 2024``); ß becomes ss so that spelling variants match."""
    folded = unicodedata.normalize("NFKD", text.casefold().replace("ß", "ss"))
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return _NOT_WORD.sub(" ", plain).strip()[:200]


def distance_metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance of two (lat, lon) points (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6_371_000 * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True)
class Candidate:
    """What is compared of an event."""

    title_key: str
    start: dt.datetime
    place_key: str
    point: tuple[float, float] | None


def same_place(a: Candidate, b: Candidate) -> bool:
    if a.place_key and a.place_key == b.place_key:
        return True
    if a.point is not None and b.point is not None:
        return distance_metres(a.point, b.point) <= PLACE_DISTANCE_METRES
    return not a.place_key and not b.place_key and a.point is None and b.point is None


def is_duplicate(a: Candidate, b: Candidate) -> bool:
    """Same normalised title, starts at most :data:`START_TOLERANCE` apart, same place."""
    return (
        bool(a.title_key)
        and a.title_key == b.title_key
        and abs(a.start - b.start) <= START_TOLERANCE
        and same_place(a, b)
    )
