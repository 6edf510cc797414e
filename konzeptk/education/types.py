"""What a provider enters for an offer: one value passed from forms, the demo and the importers to
:func:`konzeptk.education.services.offer_save`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from konzeptk.education.models import Offer


@dataclass
class OfferData:
    """The editable fields of an offer (German texts; translations are kept separately)."""

    title: str
    kind: str  # Offer.Kind
    summary: str = ""
    description: str = ""
    age_min: int | None = None
    age_max: int | None = None
    languages: list[str] = field(default_factory=lambda: ["de"])  # ISO 639-1 codes
    prior_knowledge: str = "none"  # Offer.Knowledge
    step_free: bool = False
    induction_loop: bool = False
    sign_language: bool = False
    easy_language: bool = False
    is_free: bool = False
    price: Decimal | None = None
    reduced_price: Decimal | None = None
    online: bool = False
    place_name: str = ""
    address: str = ""
    lat: float | None = None
    lon: float | None = None
    url: str = ""
    capacity: int | None = None
    booking_open: bool = False
    # recurring dates (RFC 5545): the first start, the length of each session, the rule and the
    # days without a session; turned into Session rows
    first_start: dt.datetime | None = None
    duration_minutes: int | None = None
    rrule: str = ""
    exdates: list[dt.date] = field(default_factory=list)
    opening_hours: str = ""
    lending_conditions: str = ""
    max_lending_days: int | None = None
    licence: str = ""
    competences: list[tuple[str, int]] = field(default_factory=list)  # (DigComp code, level 1–8)
    sessions: list[tuple[dt.datetime, dt.datetime]] = field(default_factory=list)  # explicit dates
    status: str = "published"  # Offer.Status
    simulated: bool = False
    source_note: str = ""
    external_id: str = ""


@dataclass
class SaveResult:
    """The saved offer and what staff should look at (e.g. sessions overlapping at the same place)."""

    offer: Offer
    warnings: list[str] = field(default_factory=list)
    created: bool = False
