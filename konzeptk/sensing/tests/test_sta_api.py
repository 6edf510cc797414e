from __future__ import annotations

from typing import Any

import pytest

from konzeptk.sensing import models as m

pytestmark = pytest.mark.django_db


def test_service_root_lists_all_entity_sets(anon: Any) -> None:
    body = anon.get("").json()
    names = {v["name"] for v in body["value"]}
    assert names == {
        "Things", "Locations", "HistoricalLocations", "Datastreams", "Sensors",
        "ObservedProperties", "Observations", "FeaturesOfInterest",
    }  # fmt: skip
    assert all(v["url"].startswith("http://testserver/sta/v1.1/") for v in body["value"])
    assert "serverSettings" in body


def test_deep_insert_creates_everything_and_answers_201_with_location(sta: Any, thing_payload: Any) -> None:
    response = sta.post("Things", thing_payload)
    assert response.status_code == 201, response.content
    body = response.json()
    thing_id = body["@iot.id"]
    assert response["Location"] == f"http://testserver/sta/v1.1/Things({thing_id})"
    assert body["Datastreams@iot.navigationLink"].endswith(f"Things({thing_id})/Datastreams")
    assert m.Datastream.objects.get().observations.count() == 2
    assert m.HistoricalLocation.objects.filter(thing_id=thing_id).count() == 1
    assert m.FeatureOfInterest.objects.count() == 1  # generated from the Location
    ds = m.Datastream.objects.get()
    assert ds.phenomenon_time_start.hour == 12
    assert ds.phenomenon_time_end.hour == 13
    assert m.Thing.objects.get().organisation.slug == "swk-test"


def test_entity_json_has_links_and_values(sta: Any, anon: Any, thing_payload: Any) -> None:
    sta.post("Things", thing_payload)
    ds = m.Datastream.objects.get()
    body = anon.get(f"Datastreams({ds.pk})").json()
    assert body["unitOfMeasurement"]["symbol"] == "°C"
    assert body["phenomenonTime"] == "2024-07-01T12:00:00Z/2024-07-01T13:00:00Z"
    for nav in ("Thing", "Sensor", "ObservedProperty", "Observations"):
        assert body[f"{nav}@iot.navigationLink"] == f"http://testserver/sta/v1.1/Datastreams({ds.pk})/{nav}"
    obs = anon.get(f"Datastreams({ds.pk})/Observations", **{"$orderby": "phenomenonTime"}).json()["value"]
    assert [o["result"] for o in obs] == [24.5, 26]
    assert obs[0]["phenomenonTime"] == "2024-07-01T12:00:00Z"


def test_value_ref_and_property_paths(sta: Any, anon: Any, thing_payload: Any) -> None:
    thing_id = sta.post("Things", thing_payload).json()["@iot.id"]
    assert anon.get(f"Things({thing_id})/name").json() == {"name": "Laterne Ostwall 12"}
    value = anon.get(f"Things({thing_id})/name/$value")
    assert value.content.decode() == "Laterne Ostwall 12"
    refs = anon.get(f"Things({thing_id})/Datastreams/$ref").json()
    assert refs["value"][0]["@iot.selfLink"].startswith("http://testserver/sta/v1.1/Datastreams(")
    ds_id = m.Datastream.objects.get().pk
    assert anon.get(f"Datastreams({ds_id})/Thing").json()["@iot.id"] == thing_id
    assert (
        anon.get(f"Datastreams({ds_id})/Thing/$ref").json()["@iot.selfLink"].endswith(f"Things({thing_id})")
    )
    assert anon.get(f"Datastreams({ds_id})/Sensor/name/$value").content == b"SHT31"


