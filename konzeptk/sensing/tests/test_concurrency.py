"""Nothing lost under concurrency (issue 14, finding 1).

8 clients POSTing single Observations to one Datastream at once stored 458 of 1,000; the rest got a 400
"ungültige Werte": the hourly roll-up was recomputed with DELETE then INSERT (two writers of one
Datastream-hour collided on ``sensing_obshour_unique``), the generated FeatureOfInterest raced, month
partitions raced, deadlocks were reported as bad input. Here 16 writers (threads over HTTP against the
live server, each with its own database connection) write at once; every acknowledged (201)
observation must be in the database and the roll-ups must equal a recompute from the raw rows.

The phenomenon times lie in a month that has no partition yet, so the writers also race to create it.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import uuid
from collections.abc import Callable
from typing import Any

import pytest
import requests

from konzeptk.core.tests import live
from konzeptk.sensing import models as m
from konzeptk.sensing import partitions, rollups
from konzeptk.sensing.services import api_token_create
from konzeptk.sensing.tests.factories import make_datastream

pytestmark = pytest.mark.django_db(transaction=True)

WRITERS = 16
PER_WRITER = 30


needs_real_connections = live.needs_real_connections  # autouse: SQLite in memory is skipped


def _month(seed: int) -> dt.datetime:
    """A UTC month far ahead that has no partition yet (a new one per test)."""
    return dt.datetime(2150 + seed // 12, seed % 12 + 1, 1, 10, tzinfo=dt.UTC)


def _run_at_once(count: int, work: Callable[[int], list[tuple[int, Any]]]) -> list[tuple[int, Any]]:
    """Run ``work(i)`` in ``count`` threads started together; returns all (status, body) pairs."""
    barrier = threading.Barrier(count)
    results: list[list[tuple[int, Any]]] = [[] for _ in range(count)]
    failures: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert not failures, failures
    return [pair for chunk in results for pair in chunk]


def _post_observations(
    base: str, token: str, datastream_for: Callable[[int], int], start: dt.datetime
) -> Callable[[int], list[tuple[int, Any]]]:
    def work(i: int) -> list[tuple[int, Any]]:
        session = requests.Session()
        session.headers.update({"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        answers = []
        for j in range(PER_WRITER):
            # writers interleave within the same two hours of one Datastream
            time = start + dt.timedelta(seconds=(j * WRITERS + i) * 13)
            body = {
                "phenomenonTime": time.isoformat(),
                "result": round(i + j / 100, 3),
                "Datastream": {"@iot.id": datastream_for(i)},
            }
            answer = session.post(f"{base}/sta/v1.1/Observations", data=json.dumps(body), timeout=120)
            answers.append((answer.status_code, answer.json() if answer.content else None))
        return answers

    return work


def _assert_all_stored(answers: list[tuple[int, Any]], expected: int, datastreams: list[int]) -> None:
    statuses = sorted({status for status, _body in answers})
    refused = [body for status, body in answers if status != 201][:5]
    assert statuses == [201], (statuses, refused)
    ids = {body["@iot.id"] for _status, body in answers}
    assert len(ids) == expected
    stored = set(m.Observation.objects.filter(pk__in=ids).values_list("pk", flat=True))
    assert stored == ids  # every acknowledged observation is in the database
    assert m.Observation.objects.filter(datastream_id__in=datastreams).count() == expected
    _assert_rollups_equal_recompute(datastreams)
    _assert_datastream_spans(datastreams)


def _hours(datastreams: list[int]) -> list[tuple[int, dt.datetime, int, float, float, float]]:
    rows = m.ObservationHour.objects.filter(datastream_id__in=datastreams).order_by("datastream_id", "hour")
    return [
        (h.datastream_id, h.hour, h.value_count, round(h.value_sum, 6), h.value_min, h.value_max)
        for h in rows
    ]


def _assert_rollups_equal_recompute(datastreams: list[int]) -> None:
    kept = _hours(datastreams)
    for pk in datastreams:
        rollups.rebuild(pk)
    assert kept == _hours(datastreams)
    assert sum(row[2] for row in kept) == m.Observation.objects.filter(datastream_id__in=datastreams).count()


def _assert_datastream_spans(datastreams: list[int]) -> None:
    from django.db.models import Max, Min

    for ds in m.Datastream.objects.filter(pk__in=datastreams):
        span = ds.observations.aggregate(
            first=Min("phenomenon_time_start"), last=Max("phenomenon_time_start")
        )
        assert (ds.phenomenon_time_start, ds.phenomenon_time_end) == (span["first"], span["last"])


def _features(datastreams: list[int]) -> int:
    return (
        m.Observation.objects.filter(datastream_id__in=datastreams)
        .values("feature_of_interest_id")
        .distinct()
        .count()
    )


def test_sixteen_writers_on_one_datastream_lose_nothing(live_server: Any) -> None:
    from konzeptk.accounts.models import Organisation

    org = Organisation.objects.create(slug="nebenlaeufig", name="Nebenläufig", short_name="N")
    token = api_token_create(organisation=org, name="Last")[1]
    ds = make_datastream(org)
    start = _month(0)
    partitions.forget_cache()
    answers = _run_at_once(WRITERS, _post_observations(live_server.url, token, lambda _i: ds.pk, start))
    _assert_all_stored(answers, WRITERS * PER_WRITER, [ds.pk])
    assert _features([ds.pk]) == 1  # one generated FeatureOfInterest, however many writers raced for it
    assert m.FeatureOfInterest.objects.filter(generated_from__isnull=False).count() == 1


def test_sixteen_writers_on_sixteen_datastreams_lose_nothing(live_server: Any) -> None:
    from konzeptk.accounts.models import Organisation

    org = Organisation.objects.create(slug="nebenlaeufig", name="Nebenläufig", short_name="N")
    token = api_token_create(organisation=org, name="Last")[1]
    streams = [make_datastream(org, name=f"Pegel {i}").pk for i in range(WRITERS)]
    partitions.forget_cache()
    answers = _run_at_once(
        WRITERS, _post_observations(live_server.url, token, lambda i: streams[i], _month(1))
    )
    _assert_all_stored(answers, WRITERS * PER_WRITER, streams)


@pytest.mark.parametrize("fold", ["inline", "celery"])
def test_create_observations_and_single_posts_at_once_lose_nothing(
    live_server: Any, settings: Any, fold: str
) -> None:
    """Half the writers send CreateObservations batches, half single Observations, into the same hours. The
    batches land (PostgreSQL) and are folded in the request (``inline``) or after its commit, by the task the
    commit queues (``celery``; eager in the tests: folders of all writers at once, taking turns)."""
    from konzeptk.accounts.models import Organisation

    settings.SENSING_FOLD = fold

    org = Organisation.objects.create(slug="nebenlaeufig", name="Nebenläufig", short_name="N")
    token = api_token_create(organisation=org, name="Last")[1]
    ds = make_datastream(org)
    start = _month(2)
    partitions.forget_cache()
    single = _post_observations(live_server.url, token, lambda _i: ds.pk, start)

    def work(i: int) -> list[tuple[int, Any]]:
        if i % 2:
            return single(i)
        session = requests.Session()
        session.headers.update({"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        answers = []
        for j in range(3):
            rows = [
                [(start + dt.timedelta(seconds=(j * 1000 + k) * 7 + i)).isoformat(), float(k)]
                for k in range(50)
            ]
            body = [
                {
                    "Datastream": {"@iot.id": ds.pk},
                    "components": ["phenomenonTime", "result"],
                    "dataArray": rows,
                }
            ]
            answer = session.post(
                f"{live_server.url}/sta/v1.1/CreateObservations", data=json.dumps(body), timeout=120
            )
            links = answer.json() if answer.status_code == 201 else []
            assert all(isinstance(link, str) and "Observations(" in link for link in links), links
            for link in links:
                answers.append((answer.status_code, {"@iot.id": int(link.rsplit("(", 1)[1].rstrip(")"))}))
            if answer.status_code != 201:
                answers.append((answer.status_code, answer.json()))
        return answers

    answers = _run_at_once(WRITERS, work)
    expected = WRITERS // 2 * PER_WRITER + WRITERS // 2 * 3 * 50
    _assert_all_stored(answers, expected, [ds.pk])


def _ttn(dev_eui: str, counter: int, at: dt.datetime) -> dict[str, Any]:
    stamp = at.isoformat().replace("+00:00", "Z")
    return {
        "end_device_ids": {"device_id": dev_eui.lower(), "dev_eui": dev_eui},
        "received_at": stamp,
        "uplink_message": {
            "f_cnt": counter,
            "decoded_payload": {"level_cm": 3000 + counter, "battery": 90},
            "rx_metadata": [{"time": stamp}],
            "received_at": stamp,
        },
    }


def _chirpstack(dev_eui: str, counter: int, at: dt.datetime) -> dict[str, Any]:
    return {
        "deduplicationId": str(uuid.uuid4()),
        "time": at.isoformat().replace("+00:00", "Z"),
        "deviceInfo": {"devEui": dev_eui},
        "fCnt": counter,
        "object": {"level_cm": 2000 + counter, "battery": 80},
    }


def test_lorawan_webhooks_of_both_networks_lose_nothing(live_server: Any) -> None:
    """16 senders, TTN and ChirpStack, 4 devices each, all mapped to the same two Datastreams."""
    from konzeptk.accounts.models import Organisation

    org = Organisation.objects.create(slug="nebenlaeufig", name="Nebenläufig", short_name="N")
    token = api_token_create(organisation=org, name="LoRaWAN")[1]
    level = make_datastream(org, name="Pegel")
    battery = make_datastream(org, name="Batterie")
    devices: list[tuple[str, str]] = []
    for network in ("ttn", "chirpstack"):
        for n in range(4):
            eui = f"70B3D57ED00{'A' if network == 'ttn' else 'C'}{n:04X}"
            device = m.Device.objects.create(network=network, dev_eui=eui, thing=level.thing)
            m.DeviceField.objects.create(device=device, field="level_cm", datastream=level, scale=0.01)
            m.DeviceField.objects.create(device=device, field="battery", datastream=battery)
            devices.append((network, eui))
    start = _month(3)
    partitions.forget_cache()

    def work(i: int) -> list[tuple[int, Any]]:
        network, eui = devices[i % len(devices)]
        session = requests.Session()
        session.headers.update({"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        answers = []
        for j in range(PER_WRITER):
            counter = i * 1000 + j
            at = start + dt.timedelta(seconds=(j * WRITERS + i) * 11)
            body = _ttn(eui, counter, at) if network == "ttn" else _chirpstack(eui, counter, at)
            answer = session.post(
                f"{live_server.url}/sta/v1.1/ingest/{network}", data=json.dumps(body), timeout=120
            )
            answers.append((answer.status_code, answer.json()))
        return answers

    answers = _run_at_once(WRITERS, work)
    statuses = sorted({status for status, _body in answers})
    assert statuses == [201], (statuses, [body for status, body in answers if status != 201][:5])
    assert all(body == {"status": "stored", "observations": 2} for _status, body in answers)
    uplinks = WRITERS * PER_WRITER
    assert m.UplinkReceipt.objects.count() == uplinks
    assert m.Observation.objects.filter(datastream=level).count() == uplinks
    assert m.Observation.objects.filter(datastream=battery).count() == uplinks
    _assert_rollups_equal_recompute([level.pk, battery.pk])
    _assert_datastream_spans([level.pk, battery.pk])


def test_mqtt_publishers_and_http_writers_at_once_lose_nothing(live_server: Any) -> None:
    """8 MQTT publishers (QoS 1) into two bridges sharing one subscription, and 8 HTTP writers, all on one
    Datastream at once: every message the broker acknowledged and every 201 ends up stored, once."""
    import os
    import socket
    import time
    from urllib.parse import urlparse

    import paho.mqtt.client as mqtt

    from konzeptk.accounts.models import Organisation
    from konzeptk.sensing.mqtt_bridge import Bridge

    url = urlparse(os.environ.get("MQTT_URL") or "mqtt://127.0.0.1:1883")
    host, port = url.hostname or "127.0.0.1", url.port or 1883
    try:
        socket.create_connection((host, port), timeout=1).close()
    except OSError:
        if os.environ.get("CI") == "true":
            pytest.fail("Kein MQTT-Broker, aber CI=true")
        pytest.skip("Kein MQTT-Broker unter 127.0.0.1:1883")
    org = Organisation.objects.create(slug="nebenlaeufig", name="Nebenläufig", short_name="N")
    token = api_token_create(organisation=org, name="Last")[1]
    ds = make_datastream(org)
    start = _month(4)
    partitions.forget_cache()
    group = f"c{uuid.uuid4().hex[:8]}"
    bridges = [
        Bridge(f"mqtt://{host}:{port}", client_id=f"{group}-{i}", share_group=group, notify=False)
        for i in range(2)
    ]
    for bridge in bridges:
        bridge.start()
    try:
        for bridge in bridges:
            assert bridge.subscribed.wait(10), "Brücke hat nicht abonniert"
        topic = f"v1.1/Datastreams({ds.pk})/Observations"
        http = _post_observations(live_server.url, token, lambda _i: ds.pk, start)

        def work(i: int) -> list[tuple[int, Any]]:
            if i % 2:
                return http(i)
            publisher = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"{group}-pub-{i}")
            publisher.connect(host, port)
            publisher.loop_start()
            try:
                infos = []
                for j in range(PER_WRITER):
                    time_ = start + dt.timedelta(seconds=(j * WRITERS + i) * 13)
                    body = json.dumps({"phenomenonTime": time_.isoformat(), "result": i + j / 100})
                    infos.append(publisher.publish(topic, body, qos=1))
                for info in infos:
                    info.wait_for_publish(30)
                return [(1, None) for info in infos if info.is_published()]  # acknowledged by the broker
            finally:
                publisher.loop_stop()
                publisher.disconnect()

        answers = _run_at_once(WRITERS, work)
        published = sum(1 for status, _body in answers if status == 1)
        assert published == WRITERS // 2 * PER_WRITER
        over_http = [(status, body) for status, body in answers if status != 1]
        assert sorted({status for status, _body in over_http}) == [201], over_http[:3]
        expected = published + len(over_http)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and m.Observation.objects.filter(datastream=ds).count() < expected:
            time.sleep(0.2)
    finally:
        for bridge in bridges:
            bridge.stop()
            bridge.forget_session()
    results = [result for bridge in bridges for result in bridge.results]
    assert results.count("stored") == published, [r for r in results if r != "stored"][:5]
    stored_http = {body["@iot.id"] for _status, body in over_http}
    assert set(m.Observation.objects.filter(pk__in=stored_http).values_list("pk", flat=True)) == stored_http
    assert m.Observation.objects.filter(datastream=ds).count() == expected  # each once
    _assert_rollups_equal_recompute([ds.pk])
    _assert_datastream_spans([ds.pk])
