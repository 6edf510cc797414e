"""The issue's list of bad input: a 400 with the standard's error JSON, never a 500, never a lost good observation."""

from __future__ import annotations

import json
from typing import Any

import pytest

from konzeptk.sensing import models as m
from konzeptk.sensing.tests.factories import make_datastream

pytestmark = pytest.mark.django_db


def _error(response: Any, code: int = 400) -> dict[str, Any]:
    assert response.status_code == code, response.content[:300]
    body = response.json()
    assert body["code"] == code
    assert body["type"] == "error"
    assert isinstance(body["message"], str)
    assert body["message"]
    return body


def _bulk(sta: Any, payload: Any) -> Any:
    data = payload if isinstance(payload, str) else json.dumps(payload)
    return sta.client.post(
        "/sta/v1.1/CreateObservations", data=data, content_type="application/json", **sta.headers
    )


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("Things", {"$filter": "(" * 5000 + "1 eq 1" + ")" * 5000}),
        ("Things", {"$filter": "not " * 3000 + "true"}),
        ("Things", {"$filter": "name eq 'x' " + "and name eq 'x' " * 700}),
        ("Things", {"$filter": "substringof('a')"}),
        ("Things", {"$filter": "name eq 'nicht geschlossen"}),
        ("Things", {"$filter": "length(name) eq 'vier'"}),
        ("Things", {"$filter": "id eq 99999999999999999999999999"}),
        ("Observations", {"$filter": "phenomenonTime gt 2024-13-45T99:00:00Z"}),
        ("Observations", {"$filter": "result add 'a' gt 1"}),
        ("Things", {"$expand": "Datastreams($top=abc)"}),
        ("Things", {"$expand": "Datastreams($filter=)"}),
        ("Things", {"$expand": "Datastreams(" * 50 + ")" * 50}),
        (
            "Things",
            {
                "$expand": "Datastreams($expand=Observations($expand=Datastream($expand=Thing($expand=Datastreams($expand=Observations($expand=FeatureOfInterest($expand=Observations)))))))"
            },
        ),
        ("Things", {"$expand": ",".join(["Datastreams"] * 5000)}),
        ("Things", {"$orderby": "name asc desc"}),
        ("Things", {"$orderby": "nosuch"}),
        ("Things", {"$orderby": "Datastreams/name"}),
        ("Things", {"$top": "1.5"}),
        ("Things", {"$top": "1" + "0" * 20}),
        ("Things", {"$skip": "-3"}),
        ("Things", {"$select": "name,,"}),
        ("Things", {"$count": "TRUE"}),
    ],
)
def test_malformed_queries(anon: Any, path: str, params: dict[str, str]) -> None:
    _error(anon.get(path, **params))


@pytest.mark.parametrize(
    ("body", "what"),
    [
        ('{"result": NaN}', "NaN is not JSON"),
        ('{"result": Infinity}', "Infinity is not JSON"),
        ('{"result": 1e999}', "overflows to infinity"),
        ('{"result": 1, "phenomenonTime": 5}', "wrong type"),
        ('{"result": 1, "phenomenonTime": "gestern"}', "no instant"),
        ('{"result": 1, "phenomenonTime": "2024-01-02T00:00:00Z/2024-01-01T00:00:00Z"}', "end before start"),
        ('{"result": 1, "phenomenonTime": "9999-12-31T00:00:00Z"}', "outside the storable range"),
        ('{"result": 1, "phenomenonTime": "0001-01-01T00:00:00Z"}', "outside the storable range"),
        (
            '{"result": 1, "resultTime": "2024-01-01T00:00:00Z/2024-01-02T00:00:00Z"}',
            "resultTime is an instant",
        ),
        ('{"result": 1, "parameters": [1, 2]}', "parameters must be an object"),
        ('{"result": 1, "Datastream": {"@iot.id": "abc"}}', "id not a number"),
        ('{"result": 1, "unbekannt": true}', "unknown property"),
        ('"nur ein Text"', "not an object"),
        ('{"result": 1', "invalid JSON"),
        ("\xff\xfe", "not UTF-8"),
    ],
)
def test_bad_observation_writes_store_nothing(sta: Any, body: str, what: str) -> None:
    ds = make_datastream(org=m.Organisation.objects.get(slug="swk-test"))
    response = sta.client.post(
        f"/sta/v1.1/Datastreams({ds.pk})/Observations",
        data=body.encode("latin-1") if what == "not UTF-8" else body,
        content_type="application/json",
        **sta.headers,
    )
    _error(response)
    assert not m.Observation.objects.exists(), what


