"""Storage at city scale: monthly partitions (PostgreSQL), indexes, retention with roll-ups kept."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from konzeptk.sensing import models as m
from konzeptk.sensing import partitions
from konzeptk.sensing.retention import cutoff_for, observations_prune
from konzeptk.sensing.selectors import aggregate_series
from konzeptk.sensing.services import _feature_for, observation_ingest
from konzeptk.sensing.storage import Row, insert_rows
from konzeptk.sensing.tests.factories import make_datastream

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="partitions exist on PostgreSQL only"
)
UTC = dt.UTC


def _partition_of(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM sensing_observation WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def _indexes() -> dict[str, str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'sensing_observation'"
            )
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'sensing_observation'"
            )
        return {name: sql or "" for name, sql in cursor.fetchall()}


def test_btree_on_datastream_and_time_on_every_database() -> None:
    indexes = _indexes()
    assert "(datastream_id, phenomenon_time_start, id)" in indexes["sensing_obs_ds_time_id"].replace('"', "")
    assert "(phenomenon_time_start, id)" in indexes["sensing_obs_time_id"].replace('"', "")
    assert "sensing_obs_ds_time" not in indexes  # replaced by the one with id (migration 0005)


@postgres_only
def test_table_is_range_partitioned_with_btrees_and_without_triggers() -> None:
    assert partitions.is_partitioned()
    indexes = _indexes()
    assert "sensing_obs_time_brin" not in indexes  # the (time, id) b-tree replaced it (migration 0004)
    assert "USING btree (phenomenon_time_start, id)" in indexes["sensing_obs_time_id"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'sensing_observation'::regclass AND NOT tgisinternal"
        )
        assert cursor.fetchone()[0] == 0
        cursor.execute("SELECT pg_get_partkeydef('sensing_observation'::regclass)")
        assert cursor.fetchone()[0] == "RANGE (phenomenon_time_start)"
    # migrate created the current month and the months ahead
    current = partitions.month_start(dt.datetime.now(UTC))
    names = {name for _month, name in partitions.existing()}
    for i in range(partitions.AHEAD + 1):
        assert partitions.partition_name(partitions.add_months(current, i)) in names


@postgres_only
def test_rows_land_in_their_month_and_a_new_month_gets_its_partition() -> None:
    ds = make_datastream()
    feature = _feature_for(ds)
    assert "sensing_observation_y2031m05" not in {name for _m, name in partitions.existing()}
    # UTC month bounds: 23:30 on 30 April is April, 00:30 on 1 May is May, whatever the local time says
    ids = insert_rows(
        [
            Row(ds.pk, feature.pk, dt.datetime(2031, 4, 30, 23, 30, tzinfo=UTC), result_number=1.0),
            Row(ds.pk, feature.pk, dt.datetime(2031, 5, 1, 0, 30, tzinfo=UTC), result_number=2.0),
            Row(ds.pk, feature.pk, dt.datetime(2031, 5, 31, 23, 59, tzinfo=UTC), result_number=3.0),
        ]
    )
    assert [_partition_of(pk) for pk in ids] == [
        "sensing_observation_y2031m04",
        "sensing_observation_y2031m05",
        "sensing_observation_y2031m05",
    ]
    # the ORM path (single observation through the service) creates its month too
    obs = observation_ingest(
        datastream=ds, result=4.5, phenomenon_time=dt.datetime(2032, 2, 29, 12, tzinfo=UTC)
    )
    assert _partition_of(obs.pk) == "sensing_observation_y2032m02"
    # and the ORM reads them as one table
    assert list(ds.observations.order_by("phenomenon_time_start").values_list("result_number", flat=True)) == [
        1.0, 2.0, 3.0, 4.5,
    ]  # fmt: skip
    assert m.Observation.objects.get(pk=ids[1]).result_number == 2.0


@postgres_only
def test_time_filter_prunes_partitions() -> None:
    ds = make_datastream()
    insert_rows(
        [
            Row(ds.pk, None, dt.datetime(2030, month, 2, tzinfo=UTC), result_number=month)
            for month in range(1, 7)
        ]
    )
    qs = m.Observation.objects.filter(
        datastream=ds,
        phenomenon_time_start__gte=dt.datetime(2030, 3, 1, tzinfo=UTC),
        phenomenon_time_start__lt=dt.datetime(2030, 4, 1, tzinfo=UTC),
    )
    plan = qs.explain()
    assert "sensing_observation_y2030m03" in plan
    assert "sensing_observation_y2030m02" not in plan
    assert "sensing_observation_y2030m04" not in plan
    assert list(qs.values_list("result_number", flat=True)) == [3.0]


def _hourly_year(ds: m.Datastream, start: dt.datetime, hours: int) -> None:
    insert_rows(
        [Row(ds.pk, None, start + dt.timedelta(hours=h), result_number=float(h % 24)) for h in range(hours)]
    )


def test_retention_drops_old_raw_rows_and_keeps_hourly_rollups() -> None:
    ds = make_datastream()
    other = make_datastream(name="Zweiter Strom")
    now = dt.datetime(2031, 8, 15, 12, tzinfo=UTC)
    start = dt.datetime(2031, 1, 1, tzinfo=UTC)
    _hourly_year(ds, start, 24 * 200)  # January to mid-July
    insert_rows([Row(other.pk, None, dt.datetime(2031, 7, 20, tzinfo=UTC), result_number=5.0)])
    m.Datastream.objects.filter(pk=ds.pk).update(phenomenon_time_start=start)
    before = aggregate_series(
        datastream=ds, interval="month", start=start, end=dt.datetime(2031, 8, 1, tzinfo=UTC)
    )
    # raw SQL around the roll-up path: the prune recomputes the hours before it removes anything
    m.ObservationHour.objects.filter(datastream=ds, hour__lt=dt.datetime(2031, 2, 1, tzinfo=UTC)).delete()

    dry = observations_prune(keep_months=3, now=now, dry_run=True)
    assert dry.cutoff == dt.datetime(2031, 5, 1, tzinfo=UTC) == cutoff_for(3, now)
    assert dry.rows == 24 * (31 + 28 + 31 + 30)
    assert ds.observations.count() == 24 * 200

    result = observations_prune(keep_months=3, now=now)
    assert result.rows == 24 * (31 + 28 + 31 + 30)
    assert result.datastreams == 1
    assert not ds.observations.filter(phenomenon_time_start__lt=result.cutoff).exists()
    assert ds.observations.count() == 24 * 200 - result.rows
    assert other.observations.count() == 1
    after = aggregate_series(
        datastream=ds, interval="month", start=start, end=dt.datetime(2031, 8, 1, tzinfo=UTC)
    )
    assert [(b.start, b.count, b.mean, b.min, b.max) for b in after] == [
        (b.start, b.count, b.mean, b.min, b.max) for b in before
    ]
    ds.refresh_from_db()
    assert ds.phenomenon_time_start == result.cutoff
    if partitions.is_partitioned():
        # (the months before 2031 that migrate created are older than this test's cutoff, too)
        dropped = [partitions.month_of(name) for name in result.dropped_partitions]
        assert {dt.date(2031, month, 1) for month in range(1, 5)} <= set(dropped)
        assert all(month is not None and month < result.cutoff.date() for month in dropped)
        names = {name for _m, name in partitions.existing()}
        assert "sensing_observation_y2031m04" not in names
        assert "sensing_observation_y2031m05" in names
        # a late observation for a dropped month gets a fresh partition
        partitions.forget_cache()
        insert_rows([Row(ds.pk, None, dt.datetime(2031, 3, 3, tzinfo=UTC), result_number=1.0)])
        assert "sensing_observation_y2031m03" in {name for _m, name in partitions.existing()}


def test_prune_command_refuses_zero_and_reports() -> None:
    with pytest.raises(CommandError):
        call_command("prune_observations", "--keep-months", "0")
    out = StringIO()
    call_command("prune_observations", "--keep-months", "24", "--dry-run", stdout=out)
    assert "Stundenwerte bleiben" in out.getvalue()


def test_plain_row_serialisation_equals_the_model_serialiser() -> None:
    from konzeptk.sensing.sta.schema import ENTITY_TYPES, OBSERVATION
    from konzeptk.sensing.sta.serialize import serialize, serialize_queryset

    ds = make_datastream()
    feature = _feature_for(ds)
    t = dt.datetime(2024, 3, 31, 0, 59, 59, 999_999, tzinfo=UTC)
    insert_rows(
        [
            Row(ds.pk, feature.pk, t, result_number=3.0, parameters={"a": [1, "x"]}),
            Row(ds.pk, feature.pk, t + dt.timedelta(microseconds=1), t + dt.timedelta(hours=1, microseconds=123_456),
                result_time=t, result_number=2.5, result_quality={"q": 1}),
            Row(ds.pk, feature.pk, dt.datetime(1999, 12, 31, 23, 0, 0, 1000, tzinfo=UTC), result_json={"text": "ä"},
                valid_time_start=t, valid_time_end=t + dt.timedelta(days=1)),
            Row(ds.pk, feature.pk, t, result_json="nicht numerisch"),
            Row(ds.pk, feature.pk, t, result_number=2.0**60),
        ]
    )  # fmt: skip
    base = "https://example.org/sta/v1.1"
    for entity in (OBSERVATION, *ENTITY_TYPES.values()):
        qs = entity.model._default_manager.order_by("pk")
        for select in (None, ["phenomenonTime", "result"], ["id", "Datastream"]):
            if select and any(name not in entity.props and name not in entity.navs for name in select):
                continue
            expected = [serialize(entity, obj, base, select) for obj in qs]
            assert [item for _pk, item in serialize_queryset(entity, qs, base, select, 0, 100)] == expected


def test_before_filters_on_intervals_keep_their_meaning_and_use_the_time_index(anon: Any) -> None:
    from konzeptk.sensing.odata import parse_options
    from konzeptk.sensing.sta.compile import compile_filter
    from konzeptk.sensing.sta.schema import OBSERVATION

    ds = make_datastream()
    t = dt.datetime(2024, 5, 1, 10, tzinfo=UTC)
    insert_rows(
        [
            Row(ds.pk, None, t, t + dt.timedelta(hours=2), result_number=1.0),  # 10:00–12:00
            Row(ds.pk, None, t, result_number=2.0),  # 10:00
        ]
    )

    def results(flt: str) -> list[float]:
        body = anon.get(f"Datastreams({ds.pk})/Observations", **{"$filter": flt, "$orderby": "result"}).json()
        return [o["result"] for o in body["value"]]

    assert results("phenomenonTime lt 2024-05-01T11:00:00Z") == [2]  # the interval ends later
    assert results("phenomenonTime lt 2024-05-01T12:30:00Z") == [1, 2]
    assert results("phenomenonTime le 2024-05-01T12:00:00Z") == [1, 2]
    assert results("phenomenonTime le 2024-05-01T10:00:00Z") == [2]
    q, _distinct = compile_filter(
        parse_options({"$filter": "phenomenonTime lt 2024-05-02T00:00:00Z"}).filter, OBSERVATION.resolver()
    )
    sql = str(m.Observation.objects.filter(q).query).replace('"', "")
    assert "sensing_observation.phenomenon_time_start < 2024-05-02" in sql  # a bare bound the index can use


@postgres_only
def test_a_stale_partition_cache_is_repaired_not_an_error() -> None:
    """Another process may have dropped a partition (retention) that this one still remembers."""
    import time

    ds = make_datastream()
    name = partitions.partition_name(dt.date(2033, 6, 1))
    partitions._known[name] = time.monotonic() + 60  # remembered, but not there
    try:
        [pk] = insert_rows([Row(ds.pk, None, dt.datetime(2033, 6, 2, tzinfo=UTC), result_number=1.0)])
    finally:
        partitions.forget_cache()
    assert _partition_of(pk) == name
    assert m.ObservationHour.objects.filter(datastream=ds).count() == 1


def test_rebuild_after_retention_keeps_the_hours_of_pruned_months() -> None:
    from konzeptk.sensing.rollups import rebuild

    ds = make_datastream()
    _hourly_year(ds, dt.datetime(2031, 1, 1, tzinfo=UTC), 24 * 120)  # January to April
    observations_prune(keep_months=1, now=dt.datetime(2031, 4, 15, tzinfo=UTC))  # raw rows from March on
    hours_before = m.ObservationHour.objects.filter(datastream=ds).count()
    assert hours_before == 24 * 120
    assert rebuild(ds.pk) == hours_before
    assert rebuild() == hours_before
    assert (
        m.ObservationHour.objects.filter(datastream=ds, hour__lt=dt.datetime(2031, 3, 1, tzinfo=UTC)).count()
        == 24 * 59
    )
