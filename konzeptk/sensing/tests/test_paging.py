"""Issue 14, reads: nextLinks that keep the query, keyset paging, per-parent LIMIT for nested $top,
$resultFormat=dataArray on GET, observedArea, and $count (plans and query counts in test_paging_plans.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test.utils import override_settings

from konzeptk.sensing import models as m
from konzeptk.sensing.storage import Row, insert_rows
from konzeptk.sensing.tests.factories import make_datastream

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2024, 3, 1, tzinfo=dt.UTC)


def _follow(anon: Any, url: str) -> Any:
    return anon.client.get(url.replace("http://testserver", "")).json()


def _observations(ds: m.Datastream, count: int, *, same_time: bool = False) -> list[int]:
    feature = m.FeatureOfInterest.objects.create(
        name="F", feature={"type": "Point", "coordinates": [6.5, 51.3]}
    )
    rows = [
        Row(ds.pk, feature.pk, T0 if same_time else T0 + dt.timedelta(minutes=i), result_number=float(i))
        for i in range(count)
    ]
    return insert_rows(rows)


def test_nested_next_link_keeps_orderby(anon: Any) -> None:
    """Finding: the nextLink of an expanded collection dropped $orderby – page 2 was the second-oldest."""
    ds = make_datastream(name="A")
    _observations(ds, 5)
    body = anon.get(
        f"Datastreams({ds.pk})", **{"$expand": "Observations($top=1;$orderby=phenomenonTime desc)"}
    )
    body = body.json()
    assert [o["result"] for o in body["Observations"]] == [4]
    link = body["Observations@iot.nextLink"]
    assert "orderby" in link
    page2 = _follow(anon, link)
    assert [o["result"] for o in page2["value"]] == [3]  # the second-latest, not the second-oldest (1)
    page3 = _follow(anon, page2["@iot.nextLink"])
    assert [o["result"] for o in page3["value"]] == [2]
    # the path form with $skip, as the finding wrote it
    skipped = anon.get(
        f"Datastreams({ds.pk})/Observations", **{"$top": "1", "$skip": "1", "$orderby": "phenomenonTime desc"}
    ).json()
    assert [o["result"] for o in skipped["value"]] == [3]


def test_nested_next_link_keeps_filter_select_and_expand(anon: Any) -> None:
    ds = make_datastream(name="B")
    _observations(ds, 10)
    options = (
        "Observations($top=2;$filter=result gt 3;$select=result,phenomenonTime;$expand=FeatureOfInterest)"
    )
    thing = anon.get(f"Things({ds.thing_id})", **{"$expand": f"Datastreams($expand={options})"}).json()
    nested = thing["Datastreams"][0]
    assert [o["result"] for o in nested["Observations"]] == [4, 5]
    results: list[int] = []
    body = _follow(anon, nested["Observations@iot.nextLink"])
    while True:
        for item in body["value"]:
            assert set(item) == {"result", "phenomenonTime", "FeatureOfInterest"}
            results.append(item["result"])
        if "@iot.nextLink" not in body:
            break
        assert "$skiptoken" in body["@iot.nextLink"]
        body = _follow(anon, body["@iot.nextLink"])
    assert results == [6, 7, 8, 9]


def test_keyset_paging_default_order_with_equal_times(anon: Any) -> None:
    """Default order (phenomenonTime, id); many rows with the same time are neither lost nor repeated."""
    first = make_datastream(name="C1")
    second = make_datastream(name="C2")
    ids = _observations(first, 12, same_time=True) + _observations(second, 11)
    expected = sorted(m.Observation.objects.values_list("phenomenon_time_start", "pk"))
    seen: list[int] = []
    body = anon.get("Observations", **{"$top": "5", "$select": "id,result"}).json()
    pages = 1
    while "@iot.nextLink" in body:
        seen += [o["@iot.id"] for o in body["value"]]
        link = body["@iot.nextLink"]
        assert "$skiptoken=" in link
        assert "$skip=" not in link
        assert "select" in link
        body = _follow(anon, link)
        pages += 1
    seen += [o["@iot.id"] for o in body["value"]]
    assert seen == [pk for _t, pk in expected]
    assert sorted(seen) == sorted(ids)
    assert pages == 5
    # $skip still works per the spec, in the same order
    skipped = anon.get("Observations", **{"$top": "5", "$skip": "5"}).json()
    assert [o["@iot.id"] for o in skipped["value"]] == seen[5:10]
    assert "$skiptoken" in skipped["@iot.nextLink"]
    following = _follow(anon, skipped["@iot.nextLink"])
    assert [o["@iot.id"] for o in following["value"]] == seen[10:15]


def test_keyset_paging_with_expand_and_filter_keeps_order(anon: Any) -> None:
    ds = make_datastream(name="D")
    _observations(ds, 9)
    seen: list[int] = []
    params = {
        "$top": "4",
        "$filter": "result ge 2",
        "$orderby": "phenomenonTime desc",
        "$expand": "Datastream",
    }
    body = anon.get("Observations", **params).json()
    while True:
        seen += [o["result"] for o in body["value"]]
        assert all(o["Datastream"]["@iot.id"] == ds.pk for o in body["value"])
        if "@iot.nextLink" not in body:
            break
        body = _follow(anon, body["@iot.nextLink"])
    assert seen == [8, 7, 6, 5, 4, 3, 2]


def test_nested_top_per_parent_is_the_latest_of_each(anon: Any) -> None:
    streams = [make_datastream(name=f"E{i}") for i in range(3)]
    for i, ds in enumerate(streams):
        _observations(ds, 4 + i)
    body = anon.get(
        "Things",
        **{"$expand": "Datastreams($expand=Observations($top=1;$orderby=phenomenonTime desc))"},
    ).json()
    latest = {t["Datastreams"][0]["@iot.id"]: t["Datastreams"][0]["Observations"] for t in body["value"]}
    assert {pk: [o["result"] for o in obs] for pk, obs in latest.items()} == {
        streams[0].pk: [3],
        streams[1].pk: [4],
        streams[2].pk: [5],
    }
    # a filter and $skip inside the nested options apply per parent
    body = anon.get(
        "Datastreams",
        **{"$expand": "Observations($top=2;$skip=1;$filter=result lt 4;$orderby=result desc;$count=true)"},
    ).json()
    assert [[o["result"] for o in d["Observations"]] for d in body["value"]] == [[2, 1], [2, 1], [2, 1]]
    assert [d["Observations@iot.count"] for d in body["value"]] == [4, 4, 4]
    assert all("Observations@iot.nextLink" in d for d in body["value"])


def test_result_format_data_array_on_get(anon: Any) -> None:
    """Finding: $resultFormat=dataArray was parsed and ignored on GET (OGC 18-088 §14.3)."""
    first, second = make_datastream(name="F1"), make_datastream(name="F2")
    _observations(first, 3)
    _observations(second, 2)
    body = anon.get("Observations", **{"$resultFormat": "dataArray", "$count": "true", "$top": "4"}).json()
    assert body["@iot.count"] == 5
    assert "$resultFormat=dataArray" in body["@iot.nextLink"]
    groups = body["value"]
    assert {g["Datastream@iot.navigationLink"] for g in groups} == {
        f"http://testserver/sta/v1.1/Datastreams({first.pk})",
        f"http://testserver/sta/v1.1/Datastreams({second.pk})",
    }
    for group in groups:
        assert group["components"] == [
            "id", "phenomenonTime", "resultTime", "result", "resultQuality", "validTime", "parameters",
        ]  # fmt: skip
        assert group["dataArray@iot.count"] == len(group["dataArray"])
        assert all(len(row) == 7 for row in group["dataArray"])
    assert sum(g["dataArray@iot.count"] for g in groups) == 4
    rest = _follow(anon, body["@iot.nextLink"])
    assert sum(g["dataArray@iot.count"] for g in rest["value"]) == 1
    selected = anon.get(
        f"Datastreams({first.pk})/Observations",
        **{
            "$resultFormat": "dataArray",
            "$select": "result,phenomenonTime",
            "$orderby": "phenomenonTime desc",
        },
    ).json()
    [group] = selected["value"]
    assert group["components"] == ["result", "phenomenonTime"]
    assert group["dataArray"] == [
        [2, "2024-03-01T00:02:00Z"],
        [1, "2024-03-01T00:01:00Z"],
        [0, "2024-03-01T00:00:00Z"],
    ]
    refused = anon.get("Things", **{"$resultFormat": "dataArray"})
    assert refused.status_code == 400
    assert refused.json()["type"] == "error"


def test_observed_area_is_maintained_on_write(sta: Any, anon: Any, thing_payload: Any) -> None:
    """Finding: Datastream observedArea was never filled. It is the bounding box of the features."""
    from konzeptk.sensing import observed_area

    observed_area.forget_cache()  # pairs remembered by earlier committing tests (ids are reused after a flush)
    sta.post("Things", thing_payload)
    ds = m.Datastream.objects.get()
    body = anon.get(f"Datastreams({ds.pk})").json()
    assert body["observedArea"] == {"type": "Point", "coordinates": [6.5645, 51.3331]}
    far = sta.post(
        "FeaturesOfInterest",
        {
            "name": "Uerdingen",
            "description": "Messpunkt",
            "encodingType": "application/geo+json",
            "feature": {"type": "LineString", "coordinates": [[6.60, 51.35], [6.62, 51.36]]},
        },
    ).json()["@iot.id"]
    response = sta.post(
        "CreateObservations",
        [
            {
                "Datastream": {"@iot.id": ds.pk},
                "components": ["phenomenonTime", "result", "FeatureOfInterest/id"],
                "dataArray": [["2024-07-02T12:00:00Z", 1, far]],
            }
        ],
    )
    assert response.status_code == 201, response.content
    area = anon.get(f"Datastreams({ds.pk})").json()["observedArea"]
    assert area == {
        "type": "Polygon",
        "coordinates": [
            [[6.5645, 51.3331], [6.62, 51.3331], [6.62, 51.36], [6.5645, 51.36], [6.5645, 51.3331]]
        ],
    }


def test_observed_area_costs_nothing_for_known_features(
    django_assert_num_queries: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from konzeptk.sensing import observed_area

    observed_area.forget_cache()
    ds = make_datastream(name="G")
    feature = m.FeatureOfInterest.objects.create(
        name="F", feature={"type": "Point", "coordinates": [7.0, 51.0]}
    )
    with django_capture_on_commit_callbacks(execute=True):
        observed_area.note({(ds.pk, feature.pk)})
    ds.refresh_from_db()
    assert ds.observed_area == {"type": "Point", "coordinates": [7.0, 51.0]}
    with django_assert_num_queries(0):
        observed_area.note({(ds.pk, feature.pk)})
    observed_area.forget_cache()
    m.Datastream.objects.filter(pk=ds.pk).update(observed_area=None)
    assert observed_area.rebuild() == 0  # no observations yet
    _observations(ds, 2)
    assert observed_area.rebuild() == 1


@override_settings(STA_COUNT_MODE="estimate", STA_COUNT_ESTIMATE_THRESHOLD=5)
def test_count_estimate_mode_counts_small_results_exactly(anon: Any) -> None:
    ds = make_datastream(name="H")
    _observations(ds, 4)
    assert anon.get("Observations", **{"$count": "true", "$top": "1"}).json()["@iot.count"] == 4
    _observations(ds, 20)
    count = anon.get("Observations", **{"$count": "true", "$top": "1"}).json()["@iot.count"]
    assert count >= 6  # beyond the threshold: at least the exact part, the estimate on PostgreSQL


def test_count_is_exact_by_default(anon: Any) -> None:
    ds = make_datastream(name="I")
    _observations(ds, 30)
    body = anon.get("Observations", **{"$count": "true", "$top": "1", "$filter": "result gt 20"}).json()
    assert body["@iot.count"] == 9


def test_expanded_leaf_rows_equal_the_entities(anon: Any) -> None:
    """An expanded collection without further $expand is read as plain rows; same JSON as the model path."""
    ds = make_datastream(name="J")
    _observations(ds, 3)
    m.Observation.objects.filter(result_number=1.0).update(
        result_number=None, result_json={"a": [1, 2]}, parameters={"p": 1}, result_quality=["ok"]
    )
    leaf = anon.get(f"Datastreams({ds.pk})", **{"$expand": "Observations"}).json()["Observations"]
    deeper = anon.get(
        f"Datastreams({ds.pk})", **{"$expand": "Observations($expand=FeatureOfInterest)"}
    ).json()
    for item in deeper["Observations"]:
        del item["FeatureOfInterest"]
    assert leaf == deeper["Observations"]
    assert leaf == anon.get(f"Datastreams({ds.pk})/Observations").json()["value"]
    assert leaf[1]["result"] == {"a": [1, 2]}
    assert leaf[1]["parameters"] == {"p": 1}
