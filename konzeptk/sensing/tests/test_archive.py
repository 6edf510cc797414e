"""``prune_observations --archive DIR``: every pruned month becomes a Parquet file that is read back and
checked before the month leaves the database; reading the files gives exactly the rows that were stored.
If a file does not match, nothing is removed and the command fails clearly. Runs on SQLite and on
PostgreSQL (there whole partitions are detached and dropped)."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from django.core.management import CommandError, call_command

from konzeptk.sensing import archive, partitions
from konzeptk.sensing import models as m
from konzeptk.sensing.retention import observations_prune
from konzeptk.sensing.services import _feature_for
from konzeptk.sensing.storage import COLUMNS, Row, insert_rows
from konzeptk.sensing.tests.factories import make_datastream

pytestmark = pytest.mark.django_db
UTC = dt.UTC
JSON_COLUMNS = ("result_json", "result_quality", "parameters")  # JSON text in the file
NOW = dt.datetime(2031, 8, 15, 12, tzinfo=UTC)  # keep 3 months: May to August stay


def _stored_rows(before: dt.datetime) -> list[tuple[Any, ...]]:
    """The raw rows older than ``before`` as the ORM reads them, in archive form."""
    values = (
        m.Observation.objects.filter(phenomenon_time_start__lt=before).order_by("id").values_list(*_fields())
    )
    return [_normal(row) for row in values]


def _fields() -> list[str]:
    return [column.removesuffix("_id") if column.endswith("_id") else column for column in COLUMNS]


def _normal(row: Any) -> tuple[Any, ...]:
    out = []
    for name, value in zip(COLUMNS, row, strict=True):
        if name in JSON_COLUMNS:
            value = json.loads(value) if isinstance(value, str) else value
        elif isinstance(value, dt.datetime):
            value = value.astimezone(UTC)
        out.append(value)
    return tuple(out)


def _fill(year: int = 2031) -> tuple[m.Datastream, m.Datastream]:
    ds = make_datastream()
    text = make_datastream(name="Ampel K-3")
    feature = _feature_for(ds).pk
    rows = [
        Row(
            ds.pk,
            feature,
            dt.datetime(year, month, day, hour, 15, 30, 250_000, tzinfo=UTC),
            result_number=day + hour / 10,
        )
        for month in (2, 3, 4, 6)
        for day in (1, 14, 28)
        for hour in (0, 23)
    ]
    rows.append(
        Row(
            text.pk,
            None,
            dt.datetime(year, 3, 31, 23, 59, 59, tzinfo=UTC),
            phenomenon_time_end=dt.datetime(year, 4, 1, 0, 4, tzinfo=UTC),
            result_time=dt.datetime(year, 4, 1, 0, 5, tzinfo=UTC),
            result_json={"phase": "grün", "dauer": [12, 30]},
            result_quality={"flag": "ok"},
            valid_time_start=dt.datetime(year, 4, 1, tzinfo=UTC),
            valid_time_end=dt.datetime(year, 4, 2, tzinfo=UTC),
            parameters={"quelle": "Test"},
        )
    )
    insert_rows(rows)
    return ds, text


def test_archive_then_prune_and_read_the_same_rows_back(tmp_path: Path) -> None:
    ds, _text = _fill()
    cutoff = dt.datetime(2031, 5, 1, tzinfo=UTC)
    expected = _stored_rows(cutoff)
    assert len(expected) == 3 * 3 * 2 + 1
    hours_before = m.ObservationHour.objects.count()

    result = observations_prune(keep_months=3, now=NOW, archive=tmp_path)
    assert result.cutoff == cutoff
    assert [item.month for item in result.archived] == [
        dt.date(2031, 2, 1),
        dt.date(2031, 3, 1),
        dt.date(2031, 4, 1),
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "observations-2031-02.parquet",
        "observations-2031-03.parquet",
        "observations-2031-04.parquet",
    ]  # no temporary files left
    assert [item.rows for item in result.archived] == [6, 7, 6]

    table = pq.read_table(sorted(tmp_path.iterdir()))
    assert table.schema.names == list(COLUMNS)
    read_back = [_normal(tuple(row[name] for name in COLUMNS)) for row in table.to_pylist()]
    assert sorted(read_back, key=lambda row: row[0]) == expected
    assert not m.Observation.objects.filter(phenomenon_time_start__lt=cutoff).exists()
    assert ds.observations.count() == 6  # June stays
    assert m.ObservationHour.objects.count() == hours_before
    if partitions.is_partitioned():
        names = {name for _m, name in partitions.existing()}
        assert not {"sensing_observation_y2031m02", "sensing_observation_y2031m04"} & names
        assert "sensing_observation_y2031m06" in names


def test_a_file_that_does_not_match_removes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fill(2020)  # old enough for the command's real clock
    before = m.Observation.objects.count()
    hours = list(
        m.ObservationHour.objects.order_by("datastream_id", "hour").values_list(
            "hour", "value_count", "value_sum"
        )
    )
    partitions_before = partitions.existing()
    real = archive.file_fingerprint

    def one_row_short(path: Path) -> archive.Fingerprint:
        found = real(path)
        if "2020-03" not in path.name:
            return found
        return archive.Fingerprint(found.rows - 1, found.id_sum, found.first, found.last)

    monkeypatch.setattr(archive, "file_fingerprint", one_row_short)
    with pytest.raises(CommandError, match=r"stimmt nicht mit der Datenbank überein.*nichts wurde gelöscht"):
        call_command(
            "prune_observations", "--keep-months", "3", "--archive", str(tmp_path), stdout=StringIO()
        )
    assert m.Observation.objects.count() == before
    assert (
        list(
            m.ObservationHour.objects.order_by("datastream_id", "hour").values_list(
                "hour", "value_count", "value_sum"
            )
        )
        == hours
    )
    assert partitions.existing() == partitions_before
    assert not (tmp_path / "observations-2020-03.parquet").exists()


def test_command_dry_run_names_the_months_and_writes_nothing(tmp_path: Path) -> None:
    _fill(2020)
    out = StringIO()
    call_command(
        "prune_observations", "--keep-months", "3", "--dry-run", "--archive", str(tmp_path / "a"), stdout=out
    )
    assert "2020-02, 2020-03, 2020-04, 2020-06" in out.getvalue()
    assert not (tmp_path / "a").exists()
    assert m.Observation.objects.count() == 3 * 4 * 2 + 1  # nothing removed


def test_nightly_task_archives_into_the_configured_folder(tmp_path: Path, settings: Any) -> None:
    from konzeptk.sensing.tasks import prune_observations

    ds = make_datastream()
    insert_rows(
        [Row(ds.pk, None, dt.datetime(2020, 1, 5, tzinfo=UTC), result_number=float(i)) for i in range(3)]
    )
    settings.SENSING_ARCHIVE_DIR = str(tmp_path)
    assert prune_observations.run(keep_months=3) == 3
    assert pq.read_table(tmp_path / "observations-2020-01.parquet").column("result_number").to_pylist() == [
        0.0,
        1.0,
        2.0,
    ]
    assert not ds.observations.exists()
