"""Uplink → observations through the device registry."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from konzeptk.sensing import models as m
from konzeptk.sensing import partitions
from konzeptk.sensing.ingest.base import ADAPTERS, IngestError, Uplink
from konzeptk.sensing.services import Writer, _extend_datastream_times, feature_id_for
from konzeptk.sensing.storage import insert_observations


@dataclass(frozen=True)
class IngestResult:
    status: str  # stored | duplicate | parked
    observations: int = 0


def _field_value(decoded: dict[str, Any], path: str) -> float | None:
    value: Any = decoded
    for key in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def uplink_ingest(*, network: str, payload: Any, writer: Writer) -> IngestResult:
    """Store one uplink: unknown devices are parked, duplicates recognised by a unique constraint."""
    adapter = ADAPTERS.get(network)
    if adapter is None:
        raise IngestError(f"Unbekanntes Netz {network[:30]!r}")
    uplink = adapter.parse(payload)
    # the month's partition before the transaction locks anything (see partitions.ensure_for_payload)
    partitions.ensure_for([uplink.device_time or uplink.received_at])
    with transaction.atomic():
        device = (
            m.Device.objects.select_related("thing")
            .prefetch_related("fields__datastream__thing")
            .filter(network=network, dev_eui=uplink.dev_eui)
            .first()
        )
        if device is None:
            return _park(uplink)
        if device.thing is not None:
            writer.check_orgs([device.thing.organisation_id])
        try:
            with transaction.atomic():
                receipt = m.UplinkReceipt.objects.create(
                    network=network,
                    dev_eui=uplink.dev_eui,
                    dedup_key=uplink.dedup_key,
                    device_time=uplink.device_time,
                    received_at=uplink.received_at,
                )
        except IntegrityError:
            return IngestResult("duplicate")
        observations = []
        for mapping in device.fields.all():
            value = _field_value(uplink.decoded, mapping.field)
            if value is None:  # missing fields are tolerated; zero is a value
                continue
            writer.check_orgs([mapping.datastream.thing.organisation_id])
            observations.append(
                m.Observation(
                    datastream=mapping.datastream,
                    feature_of_interest_id=feature_id_for(mapping.datastream.thing_id),
                    phenomenon_time_start=uplink.device_time or uplink.received_at,
                    result_time=uplink.received_at,
                    result_number=value * mapping.scale + mapping.offset,
                    parameters={"devEUI": uplink.dev_eui, "network": network},
                )
            )
        insert_observations(observations)
        _extend_datastream_times(observations)
        receipt.observation_count = len(observations)
        receipt.save(update_fields=["observation_count"])
    return IngestResult("stored", len(observations))


def _park(uplink: Uplink) -> IngestResult:
    parked, created = m.UnknownDevice.objects.get_or_create(
        network=uplink.network,
        dev_eui=uplink.dev_eui,
        defaults={"last_payload": uplink.raw, "uplink_count": 1},
    )
    if not created:
        m.UnknownDevice.objects.filter(pk=parked.pk).update(
            uplink_count=F("uplink_count") + 1, last_seen=timezone.now(), last_payload=uplink.raw
        )
    return IngestResult("parked")
