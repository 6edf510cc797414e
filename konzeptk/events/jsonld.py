"""schema.org ``Event`` as JSON-LD for an event page."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from konzeptk.events.models import Event

STATUS = "https://schema.org/EventScheduled"


def _iso(event: Event, value: Any) -> str:
    local = timezone.localtime(value, timezone.get_current_timezone())
    return local.date().isoformat() if event.all_day else local.isoformat()


def event_jsonld(event: Event, *, city: str, absolute: Callable[[str], str]) -> dict[str, Any]:
    """The event as schema.org Event (https://schema.org/Event), with Place, PostalAddress and Offer."""
    venue = event.venue
    address: dict[str, Any] = {"@type": "PostalAddress", "addressLocality": city, "addressCountry": "DE"}
    if venue is not None and venue.address:
        address["streetAddress"] = venue.address
    place: dict[str, Any] = {"@type": "Place", "name": venue.name if venue else city, "address": address}
    if venue is not None and venue.lat is not None and venue.lon is not None:
        place["geo"] = {"@type": "GeoCoordinates", "latitude": venue.lat, "longitude": venue.lon}
    if venue is not None and venue.step_free is not None:
        place["amenityFeature"] = [
            {"@type": "LocationFeatureSpecification", "name": name, "value": value}
            for name, value in (
                ("stufenlos erreichbar", venue.step_free),
                ("rollstuhlgerechte Toilette", venue.accessible_toilet),
                ("Induktionsschleife", venue.induction_loop),
                ("Sitzplätze", venue.seating),
            )
            if value is not None
        ]
    url = absolute(f"/veranstaltungen/{event.pk}/")
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "url": url,
        "startDate": _iso(event, event.start),
        "eventStatus": STATUS,
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": place,
        "organizer": {"@type": "Organization", "name": event.organiser_name or city},
        "isAccessibleForFree": event.is_free,
    }
    if event.end:
        data["endDate"] = _iso(event, event.end)
    if event.description:
        data["description"] = event.description
    if event.link:
        data["sameAs"] = event.link
    if event.image:
        data["image"] = absolute(event.image.url)
    if event.price is not None or event.is_free:
        data["offers"] = {
            "@type": "Offer",
            "price": "0.00" if event.is_free else f"{event.price:.2f}",
            "priceCurrency": "EUR",
            "url": event.link or url,
            "availability": "https://schema.org/InStock",
        }
    return data


def script_text(data: dict[str, Any]) -> str:
    """JSON for a ``<script type="application/ld+json">`` element: no ``</`` can end it early."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
