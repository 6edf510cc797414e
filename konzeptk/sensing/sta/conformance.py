"""What the service root declares in ``serverSettings.conformance`` (OGC 18-088, SensorThings 1.1 Part 1).

The requirement classes implemented (the URIs of 18-088's Annex A, as FROST-Server lists them) and, under each,
the requirements it consists of, so that clients checking either the class or the single requirement find it.
Only what is built is listed; batch requests and MultiDatastream are not.
"""

from __future__ import annotations

REQ = "http://www.opengis.net/spec/iot_sensing/1.1/req"
_ENTITIES = (
    "thing",
    "location",
    "historical-location",
    "datastream",
    "sensor",
    "observed-property",
    "observation",
    "feature-of-interest",
)

CLASSES = [
    f"{REQ}/datamodel",
    f"{REQ}/resource-path/resource-path-to-entities",
    f"{REQ}/request-data",
    f"{REQ}/create-update-delete",
    f"{REQ}/data-array/data-array",
]
MQTT_CREATE = f"{REQ}/create-observations-via-mqtt/observations-creation"
MQTT_RECEIVE = f"{REQ}/receive-updates-via-mqtt/receive-updates"
JSON_PATCH = f"{REQ}/create-update-delete/update-entity-jsonpatch"

REQUIREMENTS = [
    *(f"{REQ}/datamodel/{entity}/{aspect}" for entity in _ENTITIES for aspect in ("properties", "relations")),
    f"{REQ}/datamodel/entity-control-information/common-control-information",
    *(
        f"{REQ}/request-data/{name}"
        for name in (
            "order",
            "expand",
            "select",
            "orderby",
            "skip",
            "top",
            "count",
            "filter",
            "built-in-filter-operations",
            "built-in-query-functions",
            "pagination",
            "status-code",
            "query-status-code",
        )
    ),
    *(
        f"{REQ}/create-update-delete/{name}"
        for name in (
            "create-entity",
            "link-to-existing-entities",
            "deep-insert",
            "deep-insert-status-code",
            "update-entity",
            "update-entity-put",
            "delete-entity",
            "historical-location-auto-creation",
            "historical-location-manual-creation",
        )
    ),
    JSON_PATCH,
]


def conformance() -> list[str]:
    """Every class and requirement URI the service root names (MQTT included: the bridge is part of the
    platform even when this process has no ``MQTT_URL``)."""
    return [*CLASSES, MQTT_CREATE, MQTT_RECEIVE, *REQUIREMENTS]
