"""``GET …/Observations?$resultFormat=dataArray`` (OGC 18-088 §14.3, the Data Array extension).

The page of Observations is answered grouped by Datastream: each element of ``value`` has
``Datastream@iot.navigationLink``, ``components`` (the property names, in ``$select`` order; without ``$select``
all properties of an Observation), ``dataArray@iot.count`` and ``dataArray`` – one list of values per
Observation in the order of ``components``. ``@iot.count`` and ``@iot.nextLink`` stay on the response as usual.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from konzeptk.sensing.sta.schema import OBSERVATION
from konzeptk.sensing.sta.serialize import property_value

DEFAULT_COMPONENTS = [
    "id",
    "phenomenonTime",
    "resultTime",
    "result",
    "resultQuality",
    "validTime",
    "parameters",
]


def components(select: list[str] | None) -> list[str]:
    if not select:
        return list(DEFAULT_COMPONENTS)
    out: list[str] = []
    for name in select:
        name = "id" if name == "@iot.id" else name
        if name in OBSERVATION.props and name not in out:
            out.append(name)
    return out or list(DEFAULT_COMPONENTS)


def data_array(objs: list[models.Model], select: list[str] | None, base: str) -> list[dict[str, Any]]:
    names = components(select)
    groups: dict[int, list[list[Any]]] = {}
    for obj in objs:
        row = [obj.pk if name == "id" else property_value(OBSERVATION, name, obj) for name in names]
        groups.setdefault(obj.datastream_id, []).append(row)  # type: ignore[attr-defined]
    return [
        {
            "Datastream@iot.navigationLink": f"{base}/Datastreams({ds})",
            "components": names,
            "dataArray@iot.count": len(rows),
            "dataArray": rows,
        }
        for ds, rows in groups.items()
    ]
