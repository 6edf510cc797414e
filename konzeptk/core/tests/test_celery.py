"""The Celery app: its beat schedule, every task run eagerly as in the embedded default, and a real
worker that takes tasks from Redis.

The Redis tests use their own database (``KONZEPTK_TEST_REDIS_URL``, default
``redis://127.0.0.1:6379/9``, flushed before each test). Without Redis they are skipped on a
developer machine and fail on CI (``CI=true``).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import runpy
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import kombu.pools
import pytest
from celery.contrib.testing.worker import start_worker
from celery.result import EagerResult
from celery.schedules import crontab
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.celery import app, beat_schedule
from konzeptk.insights import background
from konzeptk.insights import tasks as insights_tasks
from konzeptk.insights.models import OpinionLandscape, RepresentationSnapshot, Statement, StatementVote
from konzeptk.notifications.models import Notification, NotificationSetting
from konzeptk.participation.models import Follow, Phase
from konzeptk.participation.tests.factories import PhaseFactory, ProcessFactory
from konzeptk.sensing import models as sm
from konzeptk.sensing.storage import Row, insert_rows
from konzeptk.strategy.models import Indicator, IndicatorBinding, IndicatorValue

REDIS_TEST_URL = os.environ.get("KONZEPTK_TEST_REDIS_URL", "redis://127.0.0.1:6379/9")
NO_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
ROOT = Path(__file__).resolve().parents[3]
SETTINGS = ROOT / "konzeptk" / "settings.py"


def _on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _wait_for(condition: Callable[[], bool], seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@contextmanager
def _broker(url: str) -> Iterator[None]:
    """The project's app with a real broker instead of eager execution, as with ``REDIS_URL``."""
    changes = {
        "broker_url": url,
        "task_always_eager": False,
        "worker_hijack_root_logger": False,  # leave pytest's log capture alone
    }
    saved = {key: app.conf[key] for key in changes}
    _forget_connections()
    app.conf.update(changes)
    try:
        yield
    finally:
        app.conf.update(saved)
        _forget_connections()


def _forget_connections() -> None:
    """Close the pooled broker connections and let the app open new ones (what Celery does after a
    fork), so a changed broker URL takes effect."""
    kombu.pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def redis_db() -> Iterator[Any]:
    """An empty Redis database as broker of the project's app; skipped (on CI: failed) without Redis."""
    import redis

    client = redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        message = f"Redis antwortet nicht unter {REDIS_TEST_URL} ({error}). Starten Sie redis-server."
        if _on_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    client.flushdb()
    try:
        with _broker(REDIS_TEST_URL):
            yield client
    finally:
        client.flushdb()
        client.close()


@pytest.fixture(autouse=True)
def _no_dispatch_mark() -> Iterator[None]:
    cache.delete(insights_tasks.DISPATCHED_KEY)
    yield
    cache.delete(insights_tasks.DISPATCHED_KEY)


# --- the schedule ------------------------------------------------------------------------------
def test_the_beat_schedule_names_only_registered_tasks_in_berlin_time() -> None:
    app.loader.import_default_modules()  # autodiscovery, as worker and beat do at start
    schedule = app.conf.beat_schedule
    assert app.conf.timezone == "Europe/Berlin"
    assert {entry["task"] for entry in schedule.values()} >= {
        "participation.announce_phases",
        "notifications.send_digests",
        "notifications.send_mails",
        "participation.dump",
        "insights.recompute_pending",
        "insights.representation_snapshots",
        "strategy.refresh_indicators",
        "sensing.partitions_ahead",
    }
    for name, entry in schedule.items():
        assert entry["task"] in app.tasks, name
        assert isinstance(entry["schedule"], crontab), name
    assert schedule["notifications-send-digests"]["schedule"].hour == {7}
    assert schedule["participation-announce-phases"]["schedule"].hour == set(range(24))
    assert schedule["insights-recompute-pending"]["schedule"].minute == set(range(0, 60, 5))
    # pruning deletes data: only when the operator chose how long raw readings are kept
    assert "sensing-prune-observations" not in schedule


