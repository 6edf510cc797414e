"""CreateObservations lands, a worker folds (``landing.py``, PostgreSQL; SQLite writes directly).

With ``SENSING_FOLD = "celery"`` the request only lands the rows; these tests hold the queued task back and fold
by hand, to see both sides: what is answered and readable at once, and what the fold makes of it.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client, override_settings

from konzeptk.accounts.models import Organisation
from konzeptk.core.tests.test_celery import redis_db  # noqa: F401 – fixture
from konzeptk.sensing import landing, rollups
from konzeptk.sensing import models as m
from konzeptk.sensing.tests.factories import make_datastream
from konzeptk.sensing.tests.test_bulk_fast import _hours, _ids

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the landing table exists on PostgreSQL"),
]
URL = "/sta/v1.1/CreateObservations"


@pytest.fixture
def deferred(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Fold by a (held back) worker: the queued tasks are counted, not run."""
    from konzeptk.sensing import tasks

    queued: list[int] = []
    monkeypatch.setattr(tasks.fold_landed, "delay", lambda: queued.append(1))
    with override_settings(SENSING_FOLD="celery"):
        yield queued


def _post(client: Client, token: str, body: Any) -> Any:
    return client.post(
        URL, data=json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )


def _body(
    ds: m.Datastream, start: dt.datetime, count: int, step: dt.timedelta = dt.timedelta(minutes=7)
) -> list[Any]:
    rows = [
        [(start + i * step).isoformat().replace("+00:00", "Z"), 10.0 + i % 5 + 0.25] for i in range(count)
    ]
    return [{"Datastream": {"@iot.id": ds.pk}, "components": ["phenomenonTime", "result"], "dataArray": rows}]