def test_filter_expand_select_orderby_count(sta: Any, anon: Any, thing_payload: Any) -> None:
    sta.post("Things", thing_payload)
    thing_payload["name"] = "Laterne Rheinstraße"
    thing_payload["properties"] = {"bezirk": "Süd"}
    sta.post("Things", thing_payload)
    body = anon.get(
        "Things",
        **{
            "$filter": "properties/bezirk eq 'Süd'",
            "$select": "name",
            "$expand": "Datastreams($select=name;$expand=Observations($orderby=result desc;$top=1))",
            "$count": "true",
        },
    ).json()
    assert body["@iot.count"] == 1
    [thing] = body["value"]
    assert thing["name"] == "Laterne Rheinstraße"
    assert "@iot.id" not in thing
    assert thing["Datastreams"][0]["Observations"][0]["result"] == 26
    assert "Datastreams@iot.nextLink" not in thing
    observations = anon.get(
        "Observations", **{"$filter": "result gt 25 and Datastream/Thing/name eq 'Laterne Ostwall 12'"}
    )
    assert [o["result"] for o in observations.json()["value"]] == [26]
    by_time = anon.get(
        "Observations", **{"$filter": "phenomenonTime ge 2024-07-01T12:30:00Z and hour(phenomenonTime) eq 13"}
    ).json()["value"]
    assert len(by_time) == 2
    things = anon.get("Things", **{"$filter": "substringof('rhein', tolower(name))"}).json()["value"]
    assert [t["name"] for t in things] == ["Laterne Rheinstraße"]
    things = anon.get("Things", **{"$orderby": "name desc"}).json()["value"]
    assert [t["name"] for t in things] == ["Laterne Rheinstraße", "Laterne Ostwall 12"]
    things = anon.get("Things", **{"$filter": "Datastreams/unitOfMeasurement/symbol eq '°C'"}).json()["value"]
    assert len(things) == 2  # distinct despite the to-many join
    near = anon.get(
        "Locations",
        **{
            "$filter": "st_within(location, geography'POLYGON((6.5 51.3, 6.6 51.3, 6.6 51.4, 6.5 51.4, 6.5 51.3))')"
        },
    ).json()["value"]
    assert len(near) == 2


def test_paging_next_link_and_keyset_for_observations(sta: Any, anon: Any, thing_payload: Any) -> None:
    thing_payload["Datastreams"][0]["Observations"] = [
        {"phenomenonTime": f"2024-01-01T{h:02d}:00:00Z", "result": h} for h in range(24)
    ]
    sta.post("Things", thing_payload)
    seen: list[int] = []
    body = anon.get("Observations", **{"$top": "5", "$orderby": "phenomenonTime desc"}).json()
    while True:
        seen += [o["result"] for o in body["value"]]
        if "@iot.nextLink" not in body:
            break
        assert "$skiptoken" in body["@iot.nextLink"]
        assert "$skip=" not in body["@iot.nextLink"]
        body = anon.client.get(body["@iot.nextLink"].replace("http://testserver", "")).json()
    assert seen == list(range(23, -1, -1))
    things = anon.get("Sensors", **{"$top": "0", "$count": "true"}).json()
    assert things["@iot.count"] == 1
    assert things["value"] == []


def test_post_into_nested_collection_links_parent(sta: Any, anon: Any, thing_payload: Any) -> None:
    sta.post("Things", thing_payload)
    ds = m.Datastream.objects.get()
    response = sta.post(
        f"Datastreams({ds.pk})/Observations", {"phenomenonTime": "2024-07-02T00:00:00Z", "result": "hoch"}
    )
    assert response.status_code == 201, response.content
    assert response.json()["result"] == "hoch"
    assert anon.get("Observations", **{"$filter": "result eq 'hoch'"}).json()["value"][0]["result"] == "hoch"


def test_linking_by_id_ignores_other_fields(sta: Any, thing_payload: Any) -> None:
    sta.post("Things", thing_payload)
    sensor = m.Sensor.objects.get()
    thing = m.Thing.objects.get()
    op = m.ObservedProperty.objects.get()
    response = sta.post(
        "Datastreams",
        {
            "name": "Luftfeuchte",
            "description": "relative Luftfeuchte",
            "observationType": "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement",
            "unitOfMeasurement": {"name": "Prozent", "symbol": "%", "definition": "ucum:%"},
            "Thing": {"@iot.id": thing.pk, "name": "wird ignoriert"},
            "Sensor": {"@iot.id": sensor.pk},
            "ObservedProperty": {"@iot.id": op.pk},
        },
    )
    assert response.status_code == 201, response.content
    assert m.Sensor.objects.count() == 1
    assert m.Thing.objects.get().name == "Laterne Ostwall 12"


