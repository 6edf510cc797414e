"""OGC 18-088 requirement class create-update-delete (§10): each test names the requirement it checks."""

from __future__ import annotations

import copy
from typing import Any

from konzeptk.sensing import models as m


def _ids(sta: Any, thing_payload: Any) -> tuple[int, int, int, int]:
    assert sta.post("Things", thing_payload).status_code == 201
    thing = m.Thing.objects.get()
    return thing.pk, thing.locations.get().pk, thing.datastreams.get().pk, m.Observation.objects.first().pk  # type: ignore[union-attr]


def test_req_cud_historical_location_manual_creation(sta: Any, anon: Any, thing_payload: Any) -> None:
    """req/create-update-delete/historical-location-manual-creation: POST HistoricalLocations with links."""
    thing_id, location_id, _ds, _obs = _ids(sta, thing_payload)
    response = sta.post(
        "HistoricalLocations",
        {
            "time": "2024-05-01T10:00:00Z",
            "Thing": {"@iot.id": thing_id},
            "Locations": [{"@iot.id": location_id}],
        },
    )
    assert response.status_code == 201, response.content
    assert (
        anon.get(f"HistoricalLocations({response.json()['@iot.id']})").json()["time"]
        == "2024-05-01T10:00:00Z"
    )
    created = m.HistoricalLocation.objects.get(pk=response.json()["@iot.id"])
    assert created.thing_id == thing_id
    assert list(created.locations.values_list("pk", flat=True)) == [location_id]
    nested = sta.post(f"Things({thing_id})/HistoricalLocations", {"time": "2024-05-02T10:00:00Z"})
    assert nested.status_code == 201, nested.content
    assert anon.get(f"Things({thing_id})/HistoricalLocations", **{"$count": "true"}).json()["@iot.count"] == 3


def test_req_cud_update_entity_patch_observation(sta: Any, anon: Any, thing_payload: Any) -> None:
    """req/create-update-delete/update-entity: PATCH of an Observation changes only what is sent."""
    _thing, _loc, _ds, obs_id = _ids(sta, thing_payload)
    response = sta.patch(f"Observations({obs_id})", {"result": 30.5, "resultTime": "2024-07-01T12:05:00Z"})
    assert response.status_code == 200, response.content
    body = anon.get(f"Observations({obs_id})").json()
    assert body["result"] == 30.5
    assert body["resultTime"] == "2024-07-01T12:05:00Z"
    assert body["phenomenonTime"] == "2024-07-01T12:00:00Z"  # as it was posted
    moved = sta.patch(f"Observations({obs_id})", {"phenomenonTime": "2024-08-03T00:00:00Z"})
    assert moved.status_code == 200, moved.content
    assert anon.get(f"Observations({obs_id})").json()["phenomenonTime"] == "2024-08-03T00:00:00Z"


def test_req_cud_update_entity_inline_related_entity_is_400(sta: Any, thing_payload: Any) -> None:
    """req/create-update-delete/update-entity: related entities are linked by @iot.id on update, never created."""
    thing_id, _loc, ds_id, _obs = _ids(sta, thing_payload)
    before = (m.Location.objects.count(), m.Sensor.objects.count(), m.Datastream.objects.count())
    new_location = {"name": "Neu", "description": "x", "encodingType": "application/geo+json",
                    "location": {"type": "Point", "coordinates": [6.5, 51.3]}}  # fmt: skip
    assert sta.patch(f"Things({thing_id})", {"Locations": [new_location]}).status_code == 400
    sensor = {"name": "S", "description": "d", "encodingType": "application/pdf", "metadata": "m"}
    assert sta.patch(f"Datastreams({ds_id})", {"Sensor": sensor}).status_code == 400
    assert sta.patch(f"Things({thing_id})", {"Datastreams": [{"name": "x"}]}).status_code == 400
    assert (m.Location.objects.count(), m.Sensor.objects.count(), m.Datastream.objects.count()) == before


