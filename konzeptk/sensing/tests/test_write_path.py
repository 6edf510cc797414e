"""Single writes: few statements, cached look-ups that follow changes, conflicts retried (issue 14, findings 1, 5).

One POST Observation ran 11 SQL statements (token, token update, Datastream, Thing, Location, feature,
DELETE + INSERT of the roll-up, …). Now: the INSERT, the roll-up lock and upsert, the Datastream's times.
"""

from __future__ import annotations

import json
from typing import Any

import psycopg
import pytest
from django.db import OperationalError, connection
from django.test import Client

from konzeptk.accounts.models import Organisation
from konzeptk.sensing import models as m
from konzeptk.sensing import retry, rollups, services, writecache
from konzeptk.sensing.services import api_token_create, api_token_revoke
from konzeptk.sensing.tests.factories import make_datastream


def _post(client: Client, token: str, body: Any, path: str = "Observations") -> Any:
    return client.post(
        f"/sta/v1.1/{path}",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def _observation(ds: m.Datastream, minute: int, result: float = 1.5) -> dict[str, Any]:
    return {
        "phenomenonTime": f"2024-07-01T12:{minute:02d}:00Z",
        "result": result,
        "Datastream": {"@iot.id": ds.pk},
    }


@pytest.mark.django_db(transaction=True)  # no test transaction: the savepoints of a test would be counted
def test_post_observation_costs_at_most_four_statements(
    client: Client, org: Organisation, token: str, django_assert_max_num_queries: Any
) -> None:
    ds = make_datastream(org)
    writecache.clear()
    first = _post(
        client, token, _observation(ds, 0)
    )  # fills the caches (token, Datastream, feature, partition)
    assert first.status_code == 201, first.content
    # four statements, plus the BEGIN and COMMIT that both backends log
    with django_assert_max_num_queries(6) as captured:
        answer = _post(client, token, _observation(ds, 1, 2.5))
    assert answer.status_code == 201, answer.content
    control = ("BEGIN", "BEGIN IMMEDIATE", "COMMIT")
    statements = [q["sql"] for q in captured.captured_queries if q["sql"] not in control]
    assert len(statements) <= 4, statements
    sql = " ".join(statements)
    assert "DELETE" not in sql  # the roll-up is one upsert, not a recompute
    assert m.Observation.objects.filter(datastream=ds).count() == 2
    hour = m.ObservationHour.objects.get(datastream=ds)
    assert (hour.value_count, hour.value_sum, hour.value_min, hour.value_max) == (2, 4.0, 1.5, 2.5)
    ds.refresh_from_db()
    assert ds.phenomenon_time_end is not None
    assert ds.phenomenon_time_end.minute == 1


@pytest.mark.django_db(transaction=True)
def test_create_observations_reads_no_datastream_or_feature_when_cached(
    client: Client, org: Organisation, token: str, django_assert_max_num_queries: Any
) -> None:
    ds = make_datastream(org)
    body = [
        {
            "Datastream": {"@iot.id": ds.pk},
            "components": ["phenomenonTime", "result"],
            "dataArray": [[f"2024-07-01T13:{i:02d}:00Z", i] for i in range(50)],
        }
    ]
    assert _post(client, token, body, "CreateObservations").status_code == 201
    # SQLite: ids, insert, roll-up lock + upsert, Datastream times (+ BEGIN, COMMIT); PostgreSQL: the landing (ids,
    # COPY) and the fold in the same request (SENSING_FOLD "inline": lock, batch, orphans, roll-up locks, the fold
    # statement, the batch dropped, finished blocks removed), with BEGIN, COMMIT and savepoints; no statement per row
    with django_assert_max_num_queries(15 if connection.vendor == "postgresql" else 8):
        assert _post(client, token, body, "CreateObservations").status_code == 201
    assert m.Observation.objects.filter(datastream=ds).count() == 100


@pytest.mark.django_db
def test_cached_lookups_follow_changes(client: Client, org: Organisation, other_org: Organisation) -> None:
    raw = api_token_create(organisation=org, name="Schreiben")[1]
    ds = make_datastream(org)
    assert _post(client, raw, _observation(ds, 0)).status_code == 201
    feature = m.Observation.objects.get(datastream=ds).feature_of_interest_id

    # the Thing's new (first) Location: a new generated feature for the next observation
    new_location = m.Location.objects.create(
        name="Neu", location={"type": "Point", "coordinates": [6.6, 51.3]}
    )
    old_location = ds.thing.locations.get()
    ds.thing.locations.set([new_location])
    assert _post(client, raw, _observation(ds, 1)).status_code == 201
    features = set(
        m.Observation.objects.filter(datastream=ds).values_list("feature_of_interest_id", flat=True)
    )
    assert len(features) == 2
    assert feature in features
    assert (
        m.FeatureOfInterest.objects.get(pk=(features - {feature}).pop()).generated_from_id == new_location.pk
    )
    assert old_location.pk != new_location.pk

    # the Thing moves to another organisation: this token may no longer write to it
    thing = ds.thing
    thing.organisation = other_org
    thing.save()
    assert _post(client, raw, _observation(ds, 2)).status_code == 403

    # a Datastream that is deleted is unknown at once
    other = make_datastream(org, name="Zweiter Pegel")
    assert _post(client, raw, _observation(other, 3)).status_code == 201
    gone = m.Datastream(pk=other.pk)
    other.delete()
    answer = _post(client, raw, _observation(gone, 4))
    assert answer.status_code == 400
    assert "gibt es nicht" in answer.json()["message"]

    # a revoked token is refused at once
    token = m.ApiToken.objects.get(organisation=org)
    api_token_revoke(token=token)
    assert _post(client, raw, _observation(ds, 5)).status_code == 401


def _deadlock() -> OperationalError:
    error = OperationalError("deadlock detected")
    error.__cause__ = psycopg.errors.DeadlockDetected("deadlock detected")
    return error


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "conflict",
    [_deadlock, lambda: OperationalError("database is locked")],
    ids=["postgresql-deadlock", "sqlite-locked"],
)
def test_a_conflict_is_retried_and_not_blamed_on_the_client(
    client: Client, org: Organisation, token: str, monkeypatch: Any, conflict: Any
) -> None:
    ds = make_datastream(org)
    real = services.entity_create
    calls = []

    def meets_another_writer(**kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) < 3:
            raise conflict()
        return real(**kwargs)

    monkeypatch.setattr(services, "entity_create", meets_another_writer)
    monkeypatch.setattr(retry, "BASE_PAUSE", 0.001)
    answer = _post(client, token, _observation(ds, 0))
    assert answer.status_code == 201, answer.content
    assert len(calls) == 3
    assert m.Observation.objects.filter(datastream=ds).count() == 1
    assert m.ObservationHour.objects.get(datastream=ds).value_count == 1


