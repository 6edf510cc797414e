"""A real SensorThings client (PyPI ``frost-sta-client``) against the running server."""

from __future__ import annotations

from typing import Any

import frost_sta_client as fsc
import geojson
import pytest
from frost_sta_client.model.ext.data_array_document import DataArrayDocument
from frost_sta_client.model.ext.data_array_value import DataArrayValue

from konzeptk.sensing import models as m


@pytest.mark.django_db(transaction=True)
def test_frost_client_creates_uploads_queries_updates_and_deletes(live_server: Any, token: str) -> None:
    service = fsc.SensorThingsService(
        f"{live_server.url}/sta/v1.1", auth_handler=fsc.AuthHandler(username="konzeptk", password=token)
    )
    location = fsc.Location(
        name="Hochstraße 80",
        description="Passantenzähler am Kaufhaus",
        encoding_type="application/geo+json",
        location=geojson.Point((6.5623, 51.3327)),
    )
    thing = fsc.Thing(name="Zähler Hochstraße", description="Laserzähler", locations=[location])
    sensor = fsc.Sensor(
        name="Laserscanner",
        description="zählt Passant:innen",
        encoding_type="application/pdf",
        metadata="x.pdf",
    )
    observed_property = fsc.ObservedProperty(
        name="Passant:innen", definition="https://example.org/passersby", description="Anzahl pro Stunde"
    )
    datastream = fsc.Datastream(
        name="Passant:innen Hochstraße",
        description="stündlich",
        observation_type="http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_CountObservation",
        unit_of_measurement=fsc.UnitOfMeasurement(name="Anzahl", symbol="1", definition="ucum:1"),
        thing=thing,
        sensor=sensor,
        observed_property=observed_property,
    )
    service.create(thing)
    assert thing.id is not None
    datastream.thing = thing
    service.create(datastream)
    assert datastream.id is not None

    value = DataArrayValue()
    value.datastream = datastream
    value.components = {DataArrayValue.Property.PHENOMENON_TIME, DataArrayValue.Property.RESULT}
    for hour in range(48):
        value.add_observation(
            fsc.Observation(
                phenomenon_time=f"2024-03-{1 + hour // 24:02d}T{hour % 24:02d}:00:00Z", result=100 + hour
            )
        )
    document = DataArrayDocument()
    document.value = [value]
    created = service.observations().create(document)
    assert len(created) == 48
    assert m.Observation.objects.filter(datastream_id=datastream.id).count() == 48

    found = (
        service.observations()
        .query()
        .filter("result ge 140 and phenomenonTime lt 2024-03-02T23:00:00Z")
        .orderby("phenomenonTime", "ASC")
        .list()
    )
    assert [o.result for o in found] == list(range(140, 147))
    things = (
        service.things().query().filter("name eq 'Zähler Hochstraße'").expand("Datastreams,Locations").list()
    )
    [fetched] = list(things)
    assert fetched.datastreams.entities[0].name == "Passant:innen Hochstraße"

    fetched_thing = service.things().find(thing.id)
    fetched_thing.description = "Laserzähler (erneuert)"
    service.update(fetched_thing)
    assert m.Thing.objects.get(pk=thing.id).description == "Laserzähler (erneuert)"
    service.patch(fetched_thing, [{"op": "replace", "path": "/name", "value": "Zähler Hochstraße Süd"}])
    assert m.Thing.objects.get(pk=thing.id).name == "Zähler Hochstraße Süd"

    service.delete(fetched_thing)
    assert not m.Thing.objects.filter(pk=thing.id).exists()
    assert not m.Observation.objects.exists()
