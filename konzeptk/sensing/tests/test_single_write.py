"""The hot path of POST Observation (``single_write.py``) stores what the general path stores (issue 14, finding 5).

Once the Datastream, its generated FeatureOfInterest and the month are known to the process, one POST is one
statement on PostgreSQL (insert, roll-up upsert, Datastream times) and three in one transaction on SQLite. Each
test posts through both paths and compares the rows, the roll-ups (against a recompute from the raw rows), the
Datastream's times and the answers.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from konzeptk.accounts.models import Organisation
from konzeptk.sensing import models as m
from konzeptk.sensing import partitions, rollups
from konzeptk.sensing.tests.factories import make_datastream

pytestmark = pytest.mark.django_db(transaction=True)  # no test transaction: its savepoints would be counted


def _post(client: Client, token: str, body: Any, path: str = "Observations") -> Any:
    return client.post(
        f"/sta/v1.1/{path}",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def _hours(ds: m.Datastream) -> list[tuple[Any, ...]]:
    rows = m.ObservationHour.objects.filter(datastream=ds).order_by("hour")
    return [(h.hour, h.value_count, round(h.value_sum, 9), h.value_min, h.value_max) for h in rows]


BODIES: list[dict[str, Any]] = [
    {"phenomenonTime": "2024-07-01T12:00:00Z", "result": 1.5},
    {"phenomenonTime": "2024-07-01T12:30:00.250Z", "result": 3, "resultTime": "2024-07-01T12:31:00Z"},
    {"phenomenonTime": "2024-07-01T10:00:00+02:00", "result": -2.25, "parameters": {"batterie": 3.1}},
    {"phenomenonTime": "2024-07-01T14:00:00Z/2024-07-01T15:00:00Z", "result": 7.0},
    {"phenomenonTime": "2024-06-30T23:59:59Z", "result": "trocken", "resultQuality": {"grad": "gut"}},
    {
        "phenomenonTime": "2024-07-02T00:00:00Z",
        "result": {"wert": 1},
        "validTime": "2024-07-02T00:00:00Z/2024-07-03T00:00:00Z",
    },
    {"result": 4.0},  # phenomenonTime: now
]


def test_hot_path_stores_like_the_general_path(
    client: Client, org: Organisation, token: str, django_assert_max_num_queries: Any
) -> None:
    ds = make_datastream(org)
    first = _post(
        client,
        token,
        {"phenomenonTime": "2024-07-01T11:00:00Z", "result": 0.5, "Datastream": {"@iot.id": ds.pk}},
    )
    assert first.status_code == 201, first.content  # the general path: fills the caches
    partitions.ensure_for([dt.datetime(2024, 6, 30, tzinfo=dt.UTC), timezone.now()])  # the other months
    statements = 1 if connection.vendor == "postgresql" else 5  # SQLite: BEGIN, 3 statements, COMMIT
    for body in BODIES:
        with django_assert_max_num_queries(statements):
            answer = _post(client, token, {**body, "Datastream": {"@iot.id": ds.pk}})
        assert answer.status_code == 201, answer.content
        stored = client.get(answer["Location"]).json()
        assert answer.json() == stored
        for key, value in body.items():
            if key != "phenomenonTime":
                assert stored[key] == value
    observations = m.Observation.objects.filter(datastream=ds)
    assert observations.count() == len(BODIES) + 1
    kept = _hours(ds)
    rollups.rebuild(ds.pk)
    assert kept == _hours(ds)
    ds.refresh_from_db()
    starts = [o.phenomenon_time_start for o in observations]
    ends = [o.phenomenon_time_end or o.phenomenon_time_start for o in observations]
    assert (ds.phenomenon_time_start, ds.phenomenon_time_end) == (min(starts), max(ends))
    result_times = [o.result_time for o in observations if o.result_time]
    assert (ds.result_time_start, ds.result_time_end) == (min(result_times), max(result_times))


def test_with_the_rate_limit_counted_in_the_database_a_write_adds_one_statement(
    client: Client, org: Organisation, token: str, settings: Any, django_assert_max_num_queries: Any
) -> None:
    """In production the ``ingest`` budget of the token counts in the shared cache: without Redis in the
    database, with one statement (``AtomicDatabaseCache.count``) next to the write's own."""
    settings.RATELIMIT_ENABLE = True
    ds = make_datastream(org)
    body = {"phenomenonTime": "2024-07-01T11:00:00Z", "result": 0.5, "Datastream": {"@iot.id": ds.pk}}
    assert _post(client, token, body).status_code == 201  # the general path: fills the caches
    # the counter, then the write: one statement on PostgreSQL; on SQLite BEGIN, 3 statements, COMMIT
    statements = 2 if connection.vendor == "postgresql" else 6
    for minute in range(1, 4):
        with django_assert_max_num_queries(statements):
            answer = _post(client, token, {**body, "phenomenonTime": f"2024-07-01T11:{minute:02}:00Z"})
        assert answer.status_code == 201, answer.content
    assert m.Observation.objects.filter(datastream=ds).count() == 4


