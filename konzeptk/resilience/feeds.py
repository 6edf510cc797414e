"""Warnings out as documents: the city's own alerts in CAP 1.2, the CAP index feed, the Atom feed.

- ``/warnungen/<id>.cap.xml``: one own alert (``Warning.source == "own"``) as CAP 1.2, with one ``info``
  block per language that has a headline (``language`` set) and one ``area`` per district (its outline
  as ``polygon``, its code as ``geocode``) – or the whole city (outline, regional key and DWD warn cells).
- ``/warnungen/cap.xml``: an Atom feed whose entries link to those CAP documents
  (``type="application/cap+xml"``), as CAP feeds of alerting authorities do.
- ``/warnungen/atom.xml``: an Atom feed of the current warnings (all sources), linking to their pages.

Every address in them is absolute on ``SITE_URL`` (:mod:`konzeptk.core.siteurl`).
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from shapely.geometry import shape

from konzeptk.city.models import CityProfile, District
from konzeptk.city.selectors import warn_cells
from konzeptk.core.siteurl import absolute_url, site_url
from konzeptk.resilience import cap
from konzeptk.resilience.models import Warning

ATOM = "http://www.w3.org/2005/Atom"
CAP_TYPE = "application/cap+xml"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
#: the outline of an area is simplified to this tolerance (degrees, about 30 m) before it is written
SIMPLIFY = 0.0003
_CATEGORIES = {"heat": "Met", "tropical_night": "Met", "felt_heat": "Met", "rain": "Met"}


def cap_sender() -> str:
    """The CAP sender of the city's own alerts: ``RESILIENCE_CAP_SENDER`` or the site's host name."""
    return str(getattr(settings, "RESILIENCE_CAP_SENDER", "") or urlsplit(site_url()).hostname or "konzeptk")


def cap_url(warning: Warning) -> str:
    return absolute_url(reverse("resilience:warning_cap", kwargs={"pk": warning.pk}))


def page_url(warning: Warning) -> str:
    return absolute_url(reverse("resilience:warning_detail", kwargs={"pk": warning.pk}))


def _polygons(geometry: dict[str, Any]) -> list[str]:
    """CAP polygons ("lat,lon lat,lon …", closed) of a GeoJSON polygon or multipolygon."""
    try:
        simple = shape(geometry).simplify(SIMPLIFY, preserve_topology=True)
    except (ValueError, TypeError, AttributeError, KeyError):
        return []
    parts = list(getattr(simple, "geoms", [simple]))
    found = []
    for part in parts:
        ring = getattr(part, "exterior", None)
        if ring is None or len(ring.coords) < 4:
            continue
        found.append(" ".join(f"{lat:.5f},{lon:.5f}" for lon, lat, *_rest in ring.coords))
    return found


def _areas(warning: Warning, profile: CityProfile | None) -> list[cap.Area]:
    districts: list[District] = list(warning.districts.all())
    if districts:
        return [
            cap.Area(
                desc=d.name,
                polygons=_polygons(d.geometry),
                geocodes=[("STADTBEZIRK", f"{d.layer.slug}:{d.code}")],
            )
            for d in districts
        ]
    if profile is None:
        return [cap.Area(desc=warning.area_desc or "Stadtgebiet")]
    codes = [("ARS", profile.regional_key)] if profile.regional_key else []
    codes += [("WARNCELLID", cell) for cell in warn_cells(profile)]
    return [
        cap.Area(desc=warning.area_desc or profile.name, polygons=_polygons(profile.boundary), geocodes=codes)
    ]


def own_alert_cap(warning: Warning, *, profile: CityProfile | None) -> bytes:
    """One of the city's own alerts as a CAP 1.2 document."""
    try:
        references = cap.parse_references(warning.references)
    except cap.CapError:
        references = []
    areas = _areas(warning, profile)
    rule_kind = warning.rule.kind if warning.rule_id and warning.rule else ""
    infos = []
    for code, _name in settings.LANGUAGES:
        headline = getattr(warning, f"headline_{code}", "") or ""
        if not headline:
            continue
        infos.append(
            cap.Info(
                language=code,
                categories=[
                    warning.category
                    if warning.category in cap.CATEGORIES
                    else _CATEGORIES.get(rule_kind, "Env")
                ],
                event=warning.event or headline,
                urgency=warning.urgency if warning.urgency in cap.URGENCIES else "Immediate",
                severity=warning.severity if warning.severity in cap.SEVERITIES else "Unknown",
                certainty=warning.certainty if warning.certainty in cap.CERTAINTIES else "Observed",
                event_codes=[("KONZEPTK_RULE", rule_kind)] if rule_kind else [],
                onset=warning.onset,
                expires=warning.expires,
                sender_name=profile.name if profile else "",
                headline=headline,
                description=getattr(warning, f"description_{code}", "") or "",
                instruction=getattr(warning, f"instruction_{code}", "") or "",
                web=page_url(warning),
                areas=areas,
            )
        )
    identifier = warning.identifier or f"{cap_sender()}.warnung.{warning.pk}"
    sender = warning.sender or cap_sender()
    alert = cap.Alert(
        identifier=identifier,
        sender=sender,
        sent=timezone.localtime(warning.sent),
        msg_type=warning.msg_type,
        references=references,
        infos=infos,
    )
    if warning.ended_at is not None and warning.msg_type != Warning.MsgType.CANCEL:
        # An alert the city has ended is published as its cancellation (CAP messages never change):
        # a new identifier, sent when it ended, referencing the alert.
        original = cap.Reference(sender, identifier, cap.cap_time(timezone.localtime(warning.sent)))
        alert.identifier = f"{identifier}.aufhebung"
        alert.sent = timezone.localtime(warning.ended_at)
        alert.msg_type = Warning.MsgType.CANCEL
        alert.references = [*references, original]
    return cap.write(alert)