def test_landed_rows_answer_at_once_and_fold_exactly(
    client: Client,
    org: Organisation,
    token: str,
    deferred: list[int],
    django_assert_max_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    ds, other = make_datastream(org), make_datastream(org, name="Pegel 2")
    start = dt.datetime(2024, 3, 30, 22, 0, tzinfo=dt.UTC)  # across a month (two partitions) and DST
    with django_capture_on_commit_callbacks(execute=True):  # fills the write cache, queues a fold
        _post(client, token, _body(ds, start - dt.timedelta(days=9), 1) + _body(other, start, 3))
    body = _body(ds, start, 40) + _body(other, start + dt.timedelta(hours=5), 25)
    with django_capture_on_commit_callbacks(execute=True), django_assert_max_num_queries(4) as captured:
        # SAVEPOINT, the COPY, RELEASE (and once per 64 blocks a value of the block sequence): nothing per row
        answer = _post(client, token, body)
    assert sum(q["sql"].startswith("COPY") for q in captured.captured_queries) == 1
    assert answer.status_code == 201, answer.content
    ids = _ids(answer)
    assert len(ids) == 65 == len(set(ids))
    assert len(deferred) == 2  # one fold queued per commit
    assert landing.pending() == 69
    assert not m.Observation.objects.filter(datastream=ds).exists()
    # every selfLink resolves before the fold, with its values
    first = client.get(f"/sta/v1.1/Observations({ids[0]})").json()
    assert (first["result"], first["phenomenonTime"]) == (10.25, "2024-03-30T22:00:00Z")
    assert client.get(f"/sta/v1.1/Observations({ids[-1]})").status_code == 200
    assert client.get(f"/sta/v1.1/Observations({max(ids) + 10_000})").status_code == 404

    folded = landing.fold()
    assert (folded.rows, folded.dropped) == (69, 0)
    assert landing.pending() == 0
    stored = {o.pk: o for o in m.Observation.objects.filter(pk__in=ids)}
    assert len(stored) == 65
    rows = body[0]["dataArray"] + body[1]["dataArray"]
    for pk, (time, value) in zip(ids, rows, strict=True):
        assert stored[pk].result_number == value
        assert stored[pk].phenomenon_time_start == dt.datetime.fromisoformat(time)
        assert stored[pk].feature_of_interest_id is not None
    for stream in (ds, other):
        kept = _hours(stream)
        rollups.rebuild(stream.pk)
        assert kept == _hours(stream) != []
        stream.refresh_from_db()
        times = list(
            m.Observation.objects.filter(datastream=stream).values_list("phenomenon_time_start", flat=True)
        )
        assert (stream.phenomenon_time_start, stream.phenomenon_time_end) == (min(times), max(times))
        assert stream.observed_area is not None
    assert client.get(f"/sta/v1.1/Observations({ids[0]})").json()["result"] == 10.25
    assert landing.fold().rows == 0  # nothing left: a second folder finds nothing


def test_changing_a_landed_observation_folds_first(
    client: Client, org: Organisation, token: str, deferred: list[int]
) -> None:
    ds = make_datastream(org)
    ids = _ids(_post(client, token, _body(ds, dt.datetime(2024, 5, 1, tzinfo=dt.UTC), 3)))
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    answer = client.patch(
        f"/sta/v1.1/Observations({ids[0]})",
        data=json.dumps({"result": 99.5}),
        content_type="application/json",
        **headers,
    )
    assert answer.status_code == 200, answer.content
    assert landing.pending() == 0
    assert m.Observation.objects.get(pk=ids[0]).result_number == 99.5
    assert client.delete(f"/sta/v1.1/Observations({ids[1]})", **headers).status_code == 200
    assert list(m.Observation.objects.filter(datastream=ds).values_list("pk", flat=True).order_by("pk")) == [
        ids[0],
        ids[2],
    ]
    kept = _hours(ds)
    rollups.rebuild(ds.pk)
    assert kept == _hours(ds)


def test_rows_of_a_deleted_datastream_are_dropped_by_the_fold(
    client: Client, org: Organisation, token: str, deferred: list[int]
) -> None:
    gone, kept = make_datastream(org, name="Weg"), make_datastream(org, name="Bleibt")
    start = dt.datetime(2024, 5, 1, tzinfo=dt.UTC)
    assert _post(client, token, _body(gone, start, 4) + _body(kept, start, 5)).status_code == 201
    gone.delete()
    folded = landing.fold()
    assert (folded.rows, folded.dropped) == (5, 4)
    assert m.Observation.objects.filter(datastream=kept).count() == 5


def test_a_backlog_is_folded_in_bounded_transactions(
    client: Client, org: Organisation, token: str, deferred: list[int]
) -> None:
    ds = make_datastream(org)
    start = dt.datetime(2024, 6, 1, tzinfo=dt.UTC)
    for part in range(3):
        assert _post(client, token, _body(ds, start + dt.timedelta(days=part), 7)).status_code == 201
    assert landing.fold(limit=4) == landing.Folded(21, 0)
    assert m.Observation.objects.filter(datastream=ds).count() == 21
    kept = _hours(ds)
    rollups.rebuild(ds.pk)
    assert kept == _hours(ds)


def test_other_shapes_are_not_landed(
    client: Client, org: Organisation, token: str, deferred: list[int]
) -> None:
    ds = make_datastream(org)
    body = _body(ds, dt.datetime(2024, 6, 1, tzinfo=dt.UTC), 2)
    body[0]["dataArray"][1][0] = "2024-06-01T00:07:00"  # no offset: the row path (UTC), directly stored
    assert _post(client, token, body).status_code == 201
    assert landing.pending() == 0
    assert m.Observation.objects.filter(datastream=ds).count() == 2
    assert connection.vendor == "postgresql"


# transaction=True: the worker thread has its own database connection and sees only committed rows
@pytest.mark.django_db(transaction=True)
def test_a_real_celery_worker_folds_what_the_api_landed(redis_db: Any, settings: Any) -> None:  # noqa: F811
    """Production: the commit queues ``sensing.fold_landed`` in Redis, a worker takes it and folds."""
    from celery.contrib.testing.worker import start_worker

    from konzeptk.core.tests.test_celery import _wait_for, app
    from konzeptk.sensing.services import api_token_create

    settings.SENSING_FOLD = "celery"
    app.loader.import_default_modules()  # the worker knows the tasks of every app, as at its start
    org = Organisation.objects.create(slug="falten", name="Falten", short_name="F")
    token = api_token_create(organisation=org, name="Worker")[1]
    ds = make_datastream(org)
    client = Client()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30, loglevel="WARNING"):
        answers = [
            _post(client, token, _body(ds, dt.datetime(2024, 9, 1, tzinfo=dt.UTC) + dt.timedelta(days=d), 50))
            for d in range(4)
        ]
        assert [a.status_code for a in answers] == [201] * 4
        ids = [pk for answer in answers for pk in _ids(answer)]
        assert _wait_for(lambda: m.Observation.objects.filter(pk__in=ids).count() == 200)
    assert landing.pending() == 0
    kept = _hours(ds)
    rollups.rebuild(ds.pk)
    assert kept == _hours(ds) != []
    assert redis_db.llen("celery") == 0


