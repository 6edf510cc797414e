"""SensorThings API 1.1 entities, API tokens and the LoRaWAN device registry.

Observations are the big table: a b-tree index on (datastream, phenomenon_time_start, id) serves
every per-datastream time query (and replaces the foreign key's own index). On PostgreSQL the table
is partitioned by month (``partitions.py``, migration 0003); a b-tree on (phenomenon_time_start, id) serves
the default order of the collections (migration 0004, which replaced the BRIN index on time). The columns and
indexes are the same on SQLite.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from konzeptk.accounts.models import Organisation


class Thing(models.Model):
    name = models.CharField(_("Name"), max_length=255)
    description = models.TextField(_("Beschreibung"), blank=True, default="")
    properties = models.JSONField(_("Eigenschaften"), null=True, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="sta_things"
    )
    locations: models.ManyToManyField[Location, Any] = models.ManyToManyField(
        "Location", related_name="things", blank=True
    )

    class Meta:
        verbose_name = _("Thing (Messobjekt)")
        verbose_name_plural = _("Things (Messobjekte)")

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    name = models.CharField(_("Name"), max_length=255)
    description = models.TextField(_("Beschreibung"), blank=True, default="")
    encoding_type = models.CharField(max_length=100, default="application/geo+json")
    location = models.JSONField(_("Ort (GeoJSON)"))
    properties = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("Standort")
        verbose_name_plural = _("Standorte")

    def __str__(self) -> str:
        return self.name


class HistoricalLocation(models.Model):
    time = models.DateTimeField(_("Zeit"))
    thing = models.ForeignKey(Thing, on_delete=models.CASCADE, related_name="historical_locations")
    locations = models.ManyToManyField(Location, related_name="historical_locations")

    class Meta:
        verbose_name = _("Historischer Standort")
        verbose_name_plural = _("Historische Standorte")

    def __str__(self) -> str:
        return f"{self.thing_id} @ {self.time:%Y-%m-%d %H:%M}"


class Sensor(models.Model):
    name = models.CharField(_("Name"), max_length=255)
    description = models.TextField(_("Beschreibung"), blank=True, default="")
    encoding_type = models.CharField(max_length=100, default="application/pdf")
    metadata = models.TextField(_("Metadaten"), blank=True, default="")
    properties = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("Sensor")
        verbose_name_plural = _("Sensoren")

    def __str__(self) -> str:
        return self.name


class ObservedProperty(models.Model):
    name = models.CharField(_("Name"), max_length=255)
    definition = models.CharField(_("Definition"), max_length=500, blank=True, default="")
    description = models.TextField(_("Beschreibung"), blank=True, default="")
    properties = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("Beobachtete Größe")
        verbose_name_plural = _("Beobachtete Größen")

    def __str__(self) -> str:
        return self.name


class Datastream(models.Model):
    name = models.CharField(_("Name"), max_length=255)
    description = models.TextField(_("Beschreibung"), blank=True, default="")
    unit_of_measurement = models.JSONField(_("Maßeinheit"), default=dict)
    observation_type = models.CharField(
        max_length=200,
        default="http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement",
    )
    observed_area = models.JSONField(null=True, blank=True)
    phenomenon_time_start = models.DateTimeField(null=True, blank=True)
    phenomenon_time_end = models.DateTimeField(null=True, blank=True)
    result_time_start = models.DateTimeField(null=True, blank=True)
    result_time_end = models.DateTimeField(null=True, blank=True)
    properties = models.JSONField(null=True, blank=True)
    thing = models.ForeignKey(Thing, on_delete=models.CASCADE, related_name="datastreams")
    sensor = models.ForeignKey(Sensor, on_delete=models.CASCADE, related_name="datastreams")
    observed_property = models.ForeignKey(
        ObservedProperty, on_delete=models.CASCADE, related_name="datastreams"
    )

    class Meta:
        verbose_name = _("Datenstrom")
        verbose_name_plural = _("Datenströme")

    def __str__(self) -> str:
        return self.name


class FeatureOfInterest(models.Model):
    name = models.CharField(_("Name"), max_length=255)
    description = models.TextField(_("Beschreibung"), blank=True, default="")
    encoding_type = models.CharField(max_length=100, default="application/geo+json")
    feature = models.JSONField(_("Geometrie (GeoJSON)"))
    properties = models.JSONField(null=True, blank=True)
    # The Location this feature was generated from (STA 1.1 §8.2.7.1), so it is reused.
    generated_from = models.OneToOneField(
        Location, on_delete=models.SET_NULL, null=True, blank=True, related_name="generated_feature"
    )

    class Meta:
        verbose_name = _("Untersuchungsgegenstand")
        verbose_name_plural = _("Untersuchungsgegenstände")

    def __str__(self) -> str:
        return self.name


class Observation(models.Model):
    # db_index=False: the (datastream, phenomenon_time_start) index below serves datastream lookups.
    datastream = models.ForeignKey(
        Datastream, on_delete=models.CASCADE, related_name="observations", db_index=False
    )
    feature_of_interest = models.ForeignKey(
        FeatureOfInterest, on_delete=models.CASCADE, related_name="observations", null=True
    )
    phenomenon_time_start = models.DateTimeField()
    phenomenon_time_end = models.DateTimeField(null=True, blank=True)
    result_time = models.DateTimeField(null=True, blank=True)
    # A numeric result lives in result_number (fast aggregation); any other JSON value in result_json.
    result_number = models.FloatField(null=True, blank=True)
    result_json = models.JSONField(null=True, blank=True)
    result_quality = models.JSONField(null=True, blank=True)
    valid_time_start = models.DateTimeField(null=True, blank=True)
    valid_time_end = models.DateTimeField(null=True, blank=True)
    parameters = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("Beobachtung")
        verbose_name_plural = _("Beobachtungen")
        indexes = [
            # (datastream, time, id): the order of a Datastream's Observations, ties included, so a page or the
            # latest value per Datastream ($expand … $top=1) is a short index range (migration 0005)
            models.Index(fields=["datastream", "phenomenon_time_start", "id"], name="sensing_obs_ds_time_id"),
            # the default order of every Observations collection (phenomenonTime, id): keyset pages read
            # 100 index entries instead of sorting the table (per partition on PostgreSQL, migration 0004)
            models.Index(fields=["phenomenon_time_start", "id"], name="sensing_obs_time_id"),
        ]

    def __str__(self) -> str:
        return f"{self.datastream_id} @ {self.phenomenon_time_start:%Y-%m-%d %H:%M}: {self.result}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Creates the month's partition first when it is missing (PostgreSQL; no per-row trigger)."""
        from django.db import connections, router

        from konzeptk.sensing import partitions

        alias = kwargs.get("using") or router.db_for_write(Observation, instance=self)
        partitions.ensure_for([self.phenomenon_time_start], connections[alias])
        super().save(*args, **kwargs)

    @property
    def result(self) -> object:
        return self.result_number if self.result_number is not None else self.result_json


