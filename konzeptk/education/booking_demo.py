"""Simulated bookings for the demo (``after_demo`` of ``education/demo.py``): for the published,
bookable demo offers, confirmed bookings through :func:`~konzeptk.education.booking.booking_add_simulated`
(the same seat counter, waiting lists where the fill exceeds the places, no mails), every row marked
``simulated``. About 60 % consented to age band and district, so "who the offers reach" has data.
The parameters are in the profile pack's ``demo/education-bookings.json``. Idempotent: an offer
that has simulated bookings already is left alone."""

from __future__ import annotations

import random
from typing import Any

from django.utils import timezone

from konzeptk.city.demo_data import demo_data
from konzeptk.city.models import District
from konzeptk.education.booking import Demographics, booking_add_simulated
from konzeptk.education.booking_selectors import BOOKABLE_KINDS, district_choices
from konzeptk.education.models import Booking, Offer

MAX_PER_OFFER = 40


def _audience(offer: Offer) -> str:
    if offer.age_min is not None and offer.age_min >= 55:
        return "seniors"
    if offer.age_max is not None and offer.age_max <= 18:
        return "children"
    return "all"


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _home(rng: random.Random, offer: Offer, districts: list[District]) -> District | None:
    """Most people book near home: the offer's district twice as likely as any other."""
    if not districts:
        return None
    weights = [3.0 if offer.district_id == d.pk else 1.0 for d in districts]
    return rng.choices(districts, weights=weights)[0]


def load_bookings(*, out: Any) -> int:
    """Create the simulated bookings; returns how many were created."""
    spec = demo_data("education-bookings")
    if spec is None:
        return 0
    districts = district_choices()
    now = timezone.now()
    offers = list(
        Offer.objects.filter(
            status=Offer.Status.PUBLISHED, kind__in=BOOKABLE_KINDS, booking_open=True, capacity__isnull=False
        )
        .exclude(bookings__simulated=True)
        .order_by("pk")
    )
    created = 0
    for offer in offers:
        # one generator per offer: the same offers are left out on every run (idempotent)
        rng = random.Random(f"{spec['seed']}:{offer.slug}")
        if rng.random() > spec["share_of_offers_booked"]:
            continue
        started = offer.sessions.filter(start__lt=now).exists()
        count = min(
            MAX_PER_OFFER,
            round((offer.capacity or 0) * rng.uniform(spec["fill"]["min"], spec["fill"]["max"])),
        )
        bands = spec["age_bands_by_audience"][_audience(offer)]
        for i in range(count):
            consent = rng.random() < spec["consent_share"]
            name = f"{rng.choice(spec['first_names'])} {rng.choice(spec['last_names'])}"
            booking_add_simulated(
                offer=offer,
                name=name,
                email=f"simuliert-{offer.pk}-{i}@demo.konzeptk.invalid",
                demographics=Demographics(
                    consent=consent,
                    age_band=_pick(rng, bands) if consent else "",
                    district=_home(rng, offer, districts) if consent else None,
                ),
                attended=(rng.random() < spec["attended_share_of_past"]) if started else None,
            )
            created += 1
    out.write(
        f"  Bildung: {created} simulierte Anmeldungen zu {len(offers)} Angeboten "
        f"({Booking.objects.filter(simulated=True, status=Booking.Status.WAITING).count()} auf Wartelisten)\n"
    )
    return created