def test_patch_put_and_delete_cascade(sta: Any, anon: Any, thing_payload: Any) -> None:
    thing_id = sta.post("Things", thing_payload).json()["@iot.id"]
    assert sta.patch(f"Things({thing_id})", {"description": "neu"}).json()["description"] == "neu"
    assert m.Thing.objects.get().name == "Laterne Ostwall 12"
    put = sta.put(f"Things({thing_id})", {"name": "Ersetzt", "description": "x"})
    assert put.status_code == 200
    assert "properties" not in put.json()  # PUT without properties clears them; absent like in FROST
    assert sta.put(f"Things({thing_id})", {"description": "ohne Namen"}).status_code == 400
    loc_id = m.Location.objects.get().pk
    assert sta.delete(f"Things({thing_id})").status_code == 200
    assert not m.Datastream.objects.exists()
    assert not m.Observation.objects.exists()
    assert not m.HistoricalLocation.objects.exists()
    assert m.Location.objects.filter(pk=loc_id).exists()  # Locations are not owned by the Thing
    assert anon.get(f"Things({thing_id})").status_code == 404


def test_delete_location_deletes_its_historical_locations(sta: Any, thing_payload: Any) -> None:
    sta.post("Things", thing_payload)
    loc = m.Location.objects.get()
    assert sta.delete(f"Locations({loc.pk})").status_code == 200
    assert not m.HistoricalLocation.objects.exists()
    assert m.Thing.objects.exists()


def test_create_observations_data_array_keeps_good_rows(sta: Any, anon: Any, thing_payload: Any) -> None:
    sta.post("Things", thing_payload)
    ds = m.Datastream.objects.get()
    payload = [
        {
            "Datastream": {"@iot.id": ds.pk},
            "components": ["phenomenonTime", "result", "parameters"],
            "dataArray@iot.count": 4,
            "dataArray": [
                ["2024-08-01T00:00:00Z", 20.1, None],
                ["kein Datum", 20.2, None],
                ["2024-08-01T02:00:00Z", 20.3, {"qc": "ok"}],
                ["2024-08-01T03:00:00Z"],
            ],
        }
    ]
    response = sta.client.post(
        "/sta/v1.1/CreateObservations", data=payload, content_type="application/json", **sta.headers
    )
    assert response.status_code == 201
    body = response.json()
    assert body[0].startswith("http://testserver/sta/v1.1/Observations(")
    assert body[1].startswith("error")
    assert body[3].startswith("error")
    assert body[2].startswith("http://")
    assert ds.observations.count() == 4  # 2 from the deep insert + 2 good rows


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("Things", {"$filter": "name eq"}),
        ("Things", {"$filter": "name gt 5"}),
        ("Things", {"$filter": "nosuch eq 1"}),
        ("Things", {"$filter": "x" * 1_000_000}),
        ("Things", {"$orderby": "name sideways"}),
        ("Things", {"$expand": "Datastreams($filter=foo eq 1)"}),
        ("Things", {"$expand": "Nothing"}),
        ("Things", {"$expand": "Datastreams/Thing/Datastreams/Thing/Datastreams/Thing/Datastreams/Thing"}),
        ("Things", {"$select": "nosuch"}),
        ("Things", {"$top": "-1"}),
        ("Things", {"$count": "maybe"}),
        ("Things", {"$bogus": "1"}),
        ("Observations", {"$filter": "result gt 'a' and phenomenonTime gt 5"}),
        ("Observations", {"$skiptoken": "!!!"}),
        ("Observations", {"$filter": "year(name) eq 2020"}),
        ("Observations", {"$filter": "result div 0 gt 1 and st_within(result, geography'POINT(1 2)')"}),
        ("Locations", {"$filter": "st_within(location, geography'NOT A POLYGON')"}),
    ],
)
def test_bad_queries_answer_400_json(anon: Any, path: str, params: dict[str, str]) -> None:
    response = anon.get(path, **params)
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert body["code"] == 400
    assert body["type"] == "error"
    assert body["message"]


