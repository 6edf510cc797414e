"""Public pages of the education network for the accessibility browser sweep (axe, 320 px): the list,
a filtered list, an offer page, a provider page, the Digital-Check and its result. Creates what they
need once (labelled simulated); the other helpers' pages are appended below. The administration's pages
are in :func:`a11y_staff_pages` (opened signed in as staff)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

TITLE = "Smartphone-Grundkurs (Testkurs für Barrierefreiheit)"

#: the white spots, filtered, and with a form error (the test offer above is on the map)
WHITE_SPOT_PAGES = [
    "/bildung/weisse-flecken/",
    "/bildung/weisse-flecken/?group=seniors&language=tr&area=2&radius=3&weeks=8",
    "/bildung/weisse-flecken/?radius=abc",
]


def _offer_pages() -> list[str]:
    from konzeptk.accounts.models import Organisation
    from konzeptk.city.selectors import active_profile, forget_active_profile
    from konzeptk.city.services import city_profile_load
    from konzeptk.education.models import Offer, Provider
    from konzeptk.education.services import offer_save
    from konzeptk.education.types import OfferData

    if active_profile() is None:
        city_profile_load(source="krefeld")
        forget_active_profile()
    offer = Offer.objects.filter(title_de=TITLE).select_related("provider").first()
    if offer is None:
        organisation, _ = Organisation.objects.get_or_create(
            slug="a11y-lernort", defaults={"name": "Lernort für Tests", "kind": Organisation.Kind.EDUCATION}
        )
        provider, _ = Provider.objects.get_or_create(
            slug="a11y-lernort",
            defaults={"organisation": organisation, "name": "Lernort für Tests", "address": "Theaterplatz 2"},
        )
        start = dt.datetime.combine(
            timezone.localdate() + dt.timedelta(days=3), dt.time(10), tzinfo=timezone.get_current_timezone()
        )
        offer = offer_save(
            provider=provider,
            data=OfferData(
                title=TITLE,
                kind="course",
                summary="Das eigene Smartphone sicher bedienen.",
                description="Wir üben in kleiner Gruppe.\n\nBitte bringen Sie Ihr Gerät mit.",
                age_min=60,
                languages=["de", "tr"],
                step_free=True,
                induction_loop=True,
                is_free=True,
                place_name="Mediothek",
                address="Theaterplatz 2, 47798 Krefeld",
                lat=51.334958,
                lon=6.562989,
                capacity=10,
                booking_open=True,
                first_start=start,
                duration_minutes=90,
                rrule="FREQ=WEEKLY;COUNT=12",
                competences=[("2.1", 1), ("4.2", 2)],
                simulated=True,
            ),
            translations={"title_tr": "Akıllı telefon temel kursu (erişilebilirlik test kursu)"},
        ).offer
    return [
        "/bildung/",
        "/bildung/?area=2&level=1&language=tr&age=65&free=on&access=step_free",
        f"/bildung/{offer.slug}/",
        f"/bildung/anbieter/{offer.provider.slug}/",
        "/bildung/digital-check/",
        "/bildung/digital-check/?a1=0&a2=1&a3=0&a4=3&a5=5",
    ]


def a11y_pages() -> list[str]:
    from konzeptk.education.booking_a11y import a11y_booking_pages

    return [*_offer_pages(), *a11y_booking_pages(), *WHITE_SPOT_PAGES]


def a11y_staff_pages() -> list[str]:
    """The administration's pages (the offers, a new offer, an offer with its dates and bookings, the
    imports with their forms), opened signed in."""
    from konzeptk.education import booking_a11y
    from konzeptk.education.models import Offer

    a11y_pages()
    offer = Offer.objects.get(title_de=TITLE)
    booked = Offer.objects.get(title=booking_a11y.TITLE)
    base = "/bildung/verwaltung/"
    return [
        base,
        base + "neu/",
        f"{base}{offer.slug}/",
        f"{base}{offer.slug}/termine/",
        f"{base}{booked.slug}/anmeldungen/",
        base + "importe/",
        base + "importe/neu/",
        base + "importe/datei/",
    ]
