"""OGC 18-088 §14, requirement class data-array/data-array: CreateObservations and
``$resultFormat=dataArray`` on GET. (The MQTT classes – create-observations-via-mqtt/observations-creation and
receive-updates-via-mqtt/receive-updates – are tested against a live Mosquitto in ``test_mqtt.py``.)"""

from __future__ import annotations

from typing import Any

from konzeptk.sensing import models as m


def test_req_data_array_create_observations(sta: Any, thing_payload: Any) -> None:
    """data-array/data-array (§14.4): CreateObservations answers one selfLink or error per row, in order."""
    sta.post("Things", thing_payload)
    ds = m.Datastream.objects.get().pk
    body = [
        {
            "Datastream": {"@iot.id": ds},
            "components": ["phenomenonTime", "result"],
            "dataArray@iot.count": 2,
            "dataArray": [["2024-07-02T00:00:00Z", 20], ["kein Datum", 21]],
        }
    ]
    response = sta.post("CreateObservations", body)
    assert response.status_code == 201
    first, second = response.json()
    assert first.endswith(")")
    assert "/Observations(" in first
    assert second.startswith("error")
    assert m.Observation.objects.filter(datastream_id=ds).count() == 3


def test_req_data_array_result_format_on_get(sta: Any, anon: Any, thing_payload: Any) -> None:
    """data-array/data-array (§14.3): GET with $resultFormat=dataArray groups by Datastream with components."""
    sta.post("Things", thing_payload)
    ds = m.Datastream.objects.get().pk
    params = {"$resultFormat": "dataArray", "$select": "result,phenomenonTime", "$count": "true"}
    body = anon.get(f"Datastreams({ds})/Observations", **params).json()
    assert body["@iot.count"] == 2
    [group] = body["value"]
    assert group["Datastream@iot.navigationLink"].endswith(f"/Datastreams({ds})")
    assert group["components"] == ["result", "phenomenonTime"]
    assert group["dataArray@iot.count"] == 2
    assert sorted(row[0] for row in group["dataArray"]) == [24.5, 26]
    assert anon.get("Things", **{"$resultFormat": "dataArray"}).status_code == 400