class ApiToken(models.Model):
    """A write token of an organisation; only the SHA-256 hash is stored."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="sta_tokens")
    name = models.CharField(_("Bezeichnung"), max_length=100)
    prefix = models.CharField(max_length=12, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API-Schlüssel")
        verbose_name_plural = _("API-Schlüssel")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def generate() -> str:
        return "kk_" + secrets.token_urlsafe(32)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Device(models.Model):
    """A LoRaWAN device known to the registry; its decoded fields map to datastreams."""

    class Network(models.TextChoices):
        TTN = "ttn", "The Things Stack"
        CHIRPSTACK = "chirpstack", "ChirpStack"

    network = models.CharField(max_length=20, choices=Network.choices)
    dev_eui = models.CharField(_("DevEUI"), max_length=32)
    name = models.CharField(_("Name"), max_length=255, blank=True, default="")
    thing = models.ForeignKey(Thing, on_delete=models.CASCADE, null=True, blank=True, related_name="devices")

    class Meta:
        verbose_name = _("LoRaWAN-Gerät")
        verbose_name_plural = _("LoRaWAN-Geräte")
        constraints = [models.UniqueConstraint(fields=["network", "dev_eui"], name="sensing_device_unique")]

    def __str__(self) -> str:
        return f"{self.get_network_display()} {self.dev_eui}"


class DeviceField(models.Model):
    """Decoded payload field → datastream, with a linear unit conversion value*scale+offset."""

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="fields")
    field = models.CharField(_("Feld im dekodierten Payload"), max_length=200)
    datastream = models.ForeignKey(Datastream, on_delete=models.CASCADE, related_name="device_fields")
    scale = models.FloatField(default=1.0)
    offset = models.FloatField(default=0.0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["device", "field"], name="sensing_devicefield_unique")]

    def __str__(self) -> str:
        return f"{self.field} → {self.datastream_id}"


class UnknownDevice(models.Model):
    """Uplinks of devices not in the registry are parked here for an operator to assign."""

    network = models.CharField(max_length=20, choices=Device.Network.choices)
    dev_eui = models.CharField(max_length=32)
    first_seen = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)
    uplink_count = models.PositiveIntegerField(default=0)
    last_payload = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("Unbekanntes Gerät")
        verbose_name_plural = _("Unbekannte Geräte")
        constraints = [models.UniqueConstraint(fields=["network", "dev_eui"], name="sensing_unknown_unique")]

    def __str__(self) -> str:
        return f"{self.network} {self.dev_eui}"


class UplinkReceipt(models.Model):
    """One processed uplink; the unique constraint de-duplicates uplinks that arrive twice."""

    network = models.CharField(max_length=20, choices=Device.Network.choices)
    dev_eui = models.CharField(max_length=32)
    dedup_key = models.CharField(max_length=128)
    device_time = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    observation_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["network", "dev_eui", "dedup_key"], name="sensing_uplink_unique")
        ]

    def __str__(self) -> str:
        return f"{self.network} {self.dev_eui} {self.dedup_key}"


class ObservationHour(models.Model):
    """Hourly roll-up of the numeric results of a datastream (UTC hours), kept current by every write path.

    Recomputed from the raw rows per batch (``konzeptk.sensing.rollups``); daily and monthly figures in local
    time are merged from these hours, which is exact because Europe/Berlin has whole-hour offsets.
    """

    datastream = models.ForeignKey(Datastream, on_delete=models.CASCADE, related_name="hours")
    hour = models.DateTimeField()
    value_count = models.IntegerField()
    value_sum = models.FloatField()
    value_min = models.FloatField()
    value_max = models.FloatField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["datastream", "hour"], name="sensing_obshour_unique")]

    def __str__(self) -> str:
        return f"{self.datastream_id} @ {self.hour:%Y-%m-%d %H}: {self.value_count}"
