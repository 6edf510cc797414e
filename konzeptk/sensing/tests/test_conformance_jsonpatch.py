"""OGC 18-088 §10.3.2, requirement create-update-delete/update-entity-jsonpatch: PATCH with
``application/json-patch+json`` (RFC 6902)."""

from __future__ import annotations

import json
from typing import Any

from konzeptk.sensing import models as m

JSON_PATCH = "http://www.opengis.net/spec/iot_sensing/1.1/req/create-update-delete/update-entity-jsonpatch"


def _patch(sta: Any, path: str, operations: Any) -> Any:
    return sta.client.patch(
        f"/sta/v1.1/{path}",
        data=json.dumps(operations),
        content_type="application/json-patch+json",
        **sta.headers,
    )


def test_req_jsonpatch_is_advertised(anon: Any) -> None:
    """update-entity-jsonpatch: the service root lists the requirement."""
    assert JSON_PATCH in anon.get("").json()["serverSettings"]["conformance"]


def test_req_jsonpatch_add_replace_remove_move_copy(sta: Any, thing_payload: Any) -> None:
    """update-entity-jsonpatch: add, replace, remove, move and copy on the entity's JSON."""
    sta.post("Things", thing_payload)
    thing = m.Thing.objects.get()
    operations = [
        {"op": "add", "path": "/properties/owner", "value": "SWK"},
        {"op": "replace", "path": "/name", "value": "Laterne Ostwall 14"},
        {"op": "copy", "from": "/properties/bezirk", "path": "/properties/stadtteil"},
        {"op": "move", "from": "/properties/owner", "path": "/properties/betreiber"},
        {"op": "remove", "path": "/properties/bezirk"},
    ]
    response = _patch(sta, f"Things({thing.pk})", operations)
    assert response.status_code == 200, response.content
    thing.refresh_from_db()
    assert thing.name == "Laterne Ostwall 14"
    assert thing.properties == {"stadtteil": "Mitte", "betreiber": "SWK"}
    assert thing.description == "Wettersensor an einer Straßenlaterne"


def test_req_jsonpatch_on_datastream_and_observation(sta: Any, thing_payload: Any) -> None:
    """update-entity-jsonpatch: works on every entity type, here Datastream and Observation."""
    sta.post("Things", thing_payload)
    datastream = m.Datastream.objects.get()
    operations = [{"op": "replace", "path": "/unitOfMeasurement/symbol", "value": "K"}]
    assert _patch(sta, f"Datastreams({datastream.pk})", operations).status_code == 200
    datastream.refresh_from_db()
    assert datastream.unit_of_measurement["symbol"] == "K"
    obs = m.Observation.objects.order_by("pk").first()
    assert obs is not None
    assert (
        _patch(
            sta, f"Observations({obs.pk})", [{"op": "replace", "path": "/result", "value": 1.5}]
        ).status_code
        == 200
    )
    obs.refresh_from_db()
    assert obs.result_number == 1.5


def test_req_jsonpatch_failing_test_op_is_409_and_changes_nothing(sta: Any, thing_payload: Any) -> None:
    """update-entity-jsonpatch: a failing ``test`` applies nothing (RFC 6902 §5); answered 409 Conflict."""
    sta.post("Things", thing_payload)
    thing = m.Thing.objects.get()
    operations = [
        {"op": "replace", "path": "/name", "value": "Neu"},
        {"op": "test", "path": "/properties/bezirk", "value": "Süd"},
    ]
    response = _patch(sta, f"Things({thing.pk})", operations)
    assert response.status_code == 409
    assert response.json()["type"] == "error"
    thing.refresh_from_db()
    assert thing.name == "Laterne Ostwall 12"
    passing = [{"op": "test", "path": "/properties/bezirk", "value": "Mitte"},
               {"op": "replace", "path": "/name", "value": "Neu"}]  # fmt: skip
    assert _patch(sta, f"Things({thing.pk})", passing).status_code == 200


def test_req_jsonpatch_bad_patches_are_400(sta: Any, thing_payload: Any) -> None:
    """update-entity-jsonpatch: malformed patches, unknown paths, mandatory values removed: 400."""
    sta.post("Things", thing_payload)
    thing = m.Thing.objects.get()
    for operations in (
        {"op": "replace"},
        [{"op": "jump", "path": "/name"}],
        [{"op": "replace", "path": "/nope/deeper", "value": 1}],
        [{"op": "remove", "path": "/name"}],
        [{"op": "add", "path": "/unknownProperty", "value": 1}],
    ):
        response = _patch(sta, f"Things({thing.pk})", operations)
        assert response.status_code == 400, (operations, response.content)
    put = sta.client.put(
        f"/sta/v1.1/Things({thing.pk})", data="[]", content_type="application/json-patch+json", **sta.headers
    )
    assert put.status_code == 415
