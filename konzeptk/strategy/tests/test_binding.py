from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from konzeptk.sensing import models as sm
from konzeptk.sensing.storage import Row, insert_rows
from konzeptk.strategy import background, services
from konzeptk.strategy.models import Indicator, IndicatorBinding, IndicatorValue


def _datastream(name: str = "Passant:innen Teststraße") -> sm.Datastream:
    thing = sm.Thing.objects.create(name=name)
    sensor = sm.Sensor.objects.get_or_create(name="Laserscanner")[0]
    prop = sm.ObservedProperty.objects.get_or_create(name="Passant:innen")[0]
    return sm.Datastream.objects.create(
        name=name, unit_of_measurement={"name": "Anzahl"}, thing=thing, sensor=sensor, observed_property=prop
    )


def _obs(ds: sm.Datastream, when: dt.datetime, value: float) -> None:
    # the sensing write path (keeps whatever aggregates sensing maintains current)
    insert_rows([Row(ds.pk, None, when, result_number=value)])


def _series(indicator: Indicator) -> dict[int, float]:
    return {
        v.date.year: v.value
        for v in IndicatorValue.objects.filter(indicator=indicator, source=IndicatorValue.Source.SERIES)
    }


@pytest.fixture
def bound(indicator: Indicator) -> tuple[Indicator, sm.Datastream]:
    ds = _datastream()
    _obs(ds, dt.datetime(2023, 3, 1, 12, tzinfo=dt.UTC), 1000)
    _obs(ds, dt.datetime(2023, 12, 31, 23, 59, tzinfo=dt.UTC), 500)
    _obs(ds, dt.datetime(2024, 1, 1, 0, 0, tzinfo=dt.UTC), 250)
    IndicatorBinding.objects.create(
        indicator=indicator, datastream_name=ds.name, statistic="sum", scale=0.001, is_simulated=True
    )
    return indicator, ds


def test_yearly_sum_with_scale_and_source(bound: tuple[Indicator, sm.Datastream]) -> None:
    indicator, ds = bound
    binding = services.indicator_refresh_from_data(indicator=indicator)
    assert binding is not None
    assert binding.state == "ok"
    assert binding.datastream_id == ds.pk
    assert _series(indicator) == {2023: 1.5, 2024: 0.25}
    value = IndicatorValue.objects.get(indicator=indicator, date=dt.date(2023, 1, 1), source="series")
    assert value.source_ref.startswith("Stadtdaten (automatisch)")
    assert value.is_demo_content
    assert "Teiljahr, Daten vom 01.03.2023 bis 31.12.2023" in value.source_ref
    full = IndicatorValue.objects.get(indicator=indicator, date=dt.date(2024, 1, 1), source="series")
    assert "Teiljahr, Daten vom 01.01.2024 bis 01.01.2024" in full.source_ref
    # manual values are untouched
    assert IndicatorValue.objects.filter(indicator=indicator, source="manual").count() == 1


@pytest.mark.parametrize(
    ("statistic", "expected"), [("mean", 750), ("min", 500), ("max", 1000), ("count", 2)]
)
def test_other_statistics(bound: tuple[Indicator, sm.Datastream], statistic: str, expected: float) -> None:
    indicator, _ = bound
    IndicatorBinding.objects.filter(indicator=indicator).update(statistic=statistic, scale=1.0)
    services.indicator_refresh_from_data(indicator=indicator)
    assert _series(indicator)[2023] == expected


