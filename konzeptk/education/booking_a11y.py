"""Pages of booking and lending for the accessibility browser sweep (axe, 320 px): the booking form
of a full course, a booking on the waiting list, its confirmation and cancellation pages, and the
reservation form of a lending item with its availability calendar. Creates what they need once
(labelled simulated); ``education/a11y.py`` adds :func:`a11y_booking_pages` to its list."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

TITLE = "Tablet-Sprechstunde (Testkurs für Barrierefreiheit)"
ITEM = "Tablet zum Ausleihen (Testgerät für Barrierefreiheit)"


def a11y_booking_pages() -> list[str]:
    from konzeptk.accounts.models import Organisation
    from konzeptk.education.booking import booking_add_simulated, booking_create
    from konzeptk.education.lending import reservation_create
    from konzeptk.education.models import Booking, Offer, Provider, Reservation
    from konzeptk.education.services import offer_save
    from konzeptk.education.types import OfferData

    offer = Offer.objects.filter(title=TITLE).first()
    item = Offer.objects.filter(title=ITEM).first()
    if offer is None or item is None:
        organisation, _ = Organisation.objects.get_or_create(
            slug="a11y-bildung", defaults={"name": "Lernort für Tests"}
        )
        provider, _ = Provider.objects.get_or_create(
            organisation=organisation,
            defaults={"slug": "a11y-bildung", "name": "Lernort für Tests", "simulated": True},
        )
        start = dt.datetime.combine(
            timezone.localdate() + dt.timedelta(days=3), dt.time(10), tzinfo=timezone.get_current_timezone()
        )
        offer = offer_save(
            provider=provider,
            data=OfferData(
                title=TITLE,
                kind=Offer.Kind.COURSE,
                summary="Fragen rund um Tablet und Smartphone.",
                place_name="Mediothek",
                address="Theaterplatz 2, 47798 Krefeld",
                capacity=1,
                booking_open=True,
                sessions=[
                    (start + dt.timedelta(days=7 * i), start + dt.timedelta(days=7 * i, hours=1))
                    for i in range(3)
                ],
                simulated=True,
            ),
        ).offer
        booking_add_simulated(offer=offer, name="Hans Schmitz", email="a11y-1@demo.konzeptk.invalid")
        booking_add_simulated(offer=offer, name="Ayşe Yılmaz", email="a11y-2@demo.konzeptk.invalid")
        booking_create(offer=offer, name="Olena Kovalenko", email="a11y-3@demo.konzeptk.invalid")
        item = offer_save(
            provider=provider,
            data=OfferData(
                title=ITEM,
                kind=Offer.Kind.LENDING,
                place_name="Mediothek",
                address="Theaterplatz 2, 47798 Krefeld",
                booking_open=True,
                max_lending_days=7,
                lending_conditions="Mit Bibliotheksausweis.",
                simulated=True,
            ),
        ).offer
        day = timezone.localdate() + dt.timedelta(days=4)
        reservation_create(
            offer=item, name="Jan Kowalski", email="a11y-4@demo.konzeptk.invalid", first_day=day, last_day=day
        )
    waiting = Booking.objects.filter(offer=offer, status=Booking.Status.WAITING).first()
    unconfirmed = Booking.objects.filter(offer=offer, status=Booking.Status.UNCONFIRMED).first()
    reservation = Reservation.objects.filter(offer=item).first()
    pages = [f"/bildung/anmelden/{offer.slug}/", f"/bildung/reservieren/{item.slug}/"]
    if waiting is not None:
        pages += [f"/bildung/anmeldung/{waiting.token}/", f"/bildung/anmeldung/{waiting.token}/absagen/"]
    if unconfirmed is not None:
        pages.append(f"/bildung/anmeldung/{unconfirmed.token}/bestaetigen/")
    if reservation is not None:
        pages.append(f"/bildung/reservierung/{reservation.token}/")
    return pages
