"""„Weiße Flecken“: districts where a group finds no suitable learning offer on site nearby.

Pure functions (no database): :mod:`konzeptk.education.white_spot_selectors` reads the offers with a
place, the districts' anchor points and the city's venues in a fixed number of queries and hands them
in as plain data; the page and the tests call :func:`white_spots` alike.

The rule, as the page explains it: a district has a white spot for a group when no suitable offer
takes place within ``radius_km`` of the district's anchor point (its Bürgerbüro or estimated centre
from the city profile, else the centre of its area) in the time window. An offer is *suitable* when

* it is on site (not online) with a known place, and is a course, a single event or an open
  learning place (lending items and online material are not counted);
* it happens in the window: a session starts between now and the end of the window, or it is an
  open learning place with opening hours;
* its age range touches the group's ages (an offer without a lower age limit is counted from 18,
  one without an upper limit for every age above its lower one);
* it is taught in the chosen language and teaches a competence of the chosen DigComp area, if those
  were chosen.

For every white spot the result names who could fill it: the providers with suitable offers
elsewhere (nearest first) and the city's venues for the group nearest to the anchor point (senior
meeting places, youth centres, libraries …).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

#: kinds of offer that take place on site and count for white spots
ON_SITE_KINDS = ("course", "event", "place")
#: an offer without a lower age limit is counted from this age
DEFAULT_AGE_MIN = 18
DEFAULT_RADIUS_KM = 2.0
DEFAULT_WEEKS = 8
#: how many offers, providers and venues a spot lists
LISTED = 3


@dataclass(frozen=True)
class AgeGroup:
    key: str
    label: str | Promise
    age_min: int
    age_max: int | None
    #: city profile venue categories where offers for this group could take place
    venue_categories: tuple[str, ...]


AGE_GROUPS: tuple[AgeGroup, ...] = (
    AgeGroup("children", _("Kinder (6 bis 11 Jahre)"), 6, 11, ("school", "library", "youth")),
    AgeGroup("youth", _("Jugendliche (12 bis 17 Jahre)"), 12, 17, ("youth", "school", "library")),
    AgeGroup("adults", _("Erwachsene (18 bis 64 Jahre)"), 18, 64, ("education", "library", "university")),
    AgeGroup(
        "seniors", _("Seniorinnen und Senioren (ab 65 Jahren)"), 65, None, ("seniors", "library", "education")
    ),
)
AGE_GROUP_BY_KEY = {group.key: group for group in AGE_GROUPS}


@dataclass(frozen=True)
class Anchor:
    """A point a district is measured from. A district may have several (a district made of older
    ones keeps their anchor points); ``key`` tells them apart."""

    district_id: int
    name: str
    lat: float
    lon: float
    anchor_name: str = ""
    key: str = ""


@dataclass(frozen=True)
class Place:
    """An offer with a place, as far as white spots need it."""

    offer_id: int
    slug: str
    title: str
    provider_id: int
    provider_name: str
    kind: str
    lat: float
    lon: float
    age_min: int | None = None
    age_max: int | None = None
    languages: frozenset[str] = frozenset({"de"})
    areas: frozenset[int] = frozenset()
    next_start: dt.datetime | None = None  # the next session that is not cancelled
    opening_hours: str = ""
    online: bool = False


@dataclass(frozen=True)
class Venue:
    """A place of the city profile where an offer could take place."""

    name: str
    category: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Need:
    """What a group needs: an age group, and optionally a language and a DigComp area."""

    age: AgeGroup
    language: str = ""
    area: int | None = None


@dataclass(frozen=True)
class Criteria:
    """What the coordination circle asks for: a need, the radius and the weeks ahead."""

    age: AgeGroup
    language: str = ""
    area: int | None = None
    radius_km: float = DEFAULT_RADIUS_KM
    weeks: int = DEFAULT_WEEKS

    def need(self, age: AgeGroup | None = None) -> Need:
        return Need(age=age or self.age, language=self.language, area=self.area)


@dataclass(frozen=True)
class Window:
    now: dt.datetime
    until: dt.datetime

    @classmethod
    def weeks(cls, now: dt.datetime, weeks: int) -> Window:
        return cls(now=now, until=now + dt.timedelta(weeks=weeks))


@dataclass(frozen=True)
class Nearby:
    place: Place
    km: float


@dataclass(frozen=True)
class Filler:
    """A provider with suitable offers elsewhere."""

    provider_id: int
    provider_name: str
    km: float  # distance of its nearest suitable offer
    offers: int  # number of its suitable offers


@dataclass
class Spot:
    anchor: Anchor
    need: Need
    within: list[Nearby] = field(default_factory=list)  # suitable offers in reach, nearest first
    nearest_outside: Nearby | None = None
    fillers: list[Filler] = field(default_factory=list)
    venues: list[tuple[Venue, float]] = field(default_factory=list)
    offers_in_reach: int = 0

    @property
    def white(self) -> bool:
        return self.offers_in_reach == 0


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (haversine, mean earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def in_window(place: Place, window: Window) -> bool:
    if place.next_start is not None and window.now <= place.next_start < window.until:
        return True
    return place.kind == "place" and bool(place.opening_hours.strip())


def fits_age(place: Place, group: AgeGroup) -> bool:
    low = DEFAULT_AGE_MIN if place.age_min is None else place.age_min
    high = place.age_max  # None: no upper limit
    group_high = group.age_max
    return (high is None or high >= group.age_min) and (group_high is None or low <= group_high)


def suits(place: Place, need: Need, window: Window) -> bool:
    """Is this offer suitable for the need in the window (place and distance aside)?"""
    return (
        not place.online
        and place.kind in ON_SITE_KINDS
        and in_window(place, window)
        and fits_age(place, need.age)
        and (not need.language or need.language in place.languages)
        and (need.area is None or need.area in place.areas)
    )


def white_spots(
    *,
    anchors: Sequence[Anchor],
    places: Iterable[Place],
    need: Need,
    window: Window,
    radius_km: float = DEFAULT_RADIUS_KM,
    venues: Sequence[Venue] = (),
) -> list[Spot]:
    """One :class:`Spot` per anchor (in the order given) for the need."""
    suitable = [p for p in places if suits(p, need, window)]
    spots = []
    for anchor in anchors:
        measured = sorted(
            (Nearby(p, distance_km(anchor.lat, anchor.lon, p.lat, p.lon)) for p in suitable),
            key=lambda n: (n.km, n.place.title, n.place.offer_id),
        )
        within = [n for n in measured if n.km <= radius_km]
        spot = Spot(anchor=anchor, need=need, within=within[:LISTED], offers_in_reach=len(within))
        if not within:
            spot.nearest_outside = measured[0] if measured else None
            spot.fillers = _fillers(measured)
            spot.venues = _venues(anchor, need.age, venues)
        spots.append(spot)
    return spots


def coverage(
    *,
    anchors: Sequence[Anchor],
    places: Sequence[Place],
    needs: Sequence[Need],
    window: Window,
    radius_km: float = DEFAULT_RADIUS_KM,
) -> dict[tuple[str, str], int]:
    """(anchor key, age group key) → number of suitable offers in reach, for the overview table."""
    out: dict[tuple[str, str], int] = {}
    for need in needs:
        for spot in white_spots(
            anchors=anchors, places=places, need=need, window=window, radius_km=radius_km
        ):
            out[(spot.anchor.key, need.age.key)] = spot.offers_in_reach
    return out


def _fillers(measured: list[Nearby]) -> list[Filler]:
    """Providers with suitable offers elsewhere, by the distance of their nearest one."""
    nearest: dict[int, Nearby] = {}
    counts: dict[int, int] = {}
    for n in measured:  # nearest first, so the first of a provider is its nearest
        nearest.setdefault(n.place.provider_id, n)
        counts[n.place.provider_id] = counts.get(n.place.provider_id, 0) + 1
    return [
        Filler(provider_id=pid, provider_name=n.place.provider_name, km=n.km, offers=counts[pid])
        for pid, n in list(nearest.items())[:LISTED]
    ]


def _venues(anchor: Anchor, group: AgeGroup, venues: Sequence[Venue]) -> list[tuple[Venue, float]]:
    """The group's venues nearest to the anchor."""
    measured = sorted(
        (
            (v, distance_km(anchor.lat, anchor.lon, v.lat, v.lon))
            for v in venues
            if v.category in group.venue_categories
        ),
        key=lambda item: (item[1], item[0].name),
    )
    return measured[:LISTED]
