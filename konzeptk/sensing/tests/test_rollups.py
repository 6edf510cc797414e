"""Hourly roll-ups stay equal to the raw aggregation through every write path (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from konzeptk.accounts.models import Organisation
from konzeptk.sensing import models as m
from konzeptk.sensing.selectors import _hourly_partials, aggregate_series, aggregate_value
from konzeptk.sensing.services import observation_ingest
from konzeptk.sensing.storage import Row, insert_rows
from konzeptk.sensing.tests.factories import make_datastream

pytestmark = pytest.mark.django_db
FAR = (dt.datetime(2000, 1, 1, tzinfo=dt.UTC), dt.datetime(2100, 1, 1, tzinfo=dt.UTC))
BERLIN = ZoneInfo("Europe/Berlin")


def rollup(ds: m.Datastream) -> list[tuple[Any, ...]]:
    return sorted(
        (h.hour, h.value_count, pytest.approx(h.value_sum), h.value_min, h.value_max)
        for h in m.ObservationHour.objects.filter(datastream=ds)
    )


def raw(ds: m.Datastream) -> list[tuple[Any, ...]]:
    return sorted(_hourly_partials(ds, *FAR))


def assert_equal(ds: m.Datastream) -> None:
    assert rollup(ds) == raw(ds)


def test_bulk_insert_across_dst_switch_daily_means_in_local_time() -> None:
    ds = make_datastream()
    # 2024-03-31: clocks go 02:00 → 03:00 in Berlin; the local day has 23 hours.
    start = dt.datetime(2024, 3, 30, 23, tzinfo=dt.UTC)  # local midnight of 31 March (UTC+1)
    rows = [
        Row(ds.pk, None, start + dt.timedelta(minutes=10 * i), result_number=float(i % 37))
        for i in range(6 * 48)
    ]
    rows.append(Row(ds.pk, None, start, result_json="text"))  # non-numeric results are not rolled up
    insert_rows(rows)
    assert_equal(ds)
    assert m.ObservationHour.objects.filter(datastream=ds).count() == 48
    days = aggregate_series(datastream=ds, interval="day", start=start, end=start + dt.timedelta(hours=48))
    expected: dict[dt.date, list[float]] = {}
    for r in rows:
        if r.result_number is not None:
            expected.setdefault(r.phenomenon_time_start.astimezone(BERLIN).date(), []).append(r.result_number)
    assert [b.start.date() for b in days] == sorted(expected)
    assert days[0].count == 23 * 6  # the short day
    for bucket in days:
        values = expected[bucket.start.date()]
        assert bucket.count == len(values)
        assert bucket.mean == pytest.approx(sum(values) / len(values))
        assert (bucket.min, bucket.max) == (min(values), max(values))
    # Edges that are not whole hours come from the raw rows.
    mid = start + dt.timedelta(minutes=25)
    assert aggregate_value(datastream=ds, statistic="count", start=mid, end=mid + dt.timedelta(hours=2)) == 12
    assert (
        aggregate_value(datastream=ds, statistic="sum", start=mid, end=mid + dt.timedelta(minutes=10)) == 3.0
    )
    assert (
        aggregate_value(datastream=ds, statistic="mean", start=FAR[0], end=FAR[0] + dt.timedelta(hours=5))
        is None
    )


def test_months_across_autumn_switch_equal_raw_local_grouping() -> None:
    ds = make_datastream()
    start = dt.datetime(2024, 9, 29, 21, 30, tzinfo=dt.UTC)
    rows = [
        Row(ds.pk, None, start + dt.timedelta(minutes=20 * i), result_number=float(i % 11))
        for i in range(3 * 24 * 40)
    ]
    insert_rows(rows)
    assert_equal(ds)
    for interval, key in (
        ("month", lambda d: (d.year, d.month)),
        ("day", lambda d: (d.year, d.month, d.day)),
    ):
        end = start + dt.timedelta(days=40, minutes=7)
        buckets = aggregate_series(
            datastream=ds, interval=interval, start=start + dt.timedelta(minutes=45), end=end
        )
        expected: dict[Any, list[float]] = {}
        for r in rows:
            if start + dt.timedelta(minutes=45) <= r.phenomenon_time_start < end:
                expected.setdefault(key(r.phenomenon_time_start.astimezone(BERLIN)), []).append(
                    r.result_number
                )
        assert [key(b.start) for b in buckets] == sorted(expected)
        for bucket in buckets:
            values = expected[key(bucket.start)]
            assert (bucket.count, bucket.min, bucket.max) == (len(values), min(values), max(values))
            assert bucket.mean == pytest.approx(sum(values) / len(values))


def test_api_create_update_delete_keep_rollups_current(sta: Any, org: Organisation) -> None:
    ds = make_datastream(org)
    ids = []
    for minute, value in ((5, 1.0), (35, 3.0), (65, 10.0)):
        time = dt.datetime(2024, 10, 27, 0, tzinfo=dt.UTC) + dt.timedelta(minutes=minute)
        body = {"result": value, "phenomenonTime": time.isoformat(), "Datastream": {"@iot.id": ds.pk}}
        response = sta.post("Observations", body)
        assert response.status_code == 201
        ids.append(response.json()["@iot.id"])
    assert_equal(ds)
    assert rollup(ds)[0][1:] == (2, 4.0, 1.0, 3.0)
    # move an observation into another hour, and change a value
    assert sta.patch(f"Observations({ids[0]})", {"phenomenonTime": "2024-10-27T01:50:00Z"}).status_code == 200
    assert sta.patch(f"Observations({ids[1]})", {"result": 7.5}).status_code == 200
    assert_equal(ds)
    assert [r[1] for r in rollup(ds)] == [1, 2]
    assert sta.delete(f"Observations({ids[1]})").status_code == 200
    assert_equal(ds)
    assert len(rollup(ds)) == 1
    feature_id = m.Observation.objects.get(pk=ids[2]).feature_of_interest_id
    assert sta.delete(f"FeaturesOfInterest({feature_id})").status_code == 200
    assert rollup(ds) == raw(ds) == []


def test_create_observations_and_ingest_paths(sta: Any, org: Organisation) -> None:
    ds = make_datastream(org)
    payload = [
        {
            "Datastream": {"@iot.id": ds.pk},
            "components": ["phenomenonTime", "result"],
            "dataArray@iot.count": 3,
            "dataArray": [["2024-08-01T00:00:00Z", 20.0], ["2024-08-01T00:30:00Z", 22.0], ["kaputt", 1]],
        }
    ]
    response = sta.client.post("/sta/v1.1/CreateObservations", data=payload, content_type="application/json", **sta.headers)  # fmt: skip
    assert response.status_code == 201
    observation_ingest(
        datastream=ds, result=30.0, phenomenon_time=dt.datetime(2024, 8, 1, 0, 45, tzinfo=dt.UTC)
    )
    assert_equal(ds)
    assert rollup(ds)[0][1:] == (3, 72.0, 20.0, 30.0)


def test_rebuild_command(org: Organisation) -> None:
    ds = make_datastream(org)
    insert_rows(
        [Row(ds.pk, None, dt.datetime(2024, 1, 1, h, tzinfo=dt.UTC), result_number=h) for h in range(5)]
    )
    expected = rollup(ds)
    m.ObservationHour.objects.all().delete()
    out = StringIO()
    call_command("rebuild_rollups", "--datastream", str(ds.pk), stdout=out)
    assert "5 Stunden" in out.getvalue()
    assert rollup(ds) == expected
    m.ObservationHour.objects.filter(hour__lt=dt.datetime(2024, 1, 1, 2, tzinfo=dt.UTC)).update(
        value_count=99
    )
    call_command("rebuild_rollups", stdout=StringIO())
    assert_equal(ds)
    with pytest.raises(CommandError):
        call_command("rebuild_rollups", "--datastream", "999999", stdout=StringIO())
