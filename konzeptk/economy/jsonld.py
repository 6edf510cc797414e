"""schema.org ``LocalBusiness`` as JSON-LD for every business page (built from the stored intervals)."""

from __future__ import annotations

import json
from typing import Any

from django.utils.html import escape

from konzeptk.core.opening_hours import minutes_label
from konzeptk.economy.models import Business
from konzeptk.economy.selectors import week_table

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SCHEMA_DAY = "https://schema.org/"


def _closes(end: int) -> str:
    return "23:59:59" if end >= 1440 else f"{minutes_label(end)}:00"


def local_business(business: Business, *, base_url: str) -> dict[str, Any]:
    """The JSON-LD object; ``base_url`` is the absolute address of the page."""
    normal, holiday = week_table(business)
    specs: list[dict[str, Any]] = []
    spans: dict[tuple[int, int], list[str]] = {}
    for day in normal:
        for start, end in day.spans:
            spans.setdefault((start, end), []).append(DAYS[day.weekday])
    for (start, end), days in spans.items():
        specs.append(
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": [SCHEMA_DAY + d for d in days],
                "opens": f"{minutes_label(start)}:00",
                "closes": _closes(end),
            }
        )
    if business.opening_hours and not any(day.spans for day in holiday):
        specs.append(
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": SCHEMA_DAY + "PublicHolidays",
                "opens": "00:00:00",
                "closes": "00:00:00",
            }
        )
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "LocalBusiness",
        "@id": base_url + "#business",
        "name": business.name,
        "url": business.website or base_url,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": business.street,
            "postalCode": business.postcode,
            "addressLocality": business.locality,
            "addressRegion": "Nordrhein-Westfalen",
            "addressCountry": "DE",
        },
        "geo": {
            "@type": "GeoCoordinates",
            "latitude": round(business.lat, 6),
            "longitude": round(business.lon, 6),
        },
        "openingHoursSpecification": specs,
        "isAccessibleForFree": True,
        "amenityFeature": [
            {"@type": "LocationFeatureSpecification", "name": name, "value": value}
            for name, value in (
                ("Stufenloser Eingang", business.step_free == "yes"),
                ("Lieferdienst", business.delivery),
                ("Click & Collect", business.click_collect),
            )
        ],
    }
    if business.description:
        data["description"] = business.description
    if business.phone:
        data["telephone"] = business.phone
    if business.opening_hours:
        data["openingHours"] = business.opening_hours
    if business.category_id:
        data["additionalType"] = business.category.name
    return data


def script_text(data: dict[str, Any]) -> str:
    """JSON for a ``<script type="application/ld+json">`` element: no ``</`` can end it early."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


__all__ = ["escape", "local_business", "script_text"]
