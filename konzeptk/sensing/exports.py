"""Sensing holds nothing about a person (declared for the personal-data coverage test)."""

from __future__ import annotations

from konzeptk.accounts.export_registry import declare_no_personal_data

declare_no_personal_data(
    "sensing.Thing",
    "sensing.Location",
    "sensing.HistoricalLocation",
    "sensing.Sensor",
    "sensing.ObservedProperty",
    "sensing.Datastream",
    "sensing.FeatureOfInterest",
    "sensing.Observation",
    "sensing.ObservationHour",
    "sensing.ApiToken",
    "sensing.Device",
    "sensing.DeviceField",
    "sensing.UnknownDevice",
    "sensing.UplinkReceipt",
    reason="SensorThings entities and measurements of devices run by organisations (air, traffic, "
    "passer-by counts as totals); tokens and devices belong to organisations. No link to a person.",
)