def test_nested_path_and_a_time_that_widens_nothing(client: Client, org: Organisation, token: str) -> None:
    ds = make_datastream(org)
    path = f"Datastreams({ds.pk})/Observations"
    for minute in (10, 50, 30):  # the last lies inside the span: the Datastream row stays as it is
        answer = _post(
            client, token, {"phenomenonTime": f"2024-07-01T12:{minute}:00Z", "result": minute}, path
        )
        assert answer.status_code == 201, answer.content
    ds.refresh_from_db()
    assert ds.phenomenon_time_start is not None
    assert ds.phenomenon_time_end is not None
    assert (ds.phenomenon_time_start.minute, ds.phenomenon_time_end.minute) == (10, 50)
    assert _hours(ds)[0][1:] == (3, 90.0, 10.0, 50.0)
    both = {"phenomenonTime": "2024-07-01T12:00:00Z", "result": 1, "Datastream": {"@iot.id": ds.pk}}
    assert _post(client, token, both, path).status_code == 400  # the path already sets the Datastream


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"phenomenonTime": "2024-07-01T12:00:00Z"}, 400),  # no result
        ({"phenomenonTime": "gestern", "result": 1}, 400),
        ({"phenomenonTime": "2024-07-01T12:00:00Z", "result": 1, "farbe": "rot"}, 400),
        (
            {
                "phenomenonTime": "2024-07-01T12:00:00Z",
                "result": 1,
                "resultTime": "2024-07-01T12:00:00Z/2024-07-01T13:00:00Z",
            },
            400,
        ),
        ({"phenomenonTime": "2024-07-01T12:00:00Z", "result": 1, "parameters": [1]}, 400),
        ({"phenomenonTime": "2024-07-01T12:00:00Z", "result": 1, "Datastream": {"@iot.id": 10**9}}, 400),
        ({"phenomenonTime": "2024-07-01T12:00:00Z", "result": 1, "Datastream": {"@iot.id": "x"}}, 400),
        ({"phenomenonTime": "3024-07-01T12:00:00Z", "result": 1}, 400),
    ],
)
def test_bad_input_on_the_hot_path_is_400(
    client: Client, org: Organisation, token: str, body: dict[str, Any], status: int
) -> None:
    ds = make_datastream(org)
    assert (
        _post(
            client,
            token,
            {"phenomenonTime": "2024-07-01T11:00:00Z", "result": 0, "Datastream": {"@iot.id": ds.pk}},
        ).status_code
        == 201
    )
    answer = _post(client, token, {"Datastream": {"@iot.id": ds.pk}, **body})
    assert answer.status_code == status, answer.content
    assert answer.json()["code"] == status
    assert m.Observation.objects.filter(datastream=ds).count() == 1


def test_other_organisation_and_linked_feature(
    client: Client, org: Organisation, other_org: Organisation, token: str
) -> None:
    mine, theirs = make_datastream(org), make_datastream(other_org, name="Fremd")
    for ds in (mine, theirs):  # both known to the process now
        m.Observation.objects.create(
            datastream=ds, phenomenon_time_start=dt.datetime(2024, 7, 1, 10, tzinfo=dt.UTC), result_number=1
        )
    body = {"phenomenonTime": "2024-07-01T12:00:00Z", "result": 1}
    assert _post(client, token, {**body, "Datastream": {"@iot.id": mine.pk}}).status_code == 201
    assert _post(client, token, {**body, "Datastream": {"@iot.id": theirs.pk}}).status_code == 403
    feature = m.FeatureOfInterest.objects.create(
        name="Brunnen",
        encoding_type="application/geo+json",
        feature={"type": "Point", "coordinates": [6.6, 51.3]},
    )
    linked = _post(
        client,
        token,
        {**body, "Datastream": {"@iot.id": mine.pk}, "FeatureOfInterest": {"@iot.id": feature.pk}},
    )
    assert linked.status_code == 201, linked.content
    assert m.Observation.objects.get(pk=linked.json()["@iot.id"]).feature_of_interest_id == feature.pk
    assert m.Observation.objects.filter(datastream=theirs).count() == 1