def test_refresh_is_idempotent_and_follows_new_data(
    bound: tuple[Indicator, sm.Datastream], django_assert_max_num_queries: Any
) -> None:
    indicator, ds = bound
    services.indicator_refresh_from_data(indicator=indicator)
    ids = set(IndicatorValue.objects.filter(indicator=indicator).values_list("pk", flat=True))
    with django_assert_max_num_queries(6):  # unchanged data: only the cheap check, no aggregation
        services.indicator_refresh_from_data(indicator=indicator)
    services.indicator_refresh_from_data(indicator=indicator, force=True)
    assert set(IndicatorValue.objects.filter(indicator=indicator).values_list("pk", flat=True)) == ids
    assert _series(indicator) == {2023: 1.5, 2024: 0.25}
    _obs(ds, dt.datetime(2024, 6, 1, tzinfo=dt.UTC), 750)
    services.indicator_refresh_from_data(indicator=indicator)
    assert _series(indicator) == {2023: 1.5, 2024: 1.0}


def test_deleted_datastream_gives_clear_state(bound: tuple[Indicator, sm.Datastream], client: Client) -> None:
    indicator, ds = bound
    services.indicator_refresh_from_data(indicator=indicator)
    ds.delete()
    binding = services.indicator_refresh_from_data(indicator=indicator)
    assert binding is not None
    assert binding.state == "missing"
    assert _series(indicator) == {2023: 1.5, 2024: 0.25}  # last values kept
    response = client.get(indicator.get_absolute_url())
    assert response.status_code == 200
    assert "nicht mehr vorhanden" in response.content.decode()


