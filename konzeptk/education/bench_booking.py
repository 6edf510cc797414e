"""Benchmark part of ``python -m konzeptk.bench education``: 200 people book a course with 20 places
at the same moment.

:func:`run` works in the database it is given (``education/bench.py`` calls it inside its throwaway
database, on SQLite and on PostgreSQL). Each round creates a course with 20 places and 200 people
with accounts; 200 threads wait at a barrier and then call
:func:`konzeptk.education.booking.booking_create` at once – the same service the booking page calls –,
at most :data:`WORKERS` (24) at a time, each with its own database connection, like a server's
worker threads.
Printed: the median wall time of a burst and of a single booking over the rounds, and per round
whether exactly 20 were booked and 180 are waiting, the counter equals the booked rows and every
booked person arrived before every waiting one. ``python -m konzeptk.education.bench_booking`` runs it
alone in a throwaway database of the configured backend.
"""

from __future__ import annotations

import os
import statistics
import threading
import time

PEOPLE = int(os.environ.get("KONZEPTK_BENCH_BOOKING_PEOPLE", "200"))
PLACES = 20
ROUNDS = int(os.environ.get("KONZEPTK_BENCH_BOOKING_ROUNDS", "5"))
#: bookings worked on at the same moment, like the worker threads of a server (each holds one
#: database connection; PostgreSQL allows 100 by default); the others wait for a free one
WORKERS = int(os.environ.get("KONZEPTK_BENCH_BOOKING_WORKERS", "24"))


def _round(number: int) -> tuple[float, list[float], dict[str, object]]:
    import datetime as dt

    from django.db import connection
    from django.utils import timezone

    from konzeptk.accounts.models import Organisation, User
    from konzeptk.education.booking import booking_create
    from konzeptk.education.models import Booking, Offer, Provider
    from konzeptk.education.services import offer_save
    from konzeptk.education.types import OfferData

    organisation = Organisation.objects.create(slug=f"bench-booking-{number}", name=f"Bench {number}")
    provider = Provider.objects.create(
        organisation=organisation, slug=f"bench-booking-{number}", name="Bench"
    )
    start = timezone.now() + dt.timedelta(days=7)
    offer = offer_save(
        provider=provider,
        data=OfferData(
            title=f"Smartphone-Kurs {number}",
            kind=Offer.Kind.COURSE,
            capacity=PLACES,
            booking_open=True,
            sessions=[(start, start + dt.timedelta(minutes=90))],
            simulated=True,
        ),
    ).offer
    User.objects.bulk_create(
        [User(display_name=f"Person {i}", email=f"b{number}-{i}@bench.invalid") for i in range(PEOPLE)]
    )
    people = list(User.objects.filter(email__startswith=f"b{number}-", email__endswith="@bench.invalid"))
    barrier = threading.Barrier(PEOPLE)
    latencies: list[float] = []
    failures: list[BaseException] = []

    slots = threading.BoundedSemaphore(WORKERS)

    def book(person: User) -> None:
        try:
            barrier.wait(timeout=120)
            with slots:  # a server's worker threads, each with one database connection
                began = time.perf_counter()
                try:
                    booking_create(offer=offer, name=person.display_name, email="", user=person)
                    latencies.append((time.perf_counter() - began) * 1000)
                finally:
                    connection.close()
        except BaseException as exc:  # counted below
            failures.append(exc)

    threads = [threading.Thread(target=book, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    burst = (time.perf_counter() - began) * 1000
    offer.refresh_from_db()
    booked = list(
        Booking.objects.filter(offer=offer, status=Booking.Status.BOOKED).values_list("queued_at", flat=True)
    )
    waiting = list(
        Booking.objects.filter(offer=offer, status=Booking.Status.WAITING).values_list("queued_at", flat=True)
    )
    in_order = bool(booked and waiting) and max(q for q in booked if q) <= min(q for q in waiting if q)
    return (
        burst,
        latencies,
        {
            "booked": len(booked),
            "waiting": len(waiting),
            "counter": offer.seats_taken,
            "in_order": in_order,
            "errors": len(failures),
        },
    )


def run() -> None:
    """Measure in the current database (called by ``education/bench.py`` on both backends)."""
    from django.db import connection
    from django.test.utils import override_settings

    bursts: list[float] = []
    latencies: list[float] = []
    results: list[dict[str, object]] = []
    with override_settings(NOTIFICATIONS_SEND="off"):  # the mails are queued (measured), not sent
        for number in range(ROUNDS):
            burst, single, result = _round(number)
            bursts.append(burst)
            latencies.extend(single)
            results.append(result)
    exact = all(
        r["booked"] == PLACES and r["waiting"] == PEOPLE - PLACES and r["counter"] == PLACES and r["in_order"]
        for r in results
    )
    print(
        f"Anmeldungen ({connection.vendor}): {PEOPLE} gleichzeitig auf {PLACES} Plätze "
        f"({WORKERS} zugleich in Arbeit), {ROUNDS} Runden: "
        f"Median {statistics.median(bursts):.0f} ms je Ansturm, "
        f"Median {statistics.median(latencies):.1f} ms je Anmeldung "
        f"(max {max(latencies):.0f} ms)",
        flush=True,
    )
    for i, r in enumerate(results, 1):
        print(
            f"  Runde {i}: {r['booked']} gebucht, {r['waiting']} auf der Warteliste, Zähler {r['counter']}, "
            f"Reihenfolge der Ankunft {'eingehalten' if r['in_order'] else 'VERLETZT'}, Fehler {r['errors']}",
            flush=True,
        )
    print(
        f"  genau {PLACES} gebucht und {PEOPLE - PLACES} wartend in jeder Runde: {'ja' if exact else 'NEIN'}"
    )


def main() -> None:
    """Alone, in a throwaway database of the configured backend:
    ``python -m konzeptk.education.bench_booking`` (SQLite) and with ``DATABASE_URL=postgres://…``."""
    from django.urls import get_resolver

    from konzeptk.bench import in_throwaway_database

    get_resolver().url_patterns  # noqa: B018 – load the URLconf once (offer_save checks slugs against it)
    in_throwaway_database(run)


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "konzeptk.settings")
    django.setup()
    main()
