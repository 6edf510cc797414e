"""CAP 1.2 (OASIS Common Alerting Protocol): read an alert from XML, write one.

Reading refuses what is not a CAP 1.2 alert with a reason (:class:`CapError`): not UTF-8, a document
type declaration or entities (XML bombs and external entities never reach the parser), malformed XML,
another root element or namespace, a missing required element or an unknown value of a CAP list.
Writing produces documents valid against the OASIS schema (the tests validate them against
``CAP-v1.2.xsd``); times are written with their offset (``+01:00``, the schema has no ``Z``).
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

NS = "urn:oasis:names:tc:emergency:cap:1.2"
MAX_BYTES = 2 * 1024 * 1024
STATUSES = ("Actual", "Exercise", "System", "Test", "Draft")
MSG_TYPES = ("Alert", "Update", "Cancel", "Ack", "Error")
SCOPES = ("Public", "Restricted", "Private")
CATEGORIES = (
    "Geo", "Met", "Safety", "Security", "Rescue", "Fire", "Health", "Env", "Transport", "Infra", "CBRNE", "Other"
)  # fmt: skip
URGENCIES = ("Immediate", "Expected", "Future", "Past", "Unknown")
SEVERITIES = ("Extreme", "Severe", "Moderate", "Minor", "Unknown")
CERTAINTIES = ("Observed", "Likely", "Possible", "Unlikely", "Unknown")


class CapError(ValueError):
    """The document is not a readable CAP 1.2 alert; the message says why (German)."""


@dataclass(frozen=True)
class Reference:
    """One entry of ``references``: ``sender,identifier,sent``."""

    sender: str
    identifier: str
    sent: str

    def __str__(self) -> str:
        return f"{self.sender},{self.identifier},{self.sent}"


@dataclass
class Area:
    desc: str
    polygons: list[str] = field(default_factory=list)  # "lat,lon lat,lon …"
    geocodes: list[tuple[str, str]] = field(default_factory=list)  # (valueName, value)


@dataclass
class Info:
    language: str = "en-US"
    categories: list[str] = field(default_factory=list)
    event: str = ""
    urgency: str = "Unknown"
    severity: str = "Unknown"
    certainty: str = "Unknown"
    event_codes: list[tuple[str, str]] = field(default_factory=list)
    effective: dt.datetime | None = None
    onset: dt.datetime | None = None
    expires: dt.datetime | None = None
    sender_name: str = ""
    headline: str = ""
    description: str = ""
    instruction: str = ""
    web: str = ""
    contact: str = ""
    parameters: list[tuple[str, str]] = field(default_factory=list)
    areas: list[Area] = field(default_factory=list)

    def event_code(self, name: str) -> str:
        return next((value for key, value in self.event_codes if key == name), "")


@dataclass
class Alert:
    identifier: str
    sender: str
    sent: dt.datetime
    status: str = "Actual"
    msg_type: str = "Alert"
    scope: str = "Public"
    references: list[Reference] = field(default_factory=list)
    infos: list[Info] = field(default_factory=list)


# --- reading --------------------------------------------------------------------------------------


def _text(element: ET.Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _child(parent: ET.Element, name: str) -> ET.Element | None:
    return parent.find(f"{{{NS}}}{name}")


def _children(parent: ET.Element, name: str) -> list[ET.Element]:
    return parent.findall(f"{{{NS}}}{name}")


def _value(parent: ET.Element, name: str, *, required: bool = False, allowed: tuple[str, ...] = ()) -> str:
    value = _text(_child(parent, name))
    if required and not value:
        raise CapError(f"Das Pflichtfeld „{name}“ fehlt.")
    if value and allowed and value not in allowed:
        raise CapError(f"„{value}“ ist kein zulässiger Wert für „{name}“ in CAP 1.2.")
    return value


def parse_time(value: str, name: str = "sent") -> dt.datetime:
    """A CAP time (``2026-07-20T10:00:00+02:00``); it must carry its offset."""
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise CapError(f"„{value}“ in „{name}“ ist keine gültige Zeitangabe.") from exc
    if moment.tzinfo is None:
        raise CapError(f"Die Zeitangabe „{value}“ in „{name}“ hat keine Zeitzone.")
    return moment


def _optional_time(parent: ET.Element, name: str) -> dt.datetime | None:
    value = _text(_child(parent, name))
    return parse_time(value, name) if value else None


def parse_references(value: str) -> list[Reference]:
    found = []
    for part in value.split():
        pieces = part.split(",")
        if len(pieces) != 3 or not all(pieces):
            raise CapError(f"Der Verweis „{part[:120]}“ hat nicht die Form Absender,Kennung,Zeit.")
        found.append(Reference(*pieces))
    return found


def _pairs(parent: ET.Element, name: str) -> list[tuple[str, str]]:
    return [(_text(_child(e, "valueName")), _text(_child(e, "value"))) for e in _children(parent, name)]


def _info(element: ET.Element) -> Info:
    info = Info(
        language=_value(element, "language") or "en-US",
        categories=[_text(c) for c in _children(element, "category")],
        event=_value(element, "event", required=True),
        urgency=_value(element, "urgency", required=True, allowed=URGENCIES),
        severity=_value(element, "severity", required=True, allowed=SEVERITIES),
        certainty=_value(element, "certainty", required=True, allowed=CERTAINTIES),
        event_codes=_pairs(element, "eventCode"),
        effective=_optional_time(element, "effective"),
        onset=_optional_time(element, "onset"),
        expires=_optional_time(element, "expires"),
        sender_name=_value(element, "senderName"),
        headline=_value(element, "headline"),
        description=_value(element, "description"),
        instruction=_value(element, "instruction"),
        web=_value(element, "web"),
        contact=_value(element, "contact"),
        parameters=_pairs(element, "parameter"),
    )
    if not info.categories:
        raise CapError("Das Pflichtfeld „category“ fehlt.")
    unknown = [c for c in info.categories if c not in CATEGORIES]
    if unknown:
        raise CapError(f"„{unknown[0]}“ ist keine Kategorie von CAP 1.2.")
    for area in _children(element, "area"):
        info.areas.append(
            Area(
                desc=_value(area, "areaDesc", required=True),
                polygons=[_text(p) for p in _children(area, "polygon") if _text(p)],
                geocodes=_pairs(area, "geocode"),
            )
        )
    return info


def decode(data: bytes) -> str:
    """The document as text: UTF-8 (with or without BOM), no DTD, no entity declarations."""
    if len(data) > MAX_BYTES:
        raise CapError(f"Die Datei ist größer als {MAX_BYTES // (1024 * 1024)} MB.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CapError("Die Datei ist nicht in UTF-8 kodiert.") from exc
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise CapError("Dokumenttyp-Deklarationen und Entitäten sind in CAP-Dateien nicht erlaubt.")
    return text


def parse(data: bytes) -> Alert:
    """Read one CAP 1.2 alert, or raise :class:`CapError` with the reason."""
    text = decode(data)
    try:
        root = ET.fromstring(text.lstrip())  # noqa: S314 – decode() refused DTDs and entities
    except ET.ParseError as exc:
        raise CapError(f"Die Datei ist kein wohlgeformtes XML ({exc}).") from exc
    if root.tag != f"{{{NS}}}alert":
        if root.tag.endswith("}alert") or root.tag == "alert":
            raise CapError("Die Datei ist eine CAP-Meldung, aber nicht in Version 1.2.")
        raise CapError("Die Datei ist keine CAP-Meldung (das Wurzelelement ist nicht „alert“).")
    alert = Alert(
        identifier=_value(root, "identifier", required=True),
        sender=_value(root, "sender", required=True),
        sent=parse_time(_value(root, "sent", required=True)),
        status=_value(root, "status", required=True, allowed=STATUSES),
        msg_type=_value(root, "msgType", required=True, allowed=MSG_TYPES),
        scope=_value(root, "scope", required=True, allowed=SCOPES),
        references=parse_references(_value(root, "references")),
    )
    if any(c in alert.identifier for c in " ,<&"):
        raise CapError("Die Kennung („identifier“) enthält Leerzeichen, Kommas oder unzulässige Zeichen.")
    alert.infos = [_info(e) for e in _children(root, "info")]
    return alert


# --- writing --------------------------------------------------------------------------------------


def cap_time(moment: dt.datetime) -> str:
    """A time as CAP writes it: seconds and the offset, never ``Z``."""
    text = moment.replace(microsecond=0).isoformat()
    return text[:-6] + "+00:00" if text.endswith("+00:00") else text


def _add(parent: ET.Element, name: str, value: str | None) -> None:
    if value:
        ET.SubElement(parent, f"{{{NS}}}{name}").text = value


def _add_pairs(parent: ET.Element, name: str, pairs: list[tuple[str, str]]) -> None:
    for key, value in pairs:
        element = ET.SubElement(parent, f"{{{NS}}}{name}")
        ET.SubElement(element, f"{{{NS}}}valueName").text = key
        ET.SubElement(element, f"{{{NS}}}value").text = value


def write(alert: Alert) -> bytes:
    """The alert as a CAP 1.2 document (UTF-8, with XML declaration)."""
    ET.register_namespace("", NS)
    root = ET.Element(f"{{{NS}}}alert")
    _add(root, "identifier", alert.identifier)
    _add(root, "sender", alert.sender)
    _add(root, "sent", cap_time(alert.sent))
    _add(root, "status", alert.status)
    _add(root, "msgType", alert.msg_type)
    _add(root, "scope", alert.scope)
    _add(root, "references", " ".join(str(r) for r in alert.references))
    for info in alert.infos:
        element = ET.SubElement(root, f"{{{NS}}}info")
        _add(element, "language", info.language)
        for category in info.categories or ["Other"]:
            _add(element, "category", category)
        _add(element, "event", info.event)
        _add(element, "urgency", info.urgency)
        _add(element, "severity", info.severity)
        _add(element, "certainty", info.certainty)
        _add_pairs(element, "eventCode", info.event_codes)
        for name, moment in (("effective", info.effective), ("onset", info.onset), ("expires", info.expires)):
            if moment is not None:
                _add(element, name, cap_time(moment))
        _add(element, "senderName", info.sender_name)
        _add(element, "headline", info.headline)
        _add(element, "description", info.description)
        _add(element, "instruction", info.instruction)
        _add(element, "web", info.web)
        _add(element, "contact", info.contact)
        _add_pairs(element, "parameter", info.parameters)
        for area in info.areas:
            area_element = ET.SubElement(element, f"{{{NS}}}area")
            _add(area_element, "areaDesc", area.desc)
            for polygon in area.polygons:
                _add(area_element, "polygon", polygon)
            _add_pairs(area_element, "geocode", area.geocodes)
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return body