def test_data_array_bad_rows_never_lose_good_ones(sta: Any) -> None:
    ds = make_datastream(org=m.Organisation.objects.get(slug="swk-test"))
    good = [["2024-06-01T00:00:00Z", 1.5], ["2024-06-01T01:00:00Z", 2], ["2024-06-01T02:00:00Z", "Text"]]
    bad = [
        ["2024-06-01T03:00:00Z"],
        ["2024-06-01T03:00:00Z", 1, 2],
        "keine Liste",
        None,
        ["gestern", 1],
        [5, 1],
        ["2024-06-01T03:00:00Z", None],
        ["9999-01-01T00:00:00Z", 1],
        ["x" * 10_000, 1],
        ["2024-06-01T03:00:00Z", {"tief": [[[[[[[]]]]]]]}],  # a JSON result is allowed …
    ]
    payload = [
        {
            "Datastream": {"@iot.id": ds.pk},
            "components": ["phenomenonTime", "result"],
            "dataArray": good + bad,
        }
    ]
    # 1e999 is valid JSON but no storable number: that row fails, the others are stored
    text = json.dumps(payload).replace('"Text"]', '"Text"], ["2024-06-01T04:00:00Z", 1e999]')
    # NaN is not JSON at all (Python's reader would accept it): the whole document is refused
    _error(_bulk(sta, text.replace("1e999", "NaN")))
    assert not ds.observations.exists()
    response = _bulk(sta, text)
    assert response.status_code == 201, response.content[:300]
    results = response.json()
    assert len(results) == len(good) + len(bad) + 1
    assert all(r.startswith("http") for r in results[:3])
    assert results[3].startswith("error")  # 1e999
    assert all(r.startswith("error") for r in results[4:-1])
    assert results[-1].startswith("http")  # … and stored
    stored = sorted(str(o.result) for o in ds.observations.all())
    assert stored == sorted(["1.5", "2.0", "Text", str({"tief": [[[[[[[]]]]]]]})])


@pytest.mark.parametrize(
    "payload",
    [
        {"Datastream": {"@iot.id": 1}},
        [{"components": ["result"], "dataArray": [[1]]}],
        [{"Datastream": {"@iot.id": 1}, "components": "result", "dataArray": [[1]]}],
        [{"Datastream": {"@iot.id": 1}, "components": ["result", "result"], "dataArray": [[1, 2]]}],
        [
            {
                "Datastream": {"@iot.id": 1},
                "components": ["phenomenonTime"],
                "dataArray": [["2024-01-01T00:00:00Z"]],
            }
        ],
        [{"Datastream": {"@iot.id": 1}, "components": ["result", "Erfunden"], "dataArray": [[1, 2]]}],
        [{"Datastream": {"@iot.id": 1}, "components": ["result"], "dataArray": "keine Liste"}],
        [{"Datastream": {"@iot.id": 424242}, "components": ["result"], "dataArray": [[1]]}],
        [17],
    ],
)
def test_data_array_bad_structure_is_400(sta: Any, payload: Any) -> None:
    ds = make_datastream(org=m.Organisation.objects.get(slug="swk-test"))
    text = json.dumps(payload).replace('"@iot.id": 1}', f'"@iot.id": {ds.pk}}}')
    _error(_bulk(sta, text))
    assert not m.Observation.objects.exists()


def test_patch_with_wrong_types_changes_nothing(sta: Any, thing_payload: Any) -> None:
    thing_id = sta.post("Things", thing_payload).json()["@iot.id"]
    for body in (
        {"name": 5},
        {"properties": "kein Objekt"},
        {"Locations": "x"},
        {"nosuch": 1},
        {"name": "x" * 300},
    ):
        _error(sta.patch(f"Things({thing_id})", body))
    assert m.Thing.objects.get(pk=thing_id).name == thing_payload["name"]
    obs = m.Observation.objects.first()
    assert obs is not None
    for body in (
        {"result": float("inf")},
        {"phenomenonTime": "morgen"},
        {"phenomenonTime": "9999-01-01T00:00:00Z"},
    ):
        _error(sta.client.patch(
            f"/sta/v1.1/Observations({obs.pk})", data=json.dumps(body).replace("Infinity", "1e999"),
            content_type="application/json", **sta.headers,
        ))  # fmt: skip
    obs.refresh_from_db()
    assert obs.result_number == 24.5


def test_too_large_body_is_413_json(sta: Any, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    _error(sta.post("Things", {"name": "x" * 5000}), 413)
