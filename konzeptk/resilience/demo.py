"""Demo content of resilience: DWD-format warnings for Krefeld and the cool places.

The warnings come from the city profile pack (``demo/resilience-warnings.json``): a heat warning and its
update (in force while the demo runs), a thunderstorm warning with its cancellation and two expired
ones. Each is written as a CAP 1.2 document in DWD's format (event code ``II``, geocode ``WARNCELLID``)
and imported through the DWD importer, so the demo goes the way a real DWD file goes; every one is
simulated and marked so. Times are counted from the hour the demo is loaded. Running it again changes
nothing (the identifiers are fixed, a message already stored is left as it is).

The cool places are res-heat's (:mod:`konzeptk.resilience.heat_demo`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from konzeptk.city.demo_data import demo_data
from konzeptk.resilience import cap
from konzeptk.resilience.heat_demo import load_cool_places
from konzeptk.resilience.imports import warnings_import
from konzeptk.resilience.models import ImportRun, Source, Warning

SENDER = "opendata@dwd.de"
#: fixed identifiers in DWD's form, marked as demo content
IDENTIFIER = "2.49.0.0.276.0.DWD.PVW.demo-konzeptk-{key}.DEU"


def _document(message: dict[str, Any], spec: dict[str, Any], now: dt.datetime, sent: dict[str, str]) -> bytes:
    def at(hours: int) -> dt.datetime:
        return now + dt.timedelta(hours=hours)

    references = [
        cap.Reference(SENDER, IDENTIFIER.format(key=key), sent[key]) for key in message.get("references", [])
    ]
    info = cap.Info(
        language="de-DE",
        categories=["Met"],
        event=message["event"],
        urgency="Immediate",
        severity=message["severity"],
        certainty="Likely",
        event_codes=[("PROFILE_VERSION", "2.1.14"), ("II", message["ii"])],
        effective=at(message["sent"]),
        onset=at(message["onset"]),
        expires=at(message["expires"]),
        sender_name="Deutscher Wetterdienst",
        headline=message["headline"],
        description=message["description"],
        instruction=message["instruction"],
        web="https://www.wettergefahren.de",
        contact="Deutscher Wetterdienst",
        areas=[cap.Area(desc=spec["area"], geocodes=[("WARNCELLID", spec["cell"])])],
    )
    alert = cap.Alert(
        identifier=IDENTIFIER.format(key=message["key"]),
        sender=SENDER,
        sent=at(message["sent"]),
        msg_type=message["msg_type"],
        references=references,
        infos=[info],
    )
    return cap.write(alert)


def load_warnings(*, out: Any) -> int:
    """Import the demo warnings; returns how many were new."""
    spec = demo_data("resilience-warnings")
    if spec is None:
        return 0
    now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    sent: dict[str, str] = {}
    created = 0
    for message in spec["messages"]:
        sent[message["key"]] = cap.cap_time(now + dt.timedelta(hours=message["sent"]))
        body = _document(message, spec, now, sent)
        run = warnings_import(source=Source.DWD, location=f"demo:{message['key']}", content=body)
        if run.status == ImportRun.Status.FAILED:
            out.write(f"  Demo-Warnung {message['key']} abgelehnt: {run.message}\n")
            continue
        created += run.created + run.updated + run.cancelled
    Warning.objects.filter(source=Source.DWD, identifier__contains=".demo-konzeptk-").update(simulated=True)
    return created


def load_demo(*, out: Any) -> None:
    warnings = load_warnings(out=out)
    if warnings:
        out.write(f"  {warnings} Warnungen im Format des DWD (simuliert)\n")
    load_cool_places(out=out)