def test_unknown_paths_are_404_json(anon: Any) -> None:
    for path in ("Nothing", "Things(99)", "Things(1)/Nothing", "Things/Datastreams", "Things(abc)"):
        response = anon.get(path)
        assert response.status_code == 404, path
        assert response.json()["code"] == 404


@pytest.mark.parametrize(
    "body",
    [
        "{not json",
        "[]",
        '{"name": 5, "description": "x"}',
        '{"description": "ohne Namen"}',
        '{"name": "x", "unknownField": 1}',
        '{"name": "x", "Locations": {"name": "kein Array"}}',
        '{"name": "x", "Locations": [{"name": "ohne location"}]}',
        '{"name": "x", "Datastreams": [{"name": "ohne Sensor", "unitOfMeasurement": {}}]}',
        '{"name": "x", "Locations": [{"@iot.id": 99999}]}',
    ],
)
def test_bad_writes_answer_400_and_store_nothing(sta: Any, body: str) -> None:
    response = sta.post("Things", body, raw=True)
    assert response.status_code == 400, response.content
    assert response.json()["type"] == "error"
    assert not m.Thing.objects.exists()
    assert not m.Location.objects.exists()


def test_observation_for_unknown_datastream_is_400(sta: Any) -> None:
    response = sta.post("Observations", {"result": 1, "Datastream": {"@iot.id": 12345}})
    assert response.status_code == 400
    bulk = sta.client.post(
        "/sta/v1.1/CreateObservations",
        data=[{"Datastream": {"@iot.id": 12345}, "components": ["result"], "dataArray": [[1]]}],
        content_type="application/json",
        **sta.headers,
    )
    assert bulk.status_code == 400


def test_writing_needs_a_token_of_the_things_organisation(
    sta: Any, anon: Any, thing_payload: Any, other_org: Any, client: Any
) -> None:
    from konzeptk.sensing.services import api_token_create, api_token_revoke
    from konzeptk.sensing.tests.conftest import StaClient

    assert anon.post("Things", thing_payload).status_code == 401
    thing_id = sta.post("Things", thing_payload).json()["@iot.id"]
    token_obj, raw = api_token_create(organisation=other_org, name="fremd")
    stranger = StaClient(client, raw)
    assert stranger.patch(f"Things({thing_id})", {"name": "gekapert"}).status_code == 403
    assert stranger.delete(f"Things({thing_id})").status_code == 403
    ds = m.Datastream.objects.get()
    assert stranger.post(f"Datastreams({ds.pk})/Observations", {"result": 1}).status_code == 403
    api_token_revoke(token=token_obj)
    assert stranger.post("Things", thing_payload).status_code == 401
    assert m.Thing.objects.get().name == "Laterne Ostwall 12"
    assert token_obj.token_hash != raw
    assert len(token_obj.token_hash) == 64


def test_open_write_mode_allows_anonymous_writes(anon: Any, thing_payload: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("KONZEPTK_STA_OPEN_WRITE", "1")
    assert anon.post("Things", thing_payload).status_code == 201


def test_list_query_count_is_bounded(
    anon: Any, sta: Any, thing_payload: Any, django_assert_max_num_queries: Any
) -> None:
    for i in range(5):
        thing_payload["name"] = f"Laterne {i}"
        sta.post("Things", thing_payload)
    with django_assert_max_num_queries(6):
        body = anon.get("Things", **{"$expand": "Datastreams($expand=Observations,Sensor),Locations"}).json()
    assert len(body["value"]) == 5
    assert all(len(t["Datastreams"][0]["Observations"]) == 2 for t in body["value"])


def test_deploy_check_refuses_open_write_in_production(monkeypatch: Any, settings: Any) -> None:
    from konzeptk.sensing.checks import check_open_write

    settings.DEBUG = False
    settings.DEMO_MODE = False
    monkeypatch.delenv("KONZEPTK_STA_OPEN_WRITE", raising=False)
    assert check_open_write() == []
    monkeypatch.setenv("KONZEPTK_STA_OPEN_WRITE", "1")
    assert [e.id for e in check_open_write()] == ["sensing.E001"]
    settings.DEMO_MODE = True
    assert check_open_write() == []
