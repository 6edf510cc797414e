"""Cost of the coordination circle's pages: the reach of the education offers (every count through the
disclosure control) and the white spots, on SQLite and PostgreSQL.

``python -m konzeptk.insights.bench_education``: a throwaway database with the Krefeld profile, 300
simulated offers with 3,000 sessions over the coming weeks and 20,000 simulated bookings with consented
demographics in the current year, on the database of ``DATABASE_URL`` (run it once without and once
with ``DATABASE_URL=postgres://…`` for both figures); prints the median of 7 requests (after one warm-up) of each page
and of the computations behind them.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import secrets
from typing import Any

OFFERS = 300
SESSIONS_PER_OFFER = 10
BOOKINGS = 20_000
BANDS = ("0-5", "6-17", "18-64", "65+", "")


def _seed() -> None:
    from django.utils import timezone

    from konzeptk.accounts.models import Organisation
    from konzeptk.city.selectors import active_profile, current_layer
    from konzeptk.city.services import city_profile_load
    from konzeptk.education.models import Booking, Competence, Offer, Provider, Session

    city_profile_load(source="krefeld")
    profile = active_profile()
    assert profile is not None
    layer = current_layer(profile)
    assert layer is not None
    districts = list(layer.districts.all())
    rng = random.Random(7)
    providers = [
        Provider.objects.create(
            organisation=Organisation.objects.create(slug=f"bench-{n}", name=f"Anbieter {n}"),
            slug=f"bench-{n}",
            name=f"Anbieter {n} (simuliert)",
            simulated=True,
        )
        for n in range(12)
    ]
    now = timezone.now()
    offers = Offer.objects.bulk_create(
        Offer(
            provider=rng.choice(providers),
            kind=rng.choice(["course", "course", "event", "place"]),
            status=Offer.Status.PUBLISHED,
            slug=f"bench-angebot-{n}",
            title=f"Angebot {n} (simuliert)",
            lat=51.29 + rng.random() * 0.1,
            lon=6.49 + rng.random() * 0.2,
            age_min=rng.choice([None, 6, 12, 18, 60, 65]),
            languages=rng.choice(["|de|", "|de|tr|", "|de|ar|", "|en|"]),
            opening_hours="Mo-Fr 10:00-16:00" if n % 4 == 3 else "",
            simulated=True,
        )
        for n in range(OFFERS)
    )
    Session.objects.bulk_create(
        Session(
            offer=offer,
            start=now + dt.timedelta(days=3 * i + n % 7, hours=2),
            end=now + dt.timedelta(days=3 * i + n % 7, hours=4),
        )
        for n, offer in enumerate(offers)
        for i in range(SESSIONS_PER_OFFER)
    )
    Competence.objects.bulk_create(
        Competence(offer=offer, code=f"{1 + n % 5}.1", area=1 + n % 5, level=2)
        for n, offer in enumerate(offers)
    )
    Booking.objects.bulk_create(
        (
            Booking(
                offer=rng.choice(offers),
                name="Beispiel",
                email=f"person{n % 15_000}-{n}@beispiel.invalid",
                status=Booking.Status.BOOKED,
                token=secrets.token_urlsafe(16),
                demographics_consent=True,
                age_band=rng.choice(BANDS),
                district=rng.choice(districts),
                attended=rng.choice([None, True, True, False]),
                simulated=True,
            )
            for n in range(BOOKINGS)
        ),
        batch_size=2000,
    )


def _measure() -> None:
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from konzeptk.bench import median_ms
    from konzeptk.education import white_spot_selectors
    from konzeptk.education.white_spot_forms import default_criteria
    from konzeptk.insights import education_reach

    _seed()
    client = Client()
    year = timezone.localdate().year
    figures: list[tuple[str, Any]] = [
        (
            "Reichweite neu berechnen (20.000 Buchungen, Cell-Key-Methode, ohne Cache)",
            lambda: education_reach.compute_reach_report(year=year),
        ),
        (
            "Seite /auswertung/bildung/ (Bericht aus dem Cache, Schlüssel je Buchungsstand)",
            lambda: client.get("/auswertung/bildung/", secure=True),
        ),
        (
            "CSV /auswertung/bildung/reichweite.csv",
            lambda: b"".join(client.get("/auswertung/bildung/reichweite.csv", secure=True).streaming_content),  # type: ignore[attr-defined]
        ),
        (
            "Weiße Flecken berechnen (300 Angebote, 3.000 Termine)",
            lambda: white_spot_selectors.white_spot_report(default_criteria(), now=timezone.now()),
        ),
        ("Seite /bildung/weisse-flecken/", lambda: client.get("/bildung/weisse-flecken/", secure=True)),
        (
            "Seite /bildung/weisse-flecken/?group=youth&area=3&radius=3&weeks=4",
            lambda: client.get("/bildung/weisse-flecken/?group=youth&area=3&radius=3&weeks=4", secure=True),
        ),
    ]
    print(f"Datenbank: {connection.vendor}, Last (1 min): {os.getloadavg()[0]:.1f}", flush=True)
    for label, run in figures:
        print(f"  {label}: {median_ms(run):.1f} ms (Median von 7)", flush=True)
    status = client.get("/auswertung/bildung/", secure=True).status_code
    print(f"  (Statuscode der Seiten: {status})", flush=True)


def run() -> None:
    from konzeptk.bench import in_throwaway_database

    in_throwaway_database(_measure, INSIGHTS_RECOMPUTE="off")


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "konzeptk.settings")
    django.setup()
    print("Simulierte Angebote und Buchungen (keine echten Personen).", flush=True)
    run()


if __name__ == "__main__":
    main()
