"""Helpers of the heat-protection tests: a small test city and cool places saved through the service."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from konzeptk.city.models import CityProfile, District
from konzeptk.city.tests.factories import split_city
from konzeptk.resilience.coolplaces import coolplace_save
from konzeptk.resilience.models import CoolPlace

BERLIN = ZoneInfo("Europe/Berlin")
CENTRE = (51.334, 6.559)  # the test city's centre (west district)
EAST = (51.334, 6.640)  # a point in the east district


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BERLIN)  # type: ignore[misc, arg-type]


def make_city() -> tuple[CityProfile, District, District]:
    """A rectangular city around Krefeld: "Mitte" west of 6.60, "Ost" east of it; centre at CENTRE."""
    return split_city(bounds=(6.50, 51.30, 6.70, 51.40), split=6.60, names=("Mitte", "Ost"), center=CENTRE)


def make_place(
    name: str,
    *,
    kind: str = CoolPlace.Kind.LIBRARY,
    opening_hours: str = "Mo-Sa 10:00-18:00; PH off",
    where: tuple[float, float] = CENTRE,
    on: dt.date | None = None,
    **fields: Any,
) -> CoolPlace:
    place = CoolPlace(
        kind=kind,
        name=name,
        address=f"{name}straße 1",
        lat=where[0],
        lon=where[1],
        opening_hours=opening_hours,
    )
    for key, value in fields.items():
        setattr(place, key, value)
    return coolplace_save(place=place, on=on or dt.date(2026, 7, 1))
