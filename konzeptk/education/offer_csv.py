"""The published offers as CSV in the documented column set (``importers/csv.py``, ``docs/education.md``):
what the catalogue offers for download and what a provider can import again elsewhere."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone

from konzeptk.core.csv import Cell
from konzeptk.core.siteurl import absolute_url
from konzeptk.education.importers.csv import COLUMNS, EXPORT_ONLY
from konzeptk.education.languages import language_codes
from konzeptk.education.models import Competence, Offer, Session
from konzeptk.education.selectors import published_offers

HEADER: tuple[str, ...] = COLUMNS + EXPORT_ONLY


def _german(offer: Offer, name: str) -> str:
    return str(getattr(offer, f"{name}_de", "") or "")


def _iso(value: dt.datetime | None) -> str:
    return timezone.localtime(value).isoformat(timespec="minutes") if value is not None else ""


def row(offer: Offer) -> list[Cell]:
    """One offer in the order of :data:`HEADER` (competences and sessions prefetched)."""
    dates = ""
    if not offer.rrule:
        dates = ";".join(f"{_iso(s.start)}/{_iso(s.end)}" for s in offer.sessions.all() if not s.cancelled)
    values: dict[str, Cell] = {
        "id": offer.external_id or offer.slug,
        "title": _german(offer, "title"),
        "kind": offer.kind,
        "summary": _german(offer, "summary"),
        "description": _german(offer, "description"),
        "age_min": offer.age_min,
        "age_max": offer.age_max,
        "languages": " ".join(language_codes(offer.languages)),
        "prior_knowledge": offer.prior_knowledge,
        "step_free": "ja" if offer.step_free else "nein",
        "induction_loop": "ja" if offer.induction_loop else "nein",
        "sign_language": "ja" if offer.sign_language else "nein",
        "easy_language": "ja" if offer.easy_language else "nein",
        "is_free": "ja" if offer.is_free else "nein",
        "price": offer.price,
        "reduced_price": offer.reduced_price,
        "online": "ja" if offer.online else "nein",
        "place_name": offer.place_name,
        "address": offer.address,
        "lat": offer.lat,
        "lon": offer.lon,
        "url": offer.url,
        "capacity": offer.capacity,
        "booking_open": "ja" if offer.booking_open else "nein",
        "first_start": _iso(offer.first_start) if offer.rrule else "",
        "duration_minutes": offer.duration_minutes if offer.rrule else None,
        "rrule": offer.rrule,
        "exdates": " ".join(offer.exdates.split()),
        "dates": dates,
        "opening_hours": offer.opening_hours,
        "lending_conditions": _german(offer, "lending_conditions"),
        "max_lending_days": offer.max_lending_days,
        "licence": offer.licence,
        "competences": " ".join(f"{c.code}:{c.level}" for c in offer.competences.all()),
        "status": offer.status,
        "provider": offer.provider.name,
        "page_url": absolute_url(reverse("education:detail", kwargs={"slug": offer.slug})),
        "district": offer.district.name if offer.district is not None else "",
        "next_start": _iso(offer.next_start),
        "simulated": "ja" if offer.simulated else "nein",
    }
    return [values[name] for name in HEADER]


def export_queryset() -> QuerySet[Offer]:
    return (
        published_offers()
        .prefetch_related(
            Prefetch("competences", queryset=Competence.objects.order_by("code")),
            Prefetch("sessions", queryset=Session.objects.order_by("start", "pk")),
        )
        .order_by("pk")
    )


def export_rows() -> Iterator[Sequence[Cell]]:
    """Every published offer, read in chunks (bounded memory)."""
    for offer in export_queryset().iterator(chunk_size=500):
        yield row(offer)
