from __future__ import annotations

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
