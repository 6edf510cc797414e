from __future__ import annotations

from typing import Any

from konzeptk.accounts.models import Organisation
from konzeptk.sensing import models as m


def make_datastream(org: Organisation | None = None, name: str = "Grundwasser GW-17") -> m.Datastream:
    location = m.Location.objects.create(name=name, location={"type": "Point", "coordinates": [6.56, 51.33]})
    thing = m.Thing.objects.create(name=name, organisation=org)
    thing.locations.add(location)
    sensor = m.Sensor.objects.get_or_create(name="Drucksonde")[0]
    prop = m.ObservedProperty.objects.get_or_create(name="Grundwasserstand")[0]
    return m.Datastream.objects.create(
        name=name,
        unit_of_measurement={"name": "Meter über NHN", "symbol": "m", "definition": "ucum:m"},
        thing=thing,
        sensor=sensor,
        observed_property=prop,
    )


def _box(w: float, s: float, e: float, n: float) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]}


def make_test_city() -> None:
    """A rectangular test city around Krefeld with the districts Mitte and Ost (for the sensor map)."""
    from konzeptk.city.models import CityProfile, District, DistrictLayer
    from konzeptk.city.selectors import forget_active_profile

    forget_active_profile()
    profile = CityProfile.objects.create(
        slug="krefeld",
        name="Teststadt",
        boundary=_box(6.45, 51.28, 6.70, 51.40),
        center_lat=51.33,
        center_lon=6.56,
    )
    layer = DistrictLayer.objects.create(
        profile=profile, slug="bezirke", name="Stadtbezirke", kind="administrative"
    )
    District.objects.create(layer=layer, code="1", name="Mitte", geometry=_box(6.45, 51.28, 6.60, 51.40))
    District.objects.create(layer=layer, code="2", name="Ost", geometry=_box(6.60, 51.28, 6.70, 51.40))