def test_a_fold_with_nothing_landed_costs_one_statement(django_assert_num_queries: Any) -> None:
    assert landing.available()
    with django_assert_num_queries(1):
        assert landing.fold() == landing.Folded(0, 0)


@pytest.mark.parametrize(
    "rows",
    [
        '[["2024-06-01T00:00:00Z", 1e999]]',  # infinite: not a number JSON can carry
        '[["2024-06-01T00:00:00Z", 1], ["1799-12-31T23:00:00Z", 2]]',  # outside the storable years
        '[["2024-02-30T00:00:00Z", 1]]',  # no such day
        '[["2024-06-01T00:00:00Z", true]]',  # a result, but not a number: the row path stores it as JSON
        '[["2024-06-01T00:00:00Z", NaN]]',
    ],
)
def test_hostile_rows_are_not_landed(
    client: Client, org: Organisation, token: str, deferred: list[int], rows: str
) -> None:
    ds = make_datastream(org)
    body = f'[{{"Datastream": {{"@iot.id": {ds.pk}}}, "components": ["phenomenonTime", "result"], "dataArray": {rows}}}]'
    answer = client.post(
        URL, data=body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert answer.status_code in (201, 400), answer.content
    assert answer["Content-Type"] == "application/json"
    assert landing.pending() == 0
    if answer.status_code == 201:  # answered per row by the row path: the bad rows with their error
        stored = m.Observation.objects.filter(datastream=ds)
        if "true" in rows:
            assert stored.get().result_json is True
        else:
            assert any(str(r).startswith("error") for r in answer.json())


def test_a_time_out_of_range_after_a_full_block_lands_nothing(
    client: Client, org: Organisation, token: str, deferred: list[int]
) -> None:
    """The years are checked while the COPY ends: the rows written before it are rolled back, and the row path
    answers every row, the one out of range with its error."""
    ds, other = make_datastream(org), make_datastream(org, name="Zweiter")
    start = dt.datetime(2024, 6, 1, tzinfo=dt.UTC)
    good = [[(start + dt.timedelta(seconds=i)).isoformat(), i] for i in range(landing.BLOCK + 5)]
    body = [
        {"Datastream": {"@iot.id": ds.pk}, "components": ["phenomenonTime", "result"], "dataArray": good},
        {"Datastream": {"@iot.id": other.pk}, "components": ["phenomenonTime", "result"],
         "dataArray": [["2024-06-01T00:00:00Z", 1], ["2200-01-01T00:00:00Z", 2]]},
    ]  # fmt: skip
    answer = client.post(
        URL, data=json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert answer.status_code == 201, answer.content
    links = answer.json()
    assert len(links) == len(good) + 2
    assert [str(r).startswith("error") for r in links[-2:]] == [False, True]
    assert landing.pending() == 0
    assert m.Observation.objects.filter(datastream__in=[ds, other]).count() == len(good) + 1
    assert all(int(r.rsplit("(", 1)[1].rstrip(")")) < landing.FIRST_LANDED_ID for r in links[:-1])


def test_a_batch_over_one_block_gets_ids_from_two_blocks(
    client: Client, org: Organisation, token: str, deferred: list[int]
) -> None:
    """Landed ids come in blocks of ``BLOCK`` from 2**50 on; the observation sequence ends below them."""
    ds, other = make_datastream(org), make_datastream(org, name="Zweiter")
    start = dt.datetime(2024, 4, 1, tzinfo=dt.UTC)
    body = _body(ds, start, landing.BLOCK + 3, step=dt.timedelta(seconds=1)) + _body(other, start, 2)
    ids = _ids(_post(client, token, body))
    assert len(ids) == len(set(ids)) == landing.BLOCK + 5
    assert min(ids) >= landing.FIRST_LANDED_ID
    assert max(ids) < 2**53
    first_blocks = {pk - pk % landing.BLOCK for pk in ids[: landing.BLOCK + 3]}
    assert len(first_blocks) == 2  # the first group's rows in two blocks, the second group in a third
    assert {pk - pk % landing.BLOCK for pk in ids[-2:]}.isdisjoint(first_blocks)
    last = client.get(f"/sta/v1.1/Observations({ids[landing.BLOCK + 2]})").json()
    assert last["result"] == body[0]["dataArray"][-1][1]
    assert client.get(f"/sta/v1.1/Observations({ids[-1]})").json()["result"] == 11.25
    assert landing.fold() == landing.Folded(landing.BLOCK + 5, 0)
    stored = dict(m.Observation.objects.filter(pk__in=ids).values_list("pk", "datastream_id"))
    assert [stored[pk] for pk in ids] == [ds.pk] * (landing.BLOCK + 3) + [other.pk] * 2
    with connection.cursor() as cursor:
        cursor.execute("SELECT max_value FROM pg_sequences WHERE sequencename = 'sensing_observation_id_seq'")
        assert cursor.fetchone()[0] == landing.FIRST_LANDED_ID - 1


@pytest.mark.django_db(transaction=True)
def test_with_a_worker_a_request_is_one_statement(
    client: Client, org: Organisation, token: str, deferred: list[int], django_assert_num_queries: Any
) -> None:
    """Outside a transaction, with a worker to fold: the COPY is the request's only statement and commits on its
    own; the ids come from the process's reserve of blocks."""
    ds, other = make_datastream(org), make_datastream(org, name="Pegel 2")
    start = dt.datetime(2024, 5, 1, tzinfo=dt.UTC)
    warm = _body(ds, start - dt.timedelta(days=1), 1) + _body(other, start - dt.timedelta(days=1), 1)
    assert _post(client, token, warm).status_code == 201  # fills the caches of both Datastreams
    landing.forget_tables()  # a reserve made by the next request…
    assert _post(client, token, _body(ds, start - dt.timedelta(days=2), 1)).status_code == 201
    with django_assert_num_queries(1):  # …holds the blocks of this one
        answer = _post(client, token, _body(ds, start, 30) + _body(other, start, 20))
    assert answer.status_code == 201, answer.content
    ids = _ids(answer)
    assert len(deferred) == 3  # each commit queues (the window is the task's business)
    assert landing.pending() == 53
    assert client.get(f"/sta/v1.1/Observations({ids[29]})").json()["result"] == 10.0 + 29 % 5 + 0.25
    assert client.get(f"/sta/v1.1/Observations({ids[30]})").json()["phenomenonTime"] == "2024-05-01T00:00:00Z"
    assert landing.fold() == landing.Folded(53, 0)
    stored = dict(m.Observation.objects.filter(pk__in=ids).values_list("pk", "datastream_id"))
    assert [stored[pk] for pk in ids] == [ds.pk] * 30 + [other.pk] * 20


def test_rows_landed_before_0007_fold_with_their_own_owners(
    client: Client, org: Organisation, token: str, deferred: list[int]
) -> None:
    """Migration 0007 gave every row landed before it its Datastream and FeatureOfInterest; a block whose first
    row an older fold had already taken still folds (and reads) whole."""
    ds = make_datastream(org)
    ids = _ids(_post(client, token, _body(ds, dt.datetime(2024, 7, 1, tzinfo=dt.UTC), 3)))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {landing.TABLE} SET datastream_id = (SELECT datastream_id FROM {landing.TABLE} "
            f"WHERE id = %s), feature_of_interest_id = (SELECT feature_of_interest_id FROM {landing.TABLE} "
            f"WHERE id = %s) WHERE id = ANY(%s)",
            [ids[0], ids[0], ids],
        )
        cursor.execute(f"DELETE FROM {landing.TABLE} WHERE id = %s", [ids[0]])
    assert client.get(f"/sta/v1.1/Observations({ids[1]})").json()["result"] == 11.25
    assert landing.fold() == landing.Folded(2, 0)
    assert set(m.Observation.objects.filter(datastream=ds).values_list("pk", flat=True)) == set(ids[1:])


def test_a_process_queues_one_fold_per_window(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    """With a worker, the commits of ``SENSING_FOLD_DELAY`` seconds share one queued fold, which starts after
    the window (so every commit that did not queue one is visible to it)."""
    from konzeptk.sensing import tasks

    queued: list[float] = []
    clock = [1000.0]
    monkeypatch.setitem(tasks.fold_landed.app.conf, "task_always_eager", False)
    monkeypatch.setattr(tasks.fold_landed, "apply_async", lambda countdown: queued.append(countdown))
    monkeypatch.setattr(tasks.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(tasks, "_queued_until", 0.0)
    settings.SENSING_FOLD_DELAY = 1.5
    for step in (0.0, 0.5, 0.9):  # a burst: one fold, 1.5 s after its first commit
        clock[0] = 1000.0 + step
        tasks.queue_fold()
    assert queued == [1.5]
    clock[0] = 1001.6  # after the window: the next commit queues the next fold
    tasks.queue_fold()
    assert queued == [1.5, 1.5]


def test_a_forked_child_does_not_fill_its_parents_blocks() -> None:
    """gunicorn and Celery fork their workers: a child starts with an empty reserve of blocks."""
    import os

    import psycopg

    reserve = landing._reserved
    reserve.forget()
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        parents = reserve.take(2, cursor)
        pid = os.fork()
        if pid == 0:  # the child: nothing reserved, whatever the parent holds
            os._exit(0 if not reserve._free else 1)
        _pid, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        assert reserve.take(1, cursor) == [parents[1] + landing.BLOCK]  # the parent's reserve goes on


@pytest.mark.django_db(transaction=True)
def test_migration_0007_keeps_what_was_landed_before(org: Organisation) -> None:
    """Rows landed under 0006 (owners in the block table, one block already partly folded) are folded whole after
    0007; going back folds everything first."""
    from django.db.migrations.executor import MigrationExecutor

    from konzeptk.sensing.services import feature_id_for

    ds = make_datastream(org)
    feature = feature_id_for(ds.thing_id)
    executor = MigrationExecutor(connection)
    executor.migrate([("sensing", "0006_observation_landing")])
    whole, partly = landing.FIRST_LANDED_ID + 5_000 * 16_384, landing.FIRST_LANDED_ID + 5_001 * 16_384
    start = dt.datetime(2024, 8, 1, tzinfo=dt.UTC)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO sensing_observation_landing_block VALUES (%s, %s, %s), (%s, %s, %s)",
            [whole, ds.pk, feature, partly, ds.pk, feature],
        )
        cursor.executemany(
            f"INSERT INTO {landing.TABLE} VALUES (%s, %s, %s)",
            [(whole + i, start + dt.timedelta(minutes=i), float(i)) for i in range(3)]
            + [(partly + i, start + dt.timedelta(hours=1, minutes=i), 10.0 + i) for i in (1, 2)],
        )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("sensing", "0007_landing_owner_in_first_row")])
    found = landing.find(partly + 2)
    assert found is not None
    assert (found.datastream_id, found.result_number) == (ds.pk, 12.0)
    assert landing.fold() == landing.Folded(5, 0)
    assert sorted(m.Observation.objects.filter(datastream=ds).values_list("result_number", flat=True)) == [
        0.0, 1.0, 2.0, 11.0, 12.0,
    ]  # fmt: skip
    # landed anew, then back to 0006: the way back folds first
    landed = landing.land([(ds.pk, feature, [(start + dt.timedelta(days=1), 7.0)])])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("sensing", "0006_observation_landing")])
    assert m.Observation.objects.filter(pk=landed[0][0], result_number=7.0).exists()
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert landing.available()
    assert landing.pending() == 0
