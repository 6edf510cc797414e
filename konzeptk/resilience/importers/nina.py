"""The federal warning app NINA (MoWaS, and DWD and others republished): its JSON API.

Two shapes of ``https://warnung.bund.de/api31/``: ``dashboard/{ARS}.json`` (a list of short entries for
one regional key, e.g. 051140000000 for Krefeld) and ``warnings/{id}.json`` (one message: CAP written
as JSON). For a dashboard the reader fetches each message from ``../warnings/{id}.json`` next to it;
when that fails it keeps what the dashboard says (headline, severity, times) for the dashboard's region.
"""

from __future__ import annotations

import json
import re
from typing import Any

from konzeptk.core import jsonsafe
from konzeptk.resilience.cap import (
    CATEGORIES,
    CERTAINTIES,
    MSG_TYPES,
    SCOPES,
    SEVERITIES,
    STATUSES,
    URGENCIES,
    Alert,
    Area,
    CapError,
    Info,
    decode,
    parse_references,
    parse_time,
)
from konzeptk.resilience.importers import Batch, Fetch

MAX_ENTRIES = 2000
_DASHBOARD = re.compile(r"dashboard/(\d{12})\.json$")


def _str(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _choice(data: dict[str, Any], key: str, allowed: tuple[str, ...], default: str = "") -> str:
    value = _str(data.get(key)) or default
    if not value:
        raise CapError(f"Das Pflichtfeld „{key}“ fehlt.")
    if value not in allowed:
        raise CapError(f"„{value[:60]}“ ist kein zulässiger Wert für „{key}“.")
    return value


def _pairs(items: Any) -> list[tuple[str, str]]:
    if not isinstance(items, list):
        return []
    return [
        (_str(item.get("valueName")), _str(item.get("value")))
        for item in items
        if isinstance(item, dict) and _str(item.get("value"))
    ]


def _time(data: dict[str, Any], key: str) -> Any:
    value = _str(data.get(key))
    return parse_time(value, key) if value else None


def _info(data: dict[str, Any]) -> Info:
    categories = data.get("category") or []
    categories = [categories] if isinstance(categories, str) else categories
    info = Info(
        language=_str(data.get("language")) or "de-DE",
        categories=[c for c in (_str(c) for c in categories) if c in CATEGORIES] or ["Other"],
        event=_str(data.get("event")),
        urgency=_choice(data, "urgency", URGENCIES, "Unknown"),
        severity=_choice(data, "severity", SEVERITIES, "Unknown"),
        certainty=_choice(data, "certainty", CERTAINTIES, "Unknown"),
        event_codes=_pairs(data.get("eventCode")),
        effective=_time(data, "effective"),
        onset=_time(data, "onset"),
        expires=_time(data, "expires"),
        sender_name=_str(data.get("senderName")),
        headline=_str(data.get("headline")),
        description=_str(data.get("description")),
        instruction=_str(data.get("instruction")),
        web=_str(data.get("web")),
        contact=_str(data.get("contact")),
        parameters=_pairs(data.get("parameter")),
    )
    if not info.event:
        raise CapError("Das Pflichtfeld „event“ fehlt.")
    for area in data.get("area") or []:
        if not isinstance(area, dict):
            continue
        polygons = area.get("polygon") or []
        info.areas.append(
            Area(
                desc=_str(area.get("areaDesc")),
                polygons=[p for p in (polygons if isinstance(polygons, list) else [polygons]) if _str(p)],
                geocodes=_pairs(area.get("geocode")),
            )
        )
    return info


def alert_from_json(data: Any) -> Alert:
    """One NINA message (CAP as JSON) as a CAP alert, or CapError with the reason."""
    if not isinstance(data, dict):
        raise CapError("Die Meldung ist kein JSON-Objekt.")
    identifier = _str(data.get("identifier"))
    if not identifier:
        raise CapError("Das Pflichtfeld „identifier“ fehlt.")
    if not _str(data.get("sent")):
        raise CapError("Das Pflichtfeld „sent“ fehlt.")
    infos = data.get("info") or []
    if not isinstance(infos, list):
        raise CapError("„info“ ist keine Liste.")
    return Alert(
        identifier=identifier,
        sender=_str(data.get("sender")),
        sent=parse_time(_str(data.get("sent"))),
        status=_choice(data, "status", STATUSES),
        msg_type=_choice(data, "msgType", MSG_TYPES),
        scope=_choice(data, "scope", SCOPES, "Public"),
        references=parse_references(_str(data.get("references"))),
        infos=[_info(i) for i in infos if isinstance(i, dict)],
    )


def _load(data: bytes) -> Any:
    text = decode(data)
    try:
        return jsonsafe.loads(text)
    except ValueError as exc:
        raise CapError(f"Die Datei ist kein gültiges JSON ({str(exc)[:200]}).") from exc


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _summary(entry: dict[str, Any], region: str) -> Alert:
    """What a dashboard entry says when its full message cannot be fetched."""
    payload = _dict(entry.get("payload"))
    details = _dict(payload.get("data"))
    titles = _dict(entry.get("i18nTitle"))
    headline = _str(details.get("headline")) or _str(titles.get("de"))
    if not headline or not _str(entry.get("sent")):
        raise CapError("Der Eintrag hat keine Überschrift oder keine Zeit.")
    keys = _dict(details.get("transKeys"))
    info = Info(
        language="de-DE",
        categories=["Other"],
        event=_str(keys.get("event")) or headline,
        severity=_choice(details, "severity", SEVERITIES, "Unknown"),
        headline=headline,
        onset=_time(entry, "onset") or _time(entry, "startDate"),
        expires=_time(entry, "expires") or _time(entry, "expiresDate"),
        areas=[Area(desc="", geocodes=[("ARS", region)])],
    )
    return Alert(
        identifier=_str(entry.get("id")),
        sender=_str(details.get("provider")),
        sent=parse_time(_str(entry.get("sent"))),
        msg_type=_choice(details, "msgType", MSG_TYPES, "Alert"),
        infos=[info],
    )


def detail_address(location: str, identifier: str) -> str:
    """``…/dashboard/{ARS}.json`` → ``…/warnings/{identifier}.json`` (URL or path)."""
    base = location.rsplit("/", 2)[0] if "/dashboard/" in location else location.rsplit("/", 1)[0]
    return f"{base}/warnings/{identifier}.json"


def read(data: bytes, *, location: str = "", region: str = "", fetch: Fetch | None = None) -> Batch:
    """The alerts of a NINA dashboard or of one NINA message; CapError if the document is unreadable."""
    document = _load(data)
    if isinstance(document, dict):
        return Batch(alerts=[(alert_from_json(document), data.decode("utf-8-sig"))])
    if not isinstance(document, list):
        raise CapError("Die Datei ist weder eine NINA-Übersicht noch eine NINA-Meldung.")
    if len(document) > MAX_ENTRIES:
        raise CapError(f"Die Übersicht enthält mehr als {MAX_ENTRIES} Einträge.")
    match = _DASHBOARD.search(location)
    area = match.group(1) if match else region
    batch = Batch()
    for entry in document:
        identifier = _str(entry.get("id")) if isinstance(entry, dict) else ""
        if not identifier or not re.fullmatch(r"[A-Za-z0-9._:-]{1,250}", identifier):
            batch.errors.append({"identifier": identifier[:120], "message": "Eintrag ohne gültige Kennung."})
            continue
        assert isinstance(entry, dict)
        raw = ""
        try:
            if fetch is not None:
                try:
                    raw_bytes = fetch(detail_address(location, identifier))
                    batch.alerts.append((alert_from_json(_load(raw_bytes)), raw_bytes.decode("utf-8-sig")))
                    continue
                except (OSError, CapError):
                    pass  # the dashboard's short entry still tells what and when
            raw = json.dumps(entry, ensure_ascii=False)
            batch.alerts.append((_summary(entry, area), raw))
        except CapError as exc:
            batch.errors.append({"identifier": identifier, "message": str(exc)})
    return batch