def updated_at(warning: Warning) -> dt.datetime:
    """When the CAP document of an own alert last changed (its end, else when it was sent)."""
    return warning.ended_at or warning.sent


def _atom_time(moment: dt.datetime) -> str:
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


def _feed(*, title: str, self_url: str, page: str, entries: Iterable[dict[str, Any]]) -> bytes:
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(root, f"{{{ATOM}}}id").text = self_url
    ET.SubElement(root, f"{{{ATOM}}}title").text = title
    ET.SubElement(root, f"{{{ATOM}}}link", {"rel": "self", "href": self_url, "type": ATOM_TYPE.split(";")[0]})
    ET.SubElement(root, f"{{{ATOM}}}link", {"rel": "alternate", "href": page, "type": "text/html"})
    author = ET.SubElement(root, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = cap_sender()
    listed = list(entries)
    updated = max((e["updated"] for e in listed), default=None)
    ET.SubElement(root, f"{{{ATOM}}}updated").text = _atom_time(updated or timezone.now())
    for entry in listed:
        element = ET.SubElement(root, f"{{{ATOM}}}entry")
        ET.SubElement(element, f"{{{ATOM}}}id").text = entry["id"]
        ET.SubElement(element, f"{{{ATOM}}}title").text = entry["title"]
        ET.SubElement(element, f"{{{ATOM}}}updated").text = _atom_time(entry["updated"])
        ET.SubElement(
            element, f"{{{ATOM}}}link", {"rel": "alternate", "href": entry["href"], "type": entry["type"]}
        )
        if entry.get("summary"):
            ET.SubElement(element, f"{{{ATOM}}}summary").text = entry["summary"]
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return body


def cap_index(alerts: list[Warning], *, title: str) -> bytes:
    """The Atom feed linking one CAP document per own alert."""
    return _feed(
        title=title,
        self_url=absolute_url(reverse("resilience:cap_index")),
        page=absolute_url(reverse("resilience:warnings")),
        entries=(
            {
                "id": cap_url(w),
                "title": w.headline,
                "updated": updated_at(w),
                "href": cap_url(w),
                "type": CAP_TYPE,
                "summary": w.description[:500],
            }
            for w in alerts
        ),
    )


def atom_current(warnings: list[Warning], *, title: str) -> bytes:
    """The Atom feed of the current warnings, each linking to its page."""
    return _feed(
        title=title,
        self_url=absolute_url(reverse("resilience:atom")),
        page=absolute_url(reverse("resilience:warnings")),
        entries=(
            {
                "id": page_url(w),
                "title": w.headline,
                "updated": w.sent,
                "href": page_url(w),
                "type": "text/html",
                "summary": w.description[:500],
            }
            for w in warnings
        ),
    )
