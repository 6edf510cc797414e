"""OGC 18-088 (SensorThings 1.1 Sensing), requirement classes Core (datamodel, resource-path, request-data):
each test names the requirement it checks."""

from __future__ import annotations

from typing import Any

import pytest

from konzeptk.sensing import models as m

REQ = "http://www.opengis.net/spec/iot_sensing/1.1/req"
ENTITIES = (
    "thing",
    "location",
    "historical-location",
    "datastream",
    "sensor",
    "observed-property",
    "observation",
    "feature-of-interest",
)


def test_req_request_data_service_root_lists_classes_and_core_requirements(anon: Any) -> None:
    """req/request-data (§9.2.1, serverSettings.conformance): the classes and the Sensing Core requirements."""
    conformance = set(anon.get("").json()["serverSettings"]["conformance"])
    core = {f"{REQ}/datamodel/{e}/{aspect}" for e in ENTITIES for aspect in ("properties", "relations")}
    core |= {
        f"{REQ}/datamodel/entity-control-information/common-control-information",
        f"{REQ}/resource-path/resource-path-to-entities",
        f"{REQ}/request-data/status-code",
        f"{REQ}/request-data/query-status-code",
    }
    classes = {
        f"{REQ}/datamodel",
        f"{REQ}/request-data",
        f"{REQ}/create-update-delete",
        f"{REQ}/data-array/data-array",
        f"{REQ}/create-observations-via-mqtt/observations-creation",
        f"{REQ}/receive-updates-via-mqtt/receive-updates",
        f"{REQ}/create-update-delete/update-entity-jsonpatch",
    }
    assert core <= conformance
    assert classes <= conformance
    assert f"{REQ}/batch-request/batch-request" not in conformance  # not built, not claimed


def test_req_datamodel_entity_control_information(sta: Any, anon: Any, thing_payload: Any) -> None:
    """req/datamodel/entity-control-information/common-control-information: @iot.id, selfLink, navigationLinks."""
    sta.post("Things", thing_payload)
    thing = anon.get("Things").json()["value"][0]
    assert isinstance(thing["@iot.id"], int)
    assert thing["@iot.selfLink"].endswith(f"/Things({thing['@iot.id']})")
    for nav in ("Locations", "HistoricalLocations", "Datastreams"):
        assert thing[f"{nav}@iot.navigationLink"].endswith(f"/Things({thing['@iot.id']})/{nav}")


def test_req_resource_path_value_of_null_property_is_204(sta: Any, anon: Any, thing_payload: Any) -> None:
    """req/resource-path/resource-path-to-entities (§9.2.5, $value): a null property has no raw value."""
    sta.post("Things", thing_payload)
    obs = m.Observation.objects.order_by("pk").first()
    assert obs is not None
    assert obs.result_time is None
    response = anon.get(f"Observations({obs.pk})/resultTime/$value")
    assert response.status_code == 204
    assert response.content == b""
    assert anon.get(f"Observations({obs.pk})/resultTime").json() == {"resultTime": None}


def test_req_resource_path_value_of_object_property_is_json(sta: Any, anon: Any, thing_payload: Any) -> None:
    """req/resource-path/resource-path-to-entities ($value): an object property's raw value is its JSON."""
    sta.post("Things", thing_payload)
    thing = m.Thing.objects.get()
    response = anon.get(f"Things({thing.pk})/properties/$value")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"bezirk": "Mitte"}
    datastream = m.Datastream.objects.get()
    unit = anon.get(f"Datastreams({datastream.pk})/unitOfMeasurement/$value")
    assert unit.json()["symbol"] == "°C"
    name = anon.get(f"Things({thing.pk})/name/$value")
    assert name["Content-Type"].startswith("text/plain")
    assert name.content.decode() == "Laterne Ostwall 12"


@pytest.mark.parametrize(
    "path",
    ["Things", "Locations", "HistoricalLocations", "Datastreams", "Sensors", "ObservedProperties",
     "Observations", "FeaturesOfInterest"],
)  # fmt: skip
def test_req_request_data_status_code_collections_200(anon: Any, path: str) -> None:
    """req/request-data/status-code: every entity set answers 200."""
    response = anon.get(path)
    assert response.status_code == 200
    assert response.json()["value"] == []


def test_req_request_data_query_status_code_400_json(anon: Any) -> None:
    """req/request-data/query-status-code: a bad query option is a 400 with the error JSON, not a 500."""
    for params in ({"$filter": "name eq"}, {"$orderby": "nope"}, {"$top": "-1"}, {"$filter": "nofn(name)"}):
        response = anon.get("Things", **params)
        assert response.status_code == 400, params
        assert response.json()["type"] == "error"


def test_req_datamodel_observation_times_come_back_as_written(
    sta: Any, anon: Any, thing_payload: Any
) -> None:
    """req/datamodel/observation/properties: ISO 8601 times in UTC; whole seconds without a fraction (as
    FROST-Server writes them), otherwise milliseconds – the same text from the plain-row and the model path."""
    sta.post("Things", thing_payload)
    ds = m.Datastream.objects.get().pk
    body = {"phenomenonTime": "2024-07-02T08:00:00.250Z/2024-07-02T09:00:00Z", "result": 1}
    obs_id = sta.post(f"Datastreams({ds})/Observations", body).json()["@iot.id"]
    single = anon.get(f"Observations({obs_id})").json()  # model serialiser
    listed = anon.get("Observations", **{"$filter": f"id eq {obs_id}"}).json()["value"][0]  # plain rows
    assert single["phenomenonTime"] == listed["phenomenonTime"] == body["phenomenonTime"]
    first = anon.get("Observations", **{"$orderby": "id", "$top": "1"}).json()["value"][0]
    assert first["phenomenonTime"] == "2024-07-01T12:00:00Z"