def test_req_cud_update_entity_links_by_id(sta: Any, thing_payload: Any) -> None:
    """req/create-update-delete/update-entity: links by @iot.id (with the other keys of an $expand) relink."""
    thing_id, location_id, ds_id, _obs = _ids(sta, thing_payload)
    second = sta.post(
        "Sensors", {"name": "S2", "description": "d", "encodingType": "application/pdf", "metadata": "m"}
    )
    sensor_id = second.json()["@iot.id"]
    assert (
        sta.patch(f"Datastreams({ds_id})", {"Sensor": {"@iot.id": sensor_id, "name": "S2"}}).status_code
        == 200
    )
    assert m.Datastream.objects.get(pk=ds_id).sensor_id == sensor_id
    # a Thing as an $expand showed it: its own Datastreams and Locations, no new HistoricalLocation
    body = {"description": "neu", "Datastreams": [{"@iot.id": ds_id, "name": "egal"}],
            "Locations": [{"@iot.id": location_id}]}  # fmt: skip
    assert sta.patch(f"Things({thing_id})", body).status_code == 200
    assert m.HistoricalLocation.objects.count() == 1
    other = copy.deepcopy(thing_payload)
    other["name"] = "Andere Laterne"
    sta.post("Things", other)
    foreign = m.Datastream.objects.exclude(thing_id=thing_id).get().pk
    assert sta.patch(f"Things({thing_id})", {"Datastreams": [{"@iot.id": foreign}]}).status_code == 400


def test_req_cud_update_entity_put_missing_mandatory_is_400(sta: Any, thing_payload: Any) -> None:
    """req/create-update-delete/update-entity-put: PUT without a mandatory property is a 400, nothing changes."""
    thing_id, _loc, ds_id, _obs = _ids(sta, thing_payload)
    sensor_id = m.Datastream.objects.get(pk=ds_id).sensor_id
    assert sta.put(f"Things({thing_id})", {"description": "ohne Namen"}).status_code == 400
    assert sta.put(f"Things({thing_id})", {"name": "ohne Beschreibung"}).status_code == 400
    sensor = {"name": "S", "description": "d", "metadata": "m"}
    assert sta.put(f"Sensors({sensor_id})", sensor).status_code == 400  # no encodingType
    sensor = {"name": "S", "description": "d", "encodingType": "application/pdf"}
    assert sta.put(f"Sensors({sensor_id})", sensor).status_code == 400  # no metadata
    assert m.Thing.objects.get(pk=thing_id).name == "Laterne Ostwall 12"
    full = sta.put(f"Things({thing_id})", {"name": "Neu", "description": "ganz"})
    assert full.status_code == 200
    assert full.json().get("properties") is None  # optional properties not sent are reset


def test_req_cud_deep_insert_missing_encoding_type_is_400(sta: Any, thing_payload: Any) -> None:
    """req/create-update-delete/deep-insert: a Location, Sensor or FeatureOfInterest without encodingType."""
    no_location_encoding = copy.deepcopy(thing_payload)
    del no_location_encoding["Locations"][0]["encodingType"]
    no_sensor_encoding = copy.deepcopy(thing_payload)
    del no_sensor_encoding["Datastreams"][0]["Sensor"]["encodingType"]
    for body in (no_location_encoding, no_sensor_encoding):
        response = sta.post("Things", body)
        assert response.status_code == 400, response.content
        assert "encodingType" in response.json()["message"]
    assert not m.Thing.objects.exists()
    feature = {"name": "F", "description": "d", "feature": {"type": "Point", "coordinates": [6.5, 51.3]}}
    assert sta.post("FeaturesOfInterest", feature).status_code == 400


def test_req_cud_delete_entity(sta: Any, anon: Any, thing_payload: Any) -> None:
    """req/create-update-delete/delete-entity: DELETE answers 200, the entity is then 404."""
    _thing, _loc, ds_id, obs_id = _ids(sta, thing_payload)
    assert sta.delete(f"Observations({obs_id})").status_code == 200
    assert anon.get(f"Observations({obs_id})").status_code == 404
    assert sta.delete(f"Datastreams({ds_id})").status_code == 200
    assert not m.Observation.objects.filter(datastream_id=ds_id).exists()
