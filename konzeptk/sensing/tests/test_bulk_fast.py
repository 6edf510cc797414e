"""CreateObservations of the common shape (``bulk_fast.py``, PostgreSQL): landed and folded, answered like the row
path. (The landing itself, with the fold deferred to a worker: ``test_landing.py``.)

On SQLite the same requests go row by row (``bulk.py``): every assertion here holds on both backends.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from konzeptk.accounts.models import Organisation
from konzeptk.sensing import models as m
from konzeptk.sensing import rollups
from konzeptk.sensing.tests.factories import make_datastream

pytestmark = pytest.mark.django_db


def _post(client: Client, token: str, body: Any) -> Any:
    return client.post(
        "/sta/v1.1/CreateObservations",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def _ids(answer: Any) -> list[int]:
    return [int(r.rsplit("(", 1)[1].rstrip(")")) if r.startswith("http") else 0 for r in answer.json()]


def _hours(ds: m.Datastream) -> list[tuple[Any, ...]]:
    rows = m.ObservationHour.objects.filter(datastream=ds).order_by("hour")
    return [(h.hour, h.value_count, round(h.value_sum, 9), h.value_min, h.value_max) for h in rows]


def test_common_shape_stores_every_row_in_order(
    client: Client,
    org: Organisation,
    token: str,
    django_assert_max_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    first, second = make_datastream(org), make_datastream(org, name="Pegel 2")
    rows = [
        [f"2024-07-01T{h:02d}:{mi:02d}:00Z", h * 100 + mi + 0.5] for h in range(0, 24, 5) for mi in (0, 59)
    ]
    body: list[dict[str, Any]] = [
        {"Datastream": {"@iot.id": first.pk}, "components": ["phenomenonTime", "result"], "dataArray": rows},
        {  # the other order of the components; whole numbers and a fraction of a second
            "Datastream": {"@iot.id": second.pk},
            "components": ["result", "phenomenonTime"],
            "dataArray@iot.count": 3,
            "dataArray": [
                [7, "2024-07-31T23:59:59.5Z"],
                [-1, "2024-08-01T00:00:00"],
                [2.25, "2024-07-15T12:00:00Z"],
            ],
        },
    ]
    with django_capture_on_commit_callbacks(execute=True):  # the caches are filled when a write commits
        assert _post(client, token, body).status_code == 201  # creates the partitions, the feature
    # PostgreSQL: the ids, the COPY, the fold in the same transaction (lock, batch, orphans, Datastreams, a
    # roll-up lock per Datastream, the fold statement, the batch dropped, finished blocks removed) + SAVEPOINT and RELEASE of the fold
    # and the landing; SQLite: no statement per row
    with django_assert_max_num_queries(15 if connection.vendor == "postgresql" else 10):
        answer = _post(client, token, body)
    assert answer.status_code == 201, answer.content
    ids = _ids(answer)
    assert len(ids) == len(rows) + 3
    assert 0 not in ids
    got = {o.pk: o for o in m.Observation.objects.filter(pk__in=ids)}
    for pk, (time, value) in zip(ids, rows + [[t, v] for v, t in body[1]["dataArray"]], strict=True):
        obs = got[pk]
        assert obs.result_number == value
        assert obs.phenomenon_time_start == dt.datetime.fromisoformat(time).replace(tzinfo=dt.UTC)
        assert obs.feature_of_interest_id is not None
    for ds in (first, second):
        kept = _hours(ds)
        rollups.rebuild(ds.pk)
        assert kept == _hours(ds)
        ds.refresh_from_db()
        times = list(
            m.Observation.objects.filter(datastream=ds).values_list("phenomenon_time_start", flat=True)
        )
        assert (ds.phenomenon_time_start, ds.phenomenon_time_end) == (min(times), max(times))
    assert m.Observation.objects.filter(datastream=first).count() == 2 * len(rows)


@pytest.mark.parametrize(
    ("rows", "errors"),
    [
        ([["2024-02-30T00:00:00Z", 1], ["2024-02-28T00:00:00Z", 2]], [0]),  # PostgreSQL refuses the batch
        ([["2024-07-01T02:00:00+02:00", 1], ["2024-07-01T00:30:00Z", 2]], []),  # an offset: the row path
        ([["kein Datum", 1], ["2024-07-01T00:00:00Z", 2]], [0]),
        ([["2024-07-01T00:00:00Z\n2024-07-01T01:00:00Z", 1], ["2024-07-01T00:00:00Z", 2]], [0]),  # two in one
        ([["2024-07-01T00:00:00Z", "warm"], ["2024-07-01T00:00:00Z", True]], []),  # not numbers: result_json
        ([["2024-07-01T00:00:00Z", 1], ["2024-07-01T00:00:00Z"]], [1]),
        ([["2024-07-01T24:00:00Z", 1], ["3024-07-01T00:00:00Z", 2]], [0, 1]),
    ],
)
def test_other_rows_go_the_row_path(
    client: Client, org: Organisation, token: str, rows: list[Any], errors: list[int]
) -> None:
    ds = make_datastream(org)
    body = [{"Datastream": {"@iot.id": ds.pk}, "components": ["phenomenonTime", "result"], "dataArray": rows}]
    answer = _post(client, token, body)
    assert answer.status_code == 201, answer.content
    results = answer.json()
    assert [i for i, r in enumerate(results) if r.startswith("error")] == errors
    stored = m.Observation.objects.filter(datastream=ds)
    assert stored.count() == len(rows) - len(errors)
    if rows[0][0].endswith("+02:00"):
        assert {o.phenomenon_time_start.hour for o in stored} == {0}
    kept = _hours(ds)
    rollups.rebuild(ds.pk)
    assert kept == _hours(ds)


def test_refusals_are_the_same(
    client: Client, org: Organisation, other_org: Organisation, token: str
) -> None:
    foreign = make_datastream(other_org, name="Fremd")
    row = [["2024-07-01T00:00:00Z", 1]]
    body = [
        {"Datastream": {"@iot.id": foreign.pk}, "components": ["phenomenonTime", "result"], "dataArray": row}
    ]
    assert _post(client, token, body).status_code == 403
    body[0]["Datastream"] = {"@iot.id": 10**9}
    assert _post(client, token, body).status_code == 400
    lonely = make_datastream(org, name="Ohne Ort")
    lonely.thing.locations.clear()
    body[0]["Datastream"] = {"@iot.id": lonely.pk}
    answer = _post(client, token, body)  # no FeatureOfInterest can be generated: an error for the row
    assert answer.status_code == 201
    assert answer.json()[0].startswith("error")
    assert not m.Observation.objects.filter(datastream__in=[foreign, lonely]).exists()


@pytest.mark.parametrize(
    "ranges",
    [
        [],
        [range(5, 5)],
        [range(12)],  # ids below 10,000: nothing shared
        [range(9_990, 10_011)],  # across the first four-digit boundary
        [range(2**50 + 9_995, 2**50 + 30_007), range(3, 4)],  # landed ids over several runs, then a small one
        [range(2**53 - 20_000, 2**53)],
    ],
)
def test_self_links_are_those_of_every_id(ranges: list[range]) -> None:
    """The joined answer of CreateObservations is exactly one formatted selfLink per id, in order, escaped."""
    from konzeptk.sensing.sta.serialize import self_links_json

    base = 'https://sta.example/a"b\\c/sta/v1.1/Observations'
    assert json.loads(self_links_json(base, ranges)) == [f"{base}({pk})" for ids in ranges for pk in ids]