def test_page_shows_last_values_and_links_dashboard(
    bound: tuple[Indicator, sm.Datastream], client: Client
) -> None:
    indicator, _ = bound
    background.run([indicator.pk])
    response = client.get(indicator.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert _series(indicator) == {2023: 1.5, 2024: 0.25}
    assert "Stadtdatenplattform" in body
    assert "Zuletzt berechnet am" in body
    assert "simuliert" in body
    assert "/daten/" in body


def test_unbound_indicator_not_touched(indicator: Indicator) -> None:
    assert services.indicator_refresh_from_data(indicator=indicator) is None


def test_command(bound: tuple[Indicator, sm.Datastream]) -> None:
    indicator, _ = bound
    out = StringIO()
    call_command("refresh_indicators", stdout=out)
    assert "co2" in out.getvalue()
    assert _series(indicator) == {2023: 1.5, 2024: 0.25}


def test_page_never_writes_and_asks_for_a_refresh_at_most_hourly(
    bound: tuple[Indicator, sm.Datastream],
    client: Client,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Finding 7a of issue 11: the page refreshed the values itself (select_for_update and
    update_or_create in a GET). Now it reads, and a job refreshes."""
    indicator, ds = bound
    asked: list[int] = []
    monkeypatch.setattr(background, "enqueue", asked.append)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(indicator.get_absolute_url())
    assert response.status_code == 200
    assert _writes(queries) == []
    assert _series(indicator) == {}  # nothing computed by the page
    assert asked == [indicator.pk]
    assert "zum ersten Mal berechnet" in response.content.decode()
    assert background.run(asked) == 1
    assert _series(indicator) == {2023: 1.5, 2024: 0.25}
    client.get(indicator.get_absolute_url())
    assert asked == [indicator.pk]  # current: nothing asked
    _obs(ds, dt.datetime(2024, 6, 1, tzinfo=dt.UTC), 750)
    client.get(indicator.get_absolute_url())
    assert asked == [indicator.pk]  # within the hour: not even the check
    IndicatorBinding.objects.update(refreshed_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    with CaptureQueriesContext(connection) as queries:
        body = client.get(indicator.get_absolute_url()).content.decode()
    assert _writes(queries) == []
    assert asked == [indicator.pk, indicator.pk]
    assert "im Hintergrund aktualisiert" in body
    assert _series(indicator)[2024] == 0.25  # the page shows the last values
    background.run([indicator.pk])
    assert _series(indicator)[2024] == 1.0


def test_unpublished_indicator_answers_404_before_anything(
    bound: tuple[Indicator, sm.Datastream], client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    indicator, _ = bound
    Indicator.objects.filter(pk=indicator.pk).update(published=False)
    asked: list[int] = []
    monkeypatch.setattr(background, "enqueue", asked.append)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(indicator.get_absolute_url()).status_code == 404
    assert _writes(queries) == []
    assert asked == []


def test_thread_mode_queues_and_celery_mode_sends_one_task(
    bound: tuple[Indicator, sm.Datastream], settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    indicator, _ = bound
    settings.STRATEGY_REFRESH = "thread"
    started: list[bool] = []
    monkeypatch.setattr(background, "_ensure_thread", lambda: started.append(True))
    background.enqueue(indicator.pk)
    assert started == [True]
    assert background._queue.get_nowait() == indicator.pk
    settings.STRATEGY_REFRESH = "celery"
    key = background.DISPATCHED_KEY.format(indicator.pk)
    cache.set(key, True)  # a task for this indicator waits already: nothing is sent
    background.enqueue(indicator.pk)
    assert _series(indicator) == {}
    cache.delete(key)
    background.enqueue(indicator.pk)  # eager in tests: the task runs at once, as a worker would later
    assert _series(indicator) == {2023: 1.5, 2024: 0.25}
    assert cache.get(key) is None  # the task cleared it when it started
    assert background._queue.empty()
    settings.STRATEGY_REFRESH = "command"
    background.enqueue(indicator.pk)
    assert background._queue.empty()


def _writes(queries: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().split(" ", 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}
        or "FOR UPDATE" in q["sql"].upper()
    ]


@pytest.mark.django_db(transaction=True)
def test_the_thread_refreshes_after_the_page_answered(settings: Any, client: Client) -> None:
    """The embedded default for real: the page answers at once, a thread with its own connection
    computes the values afterwards."""
    import time

    indicator = Indicator.objects.create(
        slug="passanten",
        name="Passant:innen",
        unit="Tsd.",
        direction="up",
        source="Zählung",
        baseline_value=1,
        baseline_year=2023,
        published=True,
    )
    ds = _datastream()
    _obs(ds, dt.datetime(2024, 3, 1, 12, tzinfo=dt.UTC), 1000)
    IndicatorBinding.objects.create(
        indicator=indicator, datastream_name=ds.name, statistic="sum", scale=0.001
    )
    settings.STRATEGY_REFRESH = "thread"
    before = background.runs_finished
    with CaptureQueriesContext(connection) as queries:
        assert client.get(indicator.get_absolute_url()).status_code == 200
    assert _writes(queries) == []
    for _ in range(200):  # the thread's own transaction; wait for it (not reading meanwhile), at most ~20 s
        if background.runs_finished > before:
            break
        time.sleep(0.1)
    assert _series(indicator) == {2024: 1.0}
    assert IndicatorBinding.objects.get(indicator=indicator).state == "ok"


@pytest.mark.django_db
def test_demo_computes_the_bound_indicator_after_all_demo_content() -> None:
    """The strategy demo binds an indicator to the sensing demo's counter, which is loaded later;
    ``finish_demo`` (run by core.demo after every app) computes it, so no page has to. (The counter
    here is a stand-in of the sensing demo's, with the same name.)"""
    from konzeptk.accounts.demo import load_demo as load_accounts
    from konzeptk.strategy.demo import finish_demo
    from konzeptk.strategy.demo import load_demo as load_strategy

    out = StringIO()
    load_accounts(out=out)
    load_strategy(out=out)
    indicator = Indicator.objects.get(slug="passanten-hochstrasse")
    binding = IndicatorBinding.objects.get(indicator=indicator)
    counter = _datastream(binding.datastream_name)
    _obs(counter, dt.datetime(2025, 5, 1, 12, tzinfo=dt.UTC), 2_000_000)
    before = _series(indicator)
    finish_demo(out=out)
    assert _series(indicator) == {**before, 2025: 2.0}
    assert IndicatorBinding.objects.get(indicator=indicator).state == "ok"
    assert "aus Datenreihen und Wertquellen berechnet" in out.getvalue()
