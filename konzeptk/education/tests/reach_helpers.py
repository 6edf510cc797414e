"""Small builders for the reach and white-spot tests: offers and bookings straight through the ORM
(the services are tested elsewhere; here only what reach and white spots read matters)."""

from __future__ import annotations

import datetime as dt
import itertools
import secrets
from typing import Any

from django.utils import timezone

from konzeptk.accounts.models import Organisation
from konzeptk.education.models import Booking, Competence, Offer, Provider, Session

_serial = itertools.count(1)

#: anchor points of the Krefeld profile's five districts (from 1.11.2025), for distances in tests
OST = (51.3650, 6.6020)


def north_of(point: tuple[float, float], km: float) -> tuple[float, float]:
    """A point ``km`` kilometres north of ``point`` (1° of latitude ≈ 111.2 km)."""
    return (point[0] + km / 111.195, point[1])


def make_provider(name: str = "Volkshochschule Krefeld") -> Provider:
    n = next(_serial)
    organisation = Organisation.objects.create(slug=f"anbieter-{n}", name=f"{name} {n}")
    return Provider.objects.create(organisation=organisation, slug=f"anbieter-{n}", name=name)


def make_offer(
    provider: Provider,
    *,
    at: tuple[float, float] | None = OST,
    kind: str = Offer.Kind.COURSE,
    starts_in: dt.timedelta | None = dt.timedelta(days=7),
    areas: tuple[int, ...] = (),
    **fields: Any,
) -> Offer:
    n = next(_serial)
    defaults: dict[str, Any] = {
        "title": f"Smartphone-Kurs {n}",
        "slug": f"angebot-{n}",
        "status": Offer.Status.PUBLISHED,
        "kind": kind,
        "lat": at[0] if at else None,
        "lon": at[1] if at else None,
        "online": at is None,
        "age_min": 65,
    }
    defaults.update(fields)
    offer = Offer.objects.create(provider=provider, **defaults)
    if starts_in is not None:
        start = timezone.now() + starts_in
        Session.objects.create(offer=offer, start=start, end=start + dt.timedelta(hours=2))
    for i, area in enumerate(areas):
        Competence.objects.create(offer=offer, code=f"{area}.{i + 1}", area=area, level=2)
    return offer


def make_booking(
    offer: Offer,
    *,
    band: str = "65+",
    district: Any = None,
    user: Any = None,
    email: str = "",
    consent: bool = True,
    status: str = Booking.Status.BOOKED,
    attended: bool | None = None,
    when: dt.datetime | None = None,
) -> Booking:
    booking = Booking.objects.create(
        offer=offer,
        user=user,
        name="Teilnehmerin",
        email=email or f"person{next(_serial)}@example.org",
        status=status,
        token=secrets.token_urlsafe(24),
        demographics_consent=consent,
        age_band=band if consent else "",
        district=district if consent else None,
        attended=attended,
    )
    if when is not None:
        Booking.objects.filter(pk=booking.pk).update(created_at=when)
    return booking