@pytest.mark.django_db(transaction=True)
def test_when_retries_run_out_the_answer_is_503_with_retry_after(
    client: Client, org: Organisation, token: str, monkeypatch: Any
) -> None:
    ds = make_datastream(org)

    def always(**_kwargs: Any) -> Any:
        raise _deadlock()

    monkeypatch.setattr(services, "entity_create", always)
    monkeypatch.setattr(retry, "BASE_PAUSE", 0.001)
    answer = _post(client, token, _observation(ds, 0))
    assert answer.status_code == 503
    assert answer["Retry-After"] == "1"
    body = answer.json()
    assert body["code"] == 503
    assert body["type"] == "error"
    assert "versuchen Sie es" in body["message"]


@pytest.mark.django_db(transaction=True)
def test_an_unreachable_database_is_503_and_bad_values_stay_400(
    client: Client, org: Organisation, token: str, monkeypatch: Any
) -> None:
    ds = make_datastream(org)
    writecache.clear()

    def gone(**_kwargs: Any) -> Any:
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(services, "entity_create", gone)
    answer = _post(client, token, _observation(ds, 0))
    assert answer.status_code == 503
    assert answer["Retry-After"]
    monkeypatch.undo()
    bad = _post(client, token, {"result": 1, "Datastream": {"@iot.id": ds.pk}, "phenomenonTime": "gestern"})
    assert bad.status_code == 400


@pytest.mark.django_db(transaction=True)
def test_an_update_moves_the_observation_between_hours(client: Client, org: Organisation, token: str) -> None:
    ds = make_datastream(org)
    answer = _post(client, token, _observation(ds, 0, 3.0))
    pk = answer.json()["@iot.id"]
    _post(client, token, _observation(ds, 5, 5.0))
    moved = client.patch(
        f"/sta/v1.1/Observations({pk})",
        data=json.dumps({"phenomenonTime": "2024-07-01T14:00:00Z"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert moved.status_code == 200, moved.content
    kept = list(
        m.ObservationHour.objects.filter(datastream=ds)
        .order_by("hour")
        .values_list("value_count", "value_sum")
    )
    assert kept == [(1, 5.0), (1, 3.0)]
    rollups.rebuild(ds.pk)
    assert kept == list(
        m.ObservationHour.objects.filter(datastream=ds)
        .order_by("hour")
        .values_list("value_count", "value_sum")
    )
