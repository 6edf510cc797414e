"""Done when: the city's own sensor data crossing 30 °C for the set duration raises one alert in all six
languages; the subscribers of the districts get it in their language (inbox and queued mail), registered care
homes get the checklist, unconfirmed addresses get nothing beyond their confirmation. Rules are evaluated as
data arrives through sensing's ingest hook; a flood of data keeps one alert; late data does not split it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.core.content import CONTENT_LANGUAGES
from konzeptk.notifications.models import Mail, Notification
from konzeptk.resilience import evaluation
from konzeptk.resilience.models import ALERT_KIND, Delivery, Episode, Facility, Source, Warning
from konzeptk.resilience.tests.alerts_support import (
    HEADLINES,
    make_city,
    make_rule,
    post_one,
    post_series,
    series,
    subscribe,
    temperature_stream,
)
from konzeptk.sensing import ingest_hook_registry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_caches() -> None:
    from konzeptk.sensing import observed_area, partitions, writecache

    writecache.clear()
    observed_area.forget_cache()
    partitions.forget_cache()
    ingest_hook_registry.forget_watched()


def _start() -> dt.datetime:
    return (timezone.now() - dt.timedelta(hours=6)).replace(second=0, microsecond=0)


def test_crossing_30_degrees_for_the_duration_raises_one_alert_to_the_districts(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    mitte, ost = make_city()
    ds, token = temperature_stream()
    with django_capture_on_commit_callbacks(execute=True):
        make_rule(ds, [mitte])
    person = UserFactory()
    inbox = subscribe(user=person, language="tr", districts=[mitte])
    by_mail = subscribe(email="leser@beispiel.invalid", language="ar", districts=[mitte])
    whole_city = subscribe(email="stadt@beispiel.invalid", language="en")
    elsewhere = subscribe(email="ost@beispiel.invalid", districts=[ost])
    unconfirmed = subscribe(email="offen@beispiel.invalid", districts=[mitte], confirmed=False)
    care_home = Facility.objects.create(
        kind=Facility.Kind.CARE_HOME, name="Haus am Park", district=mitte, contact_email="heim@beispiel.invalid",
        token="t-heim", confirmed_at=timezone.now(),
    )  # fmt: skip
    facility_sub = subscribe(email="heim@beispiel.invalid", districts=[mitte])
    facility_sub.facility = care_home
    facility_sub.save()
    start = _start()
    # 29 °C, then over 30 °C for 50 minutes: not yet the minimum duration of 60 minutes
    with django_capture_on_commit_callbacks(execute=True):
        post_series(client, token, ds, series(start, [29.0, 29.5, 30.5, 31.0, 31.5, 32.0, 32.0, 31.0]))
    assert not Warning.objects.exists()
    assert Episode.objects.get().raised_at is None
    # ten more minutes over 30 °C: the condition held 60 minutes
    with django_capture_on_commit_callbacks(execute=True):
        post_series(client, token, ds, series(start + dt.timedelta(minutes=80), [31.5]))
    warning = Warning.objects.get()
    assert warning.source == Source.OWN
    assert warning.ended_at is None
    assert {getattr(warning, f"headline_{code}") for code in CONTENT_LANGUAGES} == set(HEADLINES.values())
    assert list(warning.districts.all()) == [mitte]
    # the subscribers of Mitte and of the whole city, each once, in their language
    told = set(Delivery.objects.values_list("subscription_id", flat=True))
    assert told == {inbox.pk, by_mail.pk, whole_city.pk, facility_sub.pk}
    entry = Notification.objects.get(recipient=person)
    assert entry.kind == ALERT_KIND
    assert entry.subject == HEADLINES["tr"]
    mails = {m.to: m for m in Mail.objects.filter(kind=ALERT_KIND)}
    # the account: its inbox, and a mail as its notification settings say (immediately, by default)
    assert set(mails) == {
        "leser@beispiel.invalid",
        "stadt@beispiel.invalid",
        "heim@beispiel.invalid",
        person.email,
    }
    assert mails[person.email].subject == HEADLINES["tr"]
    assert mails["leser@beispiel.invalid"].subject == HEADLINES["ar"]
    assert mails["stadt@beispiel.invalid"].subject == HEADLINES["en"]
    assert "/warnungen/abbestellen/" in mails["leser@beispiel.invalid"].unsubscribe_url
    # the care home gets the checklist of the heat action plan
    from konzeptk.resilience.heat import checklist

    first_section = checklist(Facility.Kind.CARE_HOME).sections[0]
    assert first_section.items[0] in mails["heim@beispiel.invalid"].body
    assert first_section.items[0] not in mails["stadt@beispiel.invalid"].body
    # nothing to the unconfirmed address, nothing to another district
    assert not Mail.objects.filter(to__in=[unconfirmed.email, elsewhere.email]).exists()


def test_a_flood_of_data_and_late_values_keep_one_alert_until_it_ends(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    mitte, _ost = make_city()
    ds, token = temperature_stream()
    with django_capture_on_commit_callbacks(execute=True):
        rule = make_rule(ds, [mitte], min_duration_minutes=30)
    subscribe(email="leser@beispiel.invalid", districts=[mitte])
    start = _start()
    with django_capture_on_commit_callbacks(execute=True):
        post_series(client, token, ds, series(start, [31.0] * 5))
        # a flood: many batches and single posts, all over the threshold
        for batch in range(5):
            rows = [
                (start + dt.timedelta(minutes=41 + batch * 20, seconds=s), 33.0) for s in range(0, 1200, 3)
            ]
            post_series(client, token, ds, rows)
        for minute in range(141, 150):
            post_one(client, token, ds, start + dt.timedelta(minutes=minute), 34.0)
        # late values from before, one of them cold (past threshold and hysteresis): no second alert
        post_series(client, token, ds, [(start + dt.timedelta(minutes=12), 20.0)])
        post_one(client, token, ds, start + dt.timedelta(minutes=25), 19.0)
    assert Warning.objects.count() == 1
    assert Mail.objects.filter(to="leser@beispiel.invalid").count() == 1
    episode = Episode.objects.get(rule=rule)
    assert episode.ended_at is None
    assert episode.peak == 34.0
    # 29 °C is within the hysteresis (30 − 2): the alert stays; 27 °C ends it
    with django_capture_on_commit_callbacks(execute=True):
        post_one(client, token, ds, start + dt.timedelta(minutes=160), 29.0)
    assert Warning.objects.get().ended_at is None
    with django_capture_on_commit_callbacks(execute=True):
        post_one(client, token, ds, start + dt.timedelta(minutes=170), 27.0)
    warning = Warning.objects.get()
    assert warning.ended_at is not None
    assert Episode.objects.get(rule=rule).ended_at is not None
    # a new hot spell is a new episode with a new alert
    with django_capture_on_commit_callbacks(execute=True):
        post_series(client, token, ds, series(start + dt.timedelta(minutes=180), [32.0] * 5))
    assert Warning.objects.count() == 2
    assert Mail.objects.filter(to="leser@beispiel.invalid").count() == 2
    # evaluating again – the safety net, or the same data again – changes nothing
    evaluation.rules_evaluate_all()
    evaluation.rules_evaluate_all()
    assert Warning.objects.count() == 2
    assert Episode.objects.filter(rule=rule).count() == 2


def test_a_short_spell_raises_nothing_and_leaves_no_episode(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    mitte, _ost = make_city()
    ds, token = temperature_stream()
    with django_capture_on_commit_callbacks(execute=True):
        make_rule(ds, [mitte])
        post_series(client, token, ds, series(_start(), [31.0, 32.0, 31.0, 29.0, 28.0]))
    assert not Warning.objects.exists()
    assert not Episode.objects.exists()


def test_an_episode_over_before_its_data_arrives_is_recorded_and_sent_to_nobody(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    mitte, _ost = make_city()
    ds, token = temperature_stream()
    with django_capture_on_commit_callbacks(execute=True):
        make_rule(ds, [mitte], min_duration_minutes=20)
    subscribe(email="leser@beispiel.invalid", districts=[mitte])
    with django_capture_on_commit_callbacks(execute=True):
        post_series(client, token, ds, series(_start(), [31.0, 32.0, 33.0, 31.0, 25.0, 24.0]))
        post_series(client, token, ds, series(_start(), [31.0, 32.0, 33.0, 31.0, 25.0, 24.0]))  # sent twice
    warning = Warning.objects.get()
    assert warning.ended_at is not None
    assert not Mail.objects.filter(to="leser@beispiel.invalid").exists()


def test_the_hook_is_not_called_for_streams_no_rule_watches(
    client: Client, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    mitte, _ost = make_city()
    watched, token = temperature_stream("beobachtet")
    with django_capture_on_commit_callbacks(execute=True):
        make_rule(watched, [mitte])
    calls: list[frozenset[int]] = []
    monkeypatch.setattr(evaluation, "rule_evaluate", lambda **kw: calls.append(kw) or evaluation.Outcome())
    import konzeptk.resilience.apps  # noqa: F401

    ingest_hook_registry.register_ingest_hook(
        "resilience.rules", evaluation.on_observations_written, watched=evaluation.watched_datastream_ids
    )
    other, other_token = temperature_stream("unbeobachtet")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        post_series(client, other_token, other, series(_start(), [35.0] * 3))
    assert calls == []
    assert not [c for c in callbacks if "observations_written" in getattr(c, "__qualname__", "")]
    with django_capture_on_commit_callbacks(execute=True):
        post_series(client, token, watched, series(_start(), [35.0] * 3))
        post_one(client, token, watched, _start(), 36.0)
    assert len(calls) == 2  # one call per request, not per observation


@pytest.mark.parametrize("rows", [50, 2000])
def test_evaluation_on_ingest_costs_a_fixed_number_of_queries(
    rows: int, client: Client, django_capture_on_commit_callbacks: Any, django_assert_max_num_queries: Any
) -> None:
    mitte, _ost = make_city()
    ds, token = temperature_stream()
    with django_capture_on_commit_callbacks(execute=True):
        rule = make_rule(ds, [mitte])
    start = _start()
    values = [(start + dt.timedelta(seconds=i), 25.0 + (i % 3)) for i in range(rows)]
    post_series(client, token, ds, values[:1])  # warms the write caches
    with django_assert_max_num_queries(6):
        evaluation.rule_evaluate(rule_id=rule.pk, since=start)
    from konzeptk.sensing.ingest_hook_registry import Written

    with django_assert_max_num_queries(8):
        evaluation.on_observations_written(Written({ds.pk: (start, start + dt.timedelta(seconds=rows))}))


def _episodes(rule: Any) -> list[tuple[Any, ...]]:
    return [
        (e.condition_since, e.raised_at is not None, e.ended_at is not None, e.peak, e.last_phenomenon_time)
        for e in Episode.objects.filter(rule=rule).order_by("condition_since")
    ]


@pytest.mark.parametrize("seed", range(4))
def test_deciding_from_the_batch_agrees_with_reading_the_stored_series(
    seed: int, client: Client, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The hook decides the common cases from the batch's extremes (``_settled_by_batch``); the same batches
    evaluated by reading the stored series give the same episodes, peaks and alerts."""
    import random

    rng = random.Random(seed)
    mitte, _ost = make_city()
    start = _start()
    batches = []
    minute = 0
    for _batch in range(12):
        level = rng.choice([24.0, 29.0, 31.0, 33.0])
        rows = [
            (start + dt.timedelta(minutes=minute + i), level + rng.choice([-3.0, 0.0, 0.5, 1.5]))
            for i in range(10)
        ]
        if rng.random() < 0.2:  # a late value inside what was sent before
            rows.append(
                (
                    start + dt.timedelta(minutes=rng.randrange(0, minute + 1), seconds=30),
                    rng.choice([20.0, 32.0]),
                )
            )
        batches.append(rows)
        minute += 10
    outcomes = []
    for decide_from_batch in (True, False):
        if not decide_from_batch:
            monkeypatch.setattr(evaluation, "_settled_by_batch", lambda *args: False)
        ds, token = temperature_stream(name=f"Temperatur {decide_from_batch}")
        with django_capture_on_commit_callbacks(execute=True):
            rule = make_rule(ds, [mitte], min_duration_minutes=30)
        for rows in batches:
            with django_capture_on_commit_callbacks(execute=True):
                post_series(client, token, ds, rows)
        outcomes.append((_episodes(rule), Warning.objects.filter(rule=rule).count()))
    assert outcomes[0] == outcomes[1]
