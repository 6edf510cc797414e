"""Import of pedestrian counts in the JSON format of the hystreet.com API into sensing.

The format is the answer of ``GET https://api.hystreet.com/locations/{id}/measurements?from=…&to=…&resolution=hour``
(recorded answers of the real API are in the tests of the R client hystReet,
``JohannesFriedrich/hystReet: tests/testthat/raw_data_list_output/locations/148/measurements-*.json``)::

    {"location_id": 148, "name": "…", "city": "…", "local_timezone": "Europe/Berlin",
     "measurement_period": {"from": "…Z", "to": "…Z"}, "resolution": "hour",
     "measurements": [{"measured_at": "2025-02-20T14:00:00.000Z",
                       "measured_at_local_time": "2025-02-20T15:00:00.000+01:00",
                       "total_count": 1301, "counts": [{"direction": …, "count": …, …}],
                       "weather_conditions": {"description": "partly-cloudy-day", "temperature": 5.2, …}}]}

Each location becomes one Thing with one Datastream (topic ``innenstadt``, kind ``pedestrians``,
property ``hystreet_location_id``), created through sensing's SensorThings service on the first import;
each measurement one observation (``total_count`` per hour, the weather in ``parameters``), written through
sensing's bulk service. Hours already stored are skipped, so a file can be imported twice.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from konzeptk.economy.footfall import KIND, TOPIC, counters
from konzeptk.sensing import models as sm
from konzeptk.sensing.bulk import observations_create_bulk
from konzeptk.sensing.selectors import observations_between
from konzeptk.sensing.services import Writer, entity_create
from konzeptk.sensing.sta.schema import ENTITY_TYPES

#: where the Krefeld counters stand (lon, lat, district) – hystreet's measurement answer has no coordinates
KNOWN_PLACES: dict[str, tuple[float, float, str]] = {
    "Hochstraße (Mitte)": (6.5626, 51.3329, "Mitte"),
    "Hochstraße (Nord)": (6.5619, 51.3352, "Mitte"),
    "Rheinstraße": (6.5585, 51.3312, "Mitte"),
    "Königstraße": (6.5650, 51.3345, "Mitte"),
}
MAX_MEASUREMENTS = 200_000
CHUNK = 5000


class HystreetError(ValueError):
    """The file is not a hystreet measurement answer."""


@dataclass
class ImportReport:
    location_id: int
    name: str
    datastream_id: int
    created: bool
    stored: int = 0
    skipped: int = 0
    rejected: list[str] = field(default_factory=list)


def _text(value: Any, what: str, limit: int = 200) -> str:
    if not isinstance(value, str) or not value.strip():
        raise HystreetError(f"{what} fehlt oder ist kein Text")
    return value.strip()[:limit]


def _instant(value: Any) -> dt.datetime:
    if not isinstance(value, str) or len(value) > 40:
        raise ValueError("measured_at ist kein Zeitpunkt")
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError("measured_at ohne Zeitzone")
    return parsed.astimezone(dt.UTC)


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
        raise ValueError("total_count ist keine Anzahl")
    return int(value)


def _weather(item: dict[str, Any]) -> dict[str, Any] | None:
    weather = item.get("weather_conditions")
    if not isinstance(weather, dict):
        return None
    found: dict[str, Any] = {}
    if isinstance(weather.get("description"), str):
        found["weather"] = weather["description"][:40]
    temperature = weather.get("temperature")
    if (
        isinstance(temperature, int | float)
        and not isinstance(temperature, bool)
        and math.isfinite(temperature)
    ):
        found["temperature"] = float(temperature)
    return found or None


def _datastream_for(
    location_id: int,
    name: str,
    city: str,
    *,
    simulated: bool,
    writer: Writer,
    place: tuple[float, float] | None,
) -> tuple[sm.Datastream, bool]:
    for stream in counters():
        if (stream.properties or {}).get("hystreet_location_id") == location_id:
            return stream, False
    known = KNOWN_PLACES.get(name)
    if known is None and place is None:
        raise HystreetError(
            f"Der Ort der Zählstelle {name!r} ist unbekannt: Bitte Längen- und Breitengrad angeben (--lon, --lat)."
        )
    label = f"{name} ({city})" if city else name
    suffix = " – simuliert" if simulated else ""
    thing_props: dict[str, Any] = {"hystreet_location_id": location_id, "simulated": simulated}
    data: dict[str, Any] = {
        "name": f"Passantenzähler {label}",
        "description": f"Laserzähler von hystreet.com{suffix}",
        "properties": thing_props,
        "Datastreams": [
            {
                "name": f"Passant:innen {label}{suffix}",
                "description": f"Passantinnen und Passanten je Stunde (hystreet.com){suffix}",
                "unitOfMeasurement": {"name": "Anzahl pro Stunde", "symbol": "1/h", "definition": "ucum:/h"},
                "observationType": "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_CountObservation",
                "properties": {
                    "topic": TOPIC,
                    "kind": KIND,
                    "hystreet_location_id": location_id,
                    "simulated": simulated,
                    "source": "hystreet.com" + (" (simuliert)" if simulated else ""),
                },
                "Sensor": {
                    "name": "Laserscanner (hystreet.com)",
                    "description": "zählt Passantinnen und Passanten in beiden Richtungen",
                    "encodingType": "text/html",
                    "metadata": "https://hystreet.com/",
                },
                "ObservedProperty": {
                    "name": "Passant:innen",
                    "definition": "https://hystreet.com/",
                    "description": "Anzahl der Passantinnen und Passanten",
                },
            }
        ],
    }
    if place is not None:
        lon, lat = place
    else:
        assert known is not None
        lon, lat, thing_props["bezirk"] = known
    # a Thing needs a Location: its observations' FeatureOfInterest is made from it
    data["Locations"] = [
        {
            "name": name,
            "description": label,
            "encodingType": "application/geo+json",
            "location": {"type": "Point", "coordinates": [lon, lat]},
        }
    ]
    thing = entity_create(entity=ENTITY_TYPES["Thing"], data=data, writer=writer)
    stream = next(s for s in counters() if (s.properties or {}).get("hystreet_location_id") == location_id)
    assert stream.thing_id == thing.pk
    return stream, True


def hystreet_import(
    *,
    payload: Any,
    writer: Writer | None = None,
    simulated: bool = False,
    place: tuple[float, float] | None = None,
) -> ImportReport:
    """Store one measurement answer; bad measurements are reported, the good ones stored.

    ``place`` (lon, lat) places a new counter that is not one of :data:`KNOWN_PLACES`."""
    if not isinstance(payload, dict):
        raise HystreetError("Die Datei ist kein JSON-Objekt.")
    location_id = payload.get("location_id")
    if isinstance(location_id, bool) or not isinstance(location_id, int) or location_id <= 0:
        raise HystreetError("location_id fehlt oder ist keine positive ganze Zahl.")
    name = _text(payload.get("name"), "name")
    city = payload.get("city") if isinstance(payload.get("city"), str) else ""
    resolution = payload.get("resolution", "hour")
    if resolution != "hour":
        raise HystreetError(
            f"Nur stündliche Zählungen werden übernommen (resolution {str(resolution)[:10]!r})."
        )
    measurements = payload.get("measurements")
    if not isinstance(measurements, list):
        raise HystreetError("measurements fehlt oder ist keine Liste.")
    if len(measurements) > MAX_MEASUREMENTS:
        raise HystreetError(f"Zu viele Messungen in einer Datei (höchstens {MAX_MEASUREMENTS}).")
    writer = writer or Writer(None, open_write=True)
    stream, created = _datastream_for(
        location_id, name, str(city)[:80], simulated=simulated, writer=writer, place=place
    )
    report = ImportReport(location_id, name, stream.pk, created)
    rows: list[tuple[dt.datetime, int, dict[str, Any] | None]] = []
    for index, item in enumerate(measurements):
        try:
            if not isinstance(item, dict):
                raise ValueError("keine Messung")
            rows.append((_instant(item.get("measured_at")), _count(item.get("total_count")), _weather(item)))
        except ValueError as exc:
            report.rejected.append(f"Messung {index + 1}: {exc}")
    if rows:
        first = min(r[0] for r in rows)
        last = max(r[0] for r in rows) + dt.timedelta(seconds=1)
        known = set(observations_between(stream, first, last).values_list("phenomenon_time_start", flat=True))
        fresh: dict[dt.datetime, tuple[int, dict[str, Any] | None]] = {}
        for at, count, weather in rows:
            if at in known or at in fresh:
                report.skipped += 1
            else:
                fresh[at] = (count, weather)
        data = [[at.isoformat(), count, weather] for at, (count, weather) in sorted(fresh.items())]
        for start in range(0, len(data), CHUNK):
            answers = observations_create_bulk(
                payload=[
                    {
                        "Datastream": {"@iot.id": stream.pk},
                        "components": ["phenomenonTime", "result", "parameters"],
                        "dataArray": data[start : start + CHUNK],
                    }
                ],
                writer=writer,
            )
            for offset, answer in enumerate(answers):
                if isinstance(answer, int):
                    report.stored += 1
                else:
                    report.rejected.append(f"Messung {start + offset + 1}: {answer}")
    return report
