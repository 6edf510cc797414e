"""Places of events: one :class:`Venue` per normalised name, its district from the city profile."""

from __future__ import annotations

from konzeptk.city.selectors import district_for
from konzeptk.events.matching import normalise
from konzeptk.events.models import Venue


def venue_key(name: str, address: str = "") -> str:
    return normalise(f"{name} {address}")[:300]


def venue_resolve(
    *, name: str, lat: float | None = None, lon: float | None = None, address: str = ""
) -> Venue | None:
    """The venue of that name (and address), created when new; None without a name or a point.

    The district is looked up with ``city.selectors.district_for`` when the point is known; a point
    outside the city keeps no district."""
    name = name.strip()[:200]
    if not name and (lat is None or lon is None):
        return None
    key = venue_key(name or f"{lat:.5f} {lon:.5f}", address)
    venue = Venue.objects.filter(key=key).first()
    if venue is not None:
        if venue.lat is None and lat is not None and lon is not None:
            venue.lat, venue.lon = lat, lon
            venue.district = district_for(lat, lon).district
            venue.save(update_fields=["lat", "lon", "district"])
        return venue
    district = district_for(lat, lon).district if lat is not None and lon is not None else None
    return Venue.objects.create(
        name=name or address or f"{lat:.5f}, {lon:.5f}",
        address=address.strip()[:300],
        lat=lat,
        lon=lon,
        district=district,
        key=key,
    )
