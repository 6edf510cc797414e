"""Where without a map: the city profile's own places, looked up locally (no geocoding service).

A resident without a map or GPS can name a known place nearby (a school, a bath, an office of
the city: the points of interest of the city profile) or type an address. An address is not
geocoded: the platform has no address register and sends nothing to outside services. If the
typed street is the street of a known place, the report is placed there, approximately (the
nearest house number of that street among the known places); otherwise the centre of the chosen
district is used. Both are marked as not exact (``location_precise=False``) and the typed
description always goes to the staff.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext_lazy as _

from konzeptk.city.models import PointOfInterest
from konzeptk.city.selectors import active_profile

# The kinds of places in the city profile (city/profiles/<city>/profile.json), as shown in the form.
GROUP_LABELS = {
    "administration": _("Ämter und städtische Einrichtungen"),
    "school": _("Schulen"),
    "education": _("Bildung und Weiterbildung"),
    "library": _("Bibliotheken"),
    "university": _("Hochschulen"),
    "museum": _("Museen"),
    "hospital": _("Krankenhäuser"),
    "swimming": _("Bäder"),
    "youth": _("Jugendzentren"),
    "seniors": _("Senioreneinrichtungen"),
}

_NUMBER = re.compile(r"^(.*?)[\s,]+(\d+)\s*[a-zA-Z]?\b")
_POSTCODE_AND_CITY = re.compile(r"[\s,]+\d{5}\b.*$")


@dataclass(frozen=True)
class Place:
    pk: int
    name: str
    address: str
    lat: float
    lon: float
    group: str
    street_key: str
    number: int | None

    @property
    def label(self) -> str:
        street = _POSTCODE_AND_CITY.sub("", self.address)
        return f"{self.name} – {street}" if street else self.name


def street_key(text: str) -> tuple[str, int | None]:
    """("ostwall", 10) for "Ostwall 10, 47798 Krefeld"; spelling of "Straße" and case do not matter."""
    text = text.strip().split(",")[0]
    match = _NUMBER.match(text)
    street, number = (match[1], int(match[2])) if match else (text, None)
    street = street.casefold().replace("ß", "ss")
    street = re.sub(r"str\.|strasse\b", "strasse", street)
    street = re.sub(r"[^a-z0-9äöü]", "", street)
    return street, number


@lru_cache(maxsize=8)
def _places(profile_id: int, stamp: str) -> tuple[Place, ...]:
    result = []
    for point in PointOfInterest.objects.filter(profile_id=profile_id).order_by("category", "name"):
        key, number = street_key(point.address) if point.address else ("", None)
        result.append(
            Place(
                pk=point.pk,
                name=point.name,
                address=point.address,
                lat=point.lat,
                lon=point.lon,
                group=point.category,
                street_key=key,
                number=number,
            )
        )
    return tuple(result)


def known_places() -> tuple[Place, ...]:
    profile = active_profile()
    if profile is None:
        return ()
    return _places(profile.pk, profile.loaded_at.isoformat())


def place_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    """The known places grouped by kind, for a select with optgroups."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for place in known_places():
        groups.setdefault(place.group, []).append((place.pk, place.label))
    order = {group: i for i, group in enumerate(GROUP_LABELS)}
    return [
        (str(GROUP_LABELS.get(group, group.title())), groups[group])
        for group in sorted(groups, key=lambda g: (order.get(g, len(order)), g))
    ]


def place_by_pk(pk: int) -> Place | None:
    return next((p for p in known_places() if p.pk == pk), None)


def place_in_street(address: str) -> Place | None:
    """A known place in the typed street (the nearest house number), or None."""
    key, number = street_key(address)
    if len(key) < 3:
        return None
    same_street = [p for p in known_places() if p.street_key == key]
    if not same_street:
        return None
    if number is None:
        return same_street[0]
    return min(same_street, key=lambda p: abs((p.number or 0) - number))
