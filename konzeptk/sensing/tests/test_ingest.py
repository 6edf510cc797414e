from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from konzeptk.sensing import models as m
from konzeptk.sensing.ingest import ADAPTERS
from konzeptk.sensing.tests.factories import make_datastream

pytestmark = pytest.mark.django_db

TTN_UPLINK = {
    "end_device_ids": {
        "device_id": "gw-17",
        "dev_eui": "70B3D57ED0051234",
        "application_ids": {"application_id": "swk"},
    },
    "correlation_ids": ["as:up:01H"],
    "received_at": "2024-05-01T10:00:02.5Z",
    "uplink_message": {
        "f_port": 1,
        "f_cnt": 42,
        "frm_payload": "AQID",
        "decoded_payload": {"level_cm": 3150, "battery": 0, "temperature": 11.5},
        "rx_metadata": [{"gateway_ids": {"gateway_id": "kr-1"}, "time": "2024-05-01T10:00:01Z"}],
        "received_at": "2024-05-01T10:00:02.4Z",
    },
}
CHIRPSTACK_UPLINK = {
    "deduplicationId": "3b7a-11ee",
    "time": "2024-05-01T10:15:00Z",
    "deviceInfo": {"devEui": "a84041000181c0de", "deviceName": "Wetter Ostwall"},
    "fCnt": 7,
    "object": {"air": {"temperature": 18.25}, "humidity": None},
    "rxInfo": [{"gwTime": "2024-05-01T10:14:59Z"}],
}


@pytest.fixture
def groundwater(org: Any) -> m.Datastream:
    ds = make_datastream(org)
    device = m.Device.objects.create(network="ttn", dev_eui="70B3D57ED0051234", thing=ds.thing)
    m.DeviceField.objects.create(device=device, field="level_cm", datastream=ds, scale=0.01, offset=0.0)
    battery = make_datastream(org, name="Batterie GW-17")
    m.DeviceField.objects.create(device=device, field="battery", datastream=battery)
    m.DeviceField.objects.create(device=device, field="missing", datastream=battery)
    return ds


def post(client: Any, network: str, body: Any, token: str) -> Any:
    return client.post(
        f"/sta/v1.1/ingest/{network}",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def test_registry_knows_both_network_servers() -> None:
    assert set(ADAPTERS) >= {"ttn", "chirpstack"}


def test_ttn_uplink_is_mapped_converted_and_deduplicated(
    client: Any, token: str, groundwater: m.Datastream
) -> None:
    response = post(client, "ttn", TTN_UPLINK, token)
    assert response.status_code == 201, response.content
    assert response.json() == {"status": "stored", "observations": 2}
    obs = groundwater.observations.get()
    assert obs.result_number == pytest.approx(31.5)  # cm → m
    assert obs.phenomenon_time_start.isoformat() == "2024-05-01T10:00:01+00:00"  # device/gateway time
    assert obs.result_time.isoformat() == "2024-05-01T10:00:02.400000+00:00"  # receive time
    battery = m.Datastream.objects.get(name="Batterie GW-17").observations.get()
    assert battery.result_number == 0  # zero is a value, the missing field is skipped
    again = post(client, "ttn", TTN_UPLINK, token)
    assert again.json()["status"] == "duplicate"
    assert m.Observation.objects.count() == 2


def test_unknown_device_is_parked_not_dropped(client: Any, token: str) -> None:
    for _ in range(2):
        assert post(client, "chirpstack", CHIRPSTACK_UPLINK, token).status_code == 202
    parked = m.UnknownDevice.objects.get()
    assert parked.dev_eui == "A84041000181C0DE"
    assert parked.uplink_count == 2
    assert parked.last_payload["deviceInfo"]["deviceName"] == "Wetter Ostwall"


def test_chirpstack_nested_field(client: Any, token: str, org: Any) -> None:
    ds = make_datastream(org, name="Lufttemperatur Ostwall")
    device = m.Device.objects.create(network="chirpstack", dev_eui="A84041000181C0DE", thing=ds.thing)
    m.DeviceField.objects.create(device=device, field="air.temperature", datastream=ds)
    m.DeviceField.objects.create(device=device, field="humidity", datastream=ds)
    assert post(client, "chirpstack", CHIRPSTACK_UPLINK, token).json()["observations"] == 1
    assert ds.observations.get().result_number == 18.25


@pytest.mark.parametrize(
    "body",
    [
        [],
        {"uplink_message": {}},
        {"uplink_message": {"received_at": "x"}, "end_device_ids": {"dev_eui": "zz"}},
    ],
)
def test_bad_uplinks_are_400(client: Any, token: str, body: Any) -> None:
    response = post(client, "ttn", body, token)
    assert response.status_code == 400
    assert response.json()["type"] == "error"


def test_uplink_for_foreign_device_is_refused(client: Any, other_org: Any, token: str) -> None:
    ds = make_datastream(other_org)
    device = m.Device.objects.create(network="ttn", dev_eui="70B3D57ED0051234", thing=ds.thing)
    m.DeviceField.objects.create(device=device, field="level_cm", datastream=ds)
    uplink = copy.deepcopy(TTN_UPLINK)
    assert post(client, "ttn", uplink, token).status_code == 403
    assert not m.Observation.objects.exists()
    assert post(client, "nosuchnet", uplink, token).status_code == 400


def test_csv_import(tmp_path: Path, org: Any) -> None:
    ds = make_datastream(org)
    path = tmp_path / "pegel.csv"
    path.write_text(
        "zeit;pegel\n2020-01-01T00:00:00Z;31,2\n2020-01-01T00:15:00Z;31,3\nkaputt;1\n", encoding="utf-8"
    )
    out = io.StringIO()
    call_command(
        "import_observations", str(ds.pk), str(path), "--delimiter=;", "--time-column=zeit", "--value-column=pegel",
        stdout=out,
    )  # fmt: skip
    assert "2 Beobachtungen gespeichert, 1 Zeilen abgelehnt" in out.getvalue()
    assert sorted(ds.observations.values_list("result_number", flat=True)) == [31.2, 31.3]
