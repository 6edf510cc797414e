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
    # update after $expand (issue 14): the client PUTs the expanded Datastreams and Locations with their
    # @iot.id; they are links, as FROST-Server takes them – nothing is created, unlinked or historised
    fetched.description = "Laserzähler am Kaufhaus"
    service.update(fetched)
    updated = m.Thing.objects.get(pk=thing.id)
    assert updated.description == "Laserzähler am Kaufhaus"
    assert [ds.pk for ds in updated.datastreams.all()] == [datastream.id]
    assert [loc.name for loc in updated.locations.all()] == ["Hochstraße 80"]
    assert updated.historical_locations.count() == 1
    assert m.Datastream.objects.count() == 1
    # the same for a Datastream read with its Thing, Sensor and ObservedProperty expanded
    [stream] = list(
        service.datastreams()
        .query()
        .filter(f"id eq {datastream.id}")
        .expand("Thing,Sensor,ObservedProperty")
        .list()
    )
    stream.description = "stündlich, Laserzählung"
    service.update(stream)
    updated_stream = m.Datastream.objects.get(pk=datastream.id)
    assert updated_stream.description == "stündlich, Laserzählung"
    assert updated_stream.thing_id == thing.id
    assert (m.Sensor.objects.count(), m.ObservedProperty.objects.count()) == (1, 1)

    fetched_thing = service.things().find(thing.id)
    fetched_thing.description = "Laserzähler (erneuert)"
    service.update(fetched_thing)
    assert m.Thing.objects.get(pk=thing.id).description == "Laserzähler (erneuert)"
    service.patch(fetched_thing, [{"op": "replace", "path": "/name", "value": "Zähler Hochstraße Süd"}])
    assert m.Thing.objects.get(pk=thing.id).name == "Zähler Hochstraße Süd"

    # deep insert: a Thing with its Location and a Datastream (with Sensor and ObservedProperty) in one request
    lamp = fsc.Thing(
        name="Laterne Ostwall 12",
        description="Wettersensor",
        locations=[
            fsc.Location(
                name="Ostwall 12",
                description="Mast",
                encoding_type="application/geo+json",
                location=geojson.Point((6.5658, 51.3318)),
            )
        ],
        datastreams=[
            fsc.Datastream(
                name="Lufttemperatur Ostwall",
                description="in 4 m Höhe",
                observation_type="http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement",
                unit_of_measurement=fsc.UnitOfMeasurement(name="Grad Celsius", symbol="°C", definition="ucum:Cel"),
                sensor=fsc.Sensor(name="SHT31", description="Temperatur", encoding_type="application/pdf", metadata="x"),
                observed_property=fsc.ObservedProperty(name="Lufttemperatur", definition="https://example.org/t", description="Luft"),
            )
        ],
    )  # fmt: skip
    service.create(lamp)
    assert lamp.id is not None
    created_lamp = m.Thing.objects.get(pk=lamp.id)
    assert created_lamp.organisation.slug == "swk-test"
    assert [loc.name for loc in created_lamp.locations.all()] == ["Ostwall 12"]
    assert [ds.name for ds in created_lamp.datastreams.all()] == ["Lufttemperatur Ostwall"]
    assert created_lamp.historical_locations.count() == 1
    # expand with its own query options
    [with_streams] = list(
        service.things()
        .query()
        .filter(f"id eq {lamp.id}")
        .expand("Datastreams($select=name;$expand=Sensor)")
        .list()
    )
    assert with_streams.datastreams.entities[0].name == "Lufttemperatur Ostwall"
    assert with_streams.datastreams.entities[0].sensor.name == "SHT31"
    service.delete(with_streams)
    assert not m.Thing.objects.filter(pk=lamp.id).exists()

    service.delete(fetched_thing)
    assert not m.Thing.objects.filter(pk=thing.id).exists()
    assert not m.Observation.objects.exists()
