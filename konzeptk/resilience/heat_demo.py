"""Demo cool places of the city profile pack (``demo/coolplaces.json``), loaded through the service.

Libraries and Bürgerbüros come from the profile's points of interest (``from_points``: category and
name, plus what the points do not say: kind, opening hours, access); parks, churches and drinking
fountains are listed in the file with their place. Idempotent: a place is found again by kind and name.
Called from ``resilience/demo.py``.
"""

from __future__ import annotations

from typing import Any

from konzeptk.city.demo_data import demo_data
from konzeptk.city.selectors import active_profile, points_of
from konzeptk.resilience.coolplaces import coolplace_save
from konzeptk.resilience.models import CoolPlace


def _save(entry: dict[str, Any], *, kind: str, name: str, address: str, lat: float, lon: float) -> CoolPlace:
    place = CoolPlace.objects.filter(kind=kind, name=name).first() or CoolPlace(kind=kind, name=name)
    place.address, place.lat, place.lon = address, lat, lon
    place.opening_hours = str(entry.get("opening_hours") or "")
    place.step_free = entry.get("step_free")
    place.simulated = bool(entry.get("simulated"))
    place.source_note = str(entry.get("source_note") or "")[:300]
    place.note = place.note_de = str(entry.get("note") or "")  # type: ignore[attr-defined]
    return coolplace_save(place=place)


def load_cool_places(*, out: Any) -> int:
    """Create or update the demo cool places; returns how many there are from the file."""
    data = demo_data("coolplaces")
    profile = active_profile()
    if data is None or profile is None:
        return 0
    count = 0
    for entry in data.get("from_points", []):
        point = points_of(profile, category=entry["category"]).filter(name=entry["name"]).first()
        if point is None:
            out.write(f"  Kühler Ort ohne Punkt im Stadtprofil übersprungen: {entry['name']}\n")
            continue
        _save(entry, kind=entry["kind"], name=point.name, address=point.address, lat=point.lat, lon=point.lon)
        count += 1
    for entry in data.get("places", []):
        _save(
            entry,
            kind=entry["kind"],
            name=entry["name"],
            address=entry.get("address", ""),
            lat=float(entry["lat"]),
            lon=float(entry["lon"]),
        )
        count += 1
    out.write(f"  Kühle Orte: {count}\n")
    return count