def test_pruning_is_scheduled_only_with_a_retention_period(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("KONZEPTK_SENSING_KEEP_MONTHS", "6")
    values = runpy.run_path(str(SETTINGS))
    entry = beat_schedule(values["CELERY_BEAT_SCHEDULE"])["sensing-prune-observations"]
    assert entry["kwargs"] == {"keep_months": 6}
    assert entry["schedule"].hour == {3}
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
    monkeypatch.setenv("KONZEPTK_SENSING_KEEP_MONTHS", "-1")
    with pytest.raises(ImproperlyConfigured, match="mindestens 1"):
        runpy.run_path(str(SETTINGS))


def test_the_embedded_default_does_not_import_celery_at_start() -> None:
    """Celery costs about as much import time as the rest of a command's start-up: loaded with the
    package only when tasks go to a broker."""
    code = (
        "import sys, django; django.setup(); "
        "print('celery' in sys.modules, 'konzeptk.celery' in sys.modules, end=' '); "
        "import konzeptk; print(konzeptk.celery_app.main, konzeptk.celery_app.conf.task_always_eager)"
    )
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env["DJANGO_SETTINGS_MODULE"] = "konzeptk.settings_test"
    embedded = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert embedded.stdout.split() == ["False", "False", "konzeptk", "True"]
    env.update(REDIS_URL=REDIS_TEST_URL, DJANGO_SETTINGS_MODULE="konzeptk.settings")
    production = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert production.stdout.split() == ["True", "True", "konzeptk", "False"]


# --- every task, eagerly (the embedded default) ---------------------------------------------
def _run(task_name: str, **kwargs: Any) -> Any:
    app.loader.import_default_modules()
    result = app.tasks[task_name].delay(**kwargs)
    assert isinstance(result, EagerResult)
    return result.get()


def _followed_phase_that_just_started() -> tuple[Phase, Any]:
    phase: Any = PhaseFactory(process=ProcessFactory(), start=timezone.now() - dt.timedelta(hours=1))
    follower: Any = UserFactory()
    Follow.objects.create(user=follower, process=phase.process)
    return phase, follower


@pytest.mark.django_db
def test_announce_phases_tells_the_followers(django_capture_on_commit_callbacks: Any) -> None:
    phase, follower = _followed_phase_that_just_started()
    with django_capture_on_commit_callbacks(execute=True):
        assert _run("participation.announce_phases") == 1
    phase.refresh_from_db()
    assert phase.announced_at is not None
    assert Notification.objects.filter(recipient=follower, kind="phase").count() == 1
    assert [m.to for m in mail.outbox] == [[follower.email]]
    assert _run("participation.announce_phases") == 0  # idempotent


@pytest.mark.django_db
def test_send_digests_mails_the_daily_readers() -> None:
    reader: Any = UserFactory()
    NotificationSetting.objects.create(user=reader, email_frequency=NotificationSetting.Frequency.DAILY)
    Notification.objects.create(recipient=reader, subject="Neue Antwort", body="Eine Antwort.", kind="other")
    assert _run("participation.send_digests") == 1
    assert [m.to for m in mail.outbox] == [[reader.email]]
    assert "Neue Antwort" in mail.outbox[0].body
    assert _run("participation.send_digests") == 0


@pytest.mark.django_db
def test_dump_writes_the_open_data_files() -> None:
    from konzeptk.participation import dumps

    files = _run("participation.dump")
    manifest = dumps.manifest_read()  # the files live in the private storage, not in the data directory
    assert manifest is not None
    written = sorted(entry["name"] for entry in manifest["files"])
    assert all(dumps.dump_open(name) is not None for name in written)
    assert files >= 2
    assert any(name.endswith(".csv") for name in written)
    assert any(name.endswith(".json") for name in written)


def _meinungsbild_with_votes(people: int = 12) -> Phase:
    phase: Any = PhaseFactory(process=ProcessFactory(), type="meinungsbild")
    statements = [
        Statement.objects.create(
            phase=phase, text=f"Aussage {i}", status=Statement.Status.APPROVED, is_seed=True
        )
        for i in range(8)
    ]
    votes = []
    for i in range(people):
        user: Any = UserFactory()
        for j, statement in enumerate(statements):
            side = 1 if i % 2 else -1
            votes.append(StatementVote(statement=statement, user=user, value=side if j % 2 else -side))
    StatementVote.objects.bulk_create(votes)
    from konzeptk.insights import services

    services.landscape_mark_stale(phase=phase)
    return phase


@pytest.mark.django_db
def test_recompute_pending_computes_stale_opinion_groups() -> None:
    phase = _meinungsbild_with_votes()
    assert _run("insights.recompute_pending") == [phase.pk]
    landscape = OpinionLandscape.objects.get(phase=phase)
    assert landscape.status == OpinionLandscape.Status.OK
    assert not landscape.stale
    assert landscape.result["k"] == 2
    assert _run("insights.recompute_pending") == []


@pytest.mark.django_db
def test_a_vote_in_celery_mode_sends_one_task_per_burst(settings: Any) -> None:
    settings.INSIGHTS_RECOMPUTE = "celery"
    settings.INSIGHTS_RECOMPUTE_DELAY = 0
    phase = _meinungsbild_with_votes()
    background.enqueue(phase.pk)  # eager: runs at once, as a worker would later
    assert not OpinionLandscape.objects.get(phase=phase).stale
    assert cache.get(insights_tasks.DISPATCHED_KEY) is None  # the task cleared it when it started


@pytest.mark.django_db
def test_representation_snapshots_are_taken_for_today() -> None:
    PhaseFactory(process=ProcessFactory(), start=timezone.now() - dt.timedelta(days=1))
    assert _run("insights.representation_snapshots") == 2  # the platform and the running process
    assert (
        RepresentationSnapshot.objects.filter(day=timezone.localdate(), table="total", group="").count() == 2
    )
    assert _run("insights.representation_snapshots") == 2  # replaces today's set
    assert (
        RepresentationSnapshot.objects.filter(day=timezone.localdate(), table="total", group="").count() == 2
    )


def _datastream(name: str = "Passant:innen Rheinstraße") -> sm.Datastream:
    return sm.Datastream.objects.create(
        name=name,
        unit_of_measurement={"name": "Anzahl"},
        thing=sm.Thing.objects.create(name=name),
        sensor=sm.Sensor.objects.create(name="Laserscanner"),
        observed_property=sm.ObservedProperty.objects.create(name="Passant:innen"),
    )


def _bound_indicator() -> Indicator:
    ds = _datastream()
    insert_rows([Row(ds.pk, None, dt.datetime(2024, 3, 1, 12, tzinfo=dt.UTC), result_number=1000)])
    insert_rows([Row(ds.pk, None, dt.datetime(2024, 6, 1, 12, tzinfo=dt.UTC), result_number=500)])
    indicator = Indicator.objects.create(
        slug="passanten", name="Passant:innen", unit="Tsd.", direction="up", source="Zählung",
        baseline_value=1, baseline_year=2023,
    )  # fmt: skip
    IndicatorBinding.objects.create(
        indicator=indicator, datastream_name=ds.name, statistic="sum", scale=0.001
    )
    return indicator


@pytest.mark.django_db
def test_refresh_indicators_writes_the_yearly_values() -> None:
    indicator = _bound_indicator()
    assert _run("strategy.refresh_indicators") == 1
    value = IndicatorValue.objects.get(indicator=indicator, source=IndicatorValue.Source.SERIES)
    assert (value.date.year, value.value) == (2024, 1.5)
    assert IndicatorBinding.objects.get(indicator=indicator).state == IndicatorBinding.State.OK


@pytest.mark.django_db
def test_partitions_ahead_keeps_the_coming_months_ready() -> None:
    from django.db import connection

    from konzeptk.sensing import partitions

    created = _run("sensing.partitions_ahead")
    assert _run("sensing.partitions_ahead") == []  # idempotent
    if connection.vendor == "postgresql" and partitions.is_partitioned():
        months = {month for month, _name in partitions.existing()}
        this_month = partitions.month_start(dt.datetime.now(dt.UTC))
        assert {partitions.add_months(this_month, i) for i in range(partitions.AHEAD + 1)} <= months
    else:
        assert created == []  # SQLite has no partitions


@pytest.mark.django_db
def test_prune_observations_keeps_the_hours() -> None:
    ds = _datastream()
    now = dt.datetime.now(dt.UTC)
    old = now - dt.timedelta(days=150)
    insert_rows([Row(ds.pk, None, old, result_number=7), Row(ds.pk, None, now, result_number=3)])
    assert _run("sensing.prune_observations", keep_months=2) == 1
    assert list(sm.Observation.objects.filter(datastream=ds).values_list("result_number", flat=True)) == [3]
    assert sm.ObservationHour.objects.filter(datastream=ds).count() == 2  # the old hour stays
    assert _run("sensing.prune_observations", keep_months=2) == 0


# --- a real broker -----------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_vote_sends_one_message_per_burst_to_redis(redis_db: Any, settings: Any) -> None:
    settings.INSIGHTS_RECOMPUTE = "celery"
    phase = _meinungsbild_with_votes()
    for _ in range(5):
        background.enqueue(phase.pk)
    assert redis_db.llen("celery") == 1
    insights_tasks.dispatched()  # the task started: the next vote sends again
    background.enqueue(phase.pk)
    assert redis_db.llen("celery") == 2


@pytest.mark.django_db
@pytest.mark.parametrize("cache_too", [False, True], ids=["broker", "broker-and-cache"])
def test_a_vote_survives_a_broker_that_does_not_answer(settings: Any, caplog: Any, cache_too: bool) -> None:
    settings.INSIGHTS_RECOMPUTE = "celery"
    phase = _meinungsbild_with_votes()
    if cache_too:  # production: one Redis is cache and broker
        settings.CACHES = {
            "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": NO_BROKER_URL}
        }
    started = time.monotonic()
    with _broker(NO_BROKER_URL), caplog.at_level(logging.ERROR, logger="konzeptk.insights.background"):
        background.enqueue(phase.pk)
    assert time.monotonic() - started < 10
    assert "nicht an Celery übergeben" in caplog.text
    if not cache_too:
        assert cache.get(insights_tasks.DISPATCHED_KEY) is None  # the next vote tries again
    assert OpinionLandscape.objects.get(phase=phase).stale  # the scheduled run catches up


# transaction=True: the worker thread has its own database connection and sees only committed rows
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_tasks_sent_through_redis(redis_db: Any, settings: Any) -> None:
    settings.INSIGHTS_RECOMPUTE = "celery"
    settings.INSIGHTS_RECOMPUTE_DELAY = 0
    phase, follower = _followed_phase_that_just_started()
    opinions = _meinungsbild_with_votes()
    from konzeptk.participation.tasks import announce_phases

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30, loglevel="WARNING"):
        result = announce_phases.apply_async()
        assert not isinstance(result, EagerResult)  # sent to Redis, not run here
        background.enqueue(opinions.pk)  # what a vote does after its commit
        assert _wait_for(lambda: Phase.objects.get(pk=phase.pk).announced_at is not None)
        assert _wait_for(lambda: not OpinionLandscape.objects.get(phase=opinions).stale)
    assert Notification.objects.filter(recipient=follower, kind="phase").count() == 1
    assert [m.to for m in mail.outbox] == [[follower.email]]
    landscape = OpinionLandscape.objects.get(phase=opinions)
    assert landscape.status == OpinionLandscape.Status.OK
    assert landscape.result["k"] == 2
    assert redis_db.llen("celery") == 0
