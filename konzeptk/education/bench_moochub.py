"""Benchmark part of ``python -m konzeptk.bench education``: the MOOChub export of 20,000 offers,
100 to a page.

:func:`run` works in the database it is given (``education/bench.py`` calls it inside its throwaway
database, on SQLite and on PostgreSQL); when that database holds fewer than 20,000 published offers it
adds simulated ones (10 sessions and two DigComp competences each) until it does. Measured through the
full request cycle (Django's test client): the first, a middle and the last page of
``/bildung/api/moochub/courses?page[size]=100``, median of 7 after a warm-up, with the number of
queries of a page. ``python -m konzeptk.education.bench_moochub`` runs it alone in a throwaway database of the configured
backend (``DATABASE_URL``).
"""

from __future__ import annotations

import datetime as dt
import os
import time

N_OFFERS = int(os.environ.get("KONZEPTK_BENCH_MOOCHUB_OFFERS", "20000"))
SESSIONS_PER_OFFER = int(os.environ.get("KONZEPTK_BENCH_MOOCHUB_SESSIONS", "10"))
PAGE_SIZE = 100
TARGET_MS = 100.0


def _seed(missing: int) -> float:
    from django.db import connection, transaction
    from django.utils import timezone

    from konzeptk.accounts.models import Organisation
    from konzeptk.education.models import Competence, Offer, Provider, Session

    start = time.perf_counter()
    organisation, _created = Organisation.objects.get_or_create(
        slug="bench-moochub", defaults={"name": "Bench MOOChub"}
    )
    provider, _created = Provider.objects.get_or_create(
        organisation=organisation,
        defaults={"slug": "bench-moochub", "name": "Bench MOOChub", "simulated": True},
    )
    first = timezone.now() + dt.timedelta(days=3)
    codes = ["1.1", "2.1", "2.2", "3.1", "4.2", "5.2"]
    with transaction.atomic():
        offers = Offer.objects.bulk_create(
            [
                Offer(
                    provider=provider,
                    kind=Offer.Kind.COURSE,
                    status=Offer.Status.PUBLISHED,
                    slug=f"bench-moochub-{i}",
                    title=f"Kurs {i}",
                    title_de=f"Kurs {i}",
                    summary_de="Ein simulierter Kurs für die Messung.",
                    description_de="Simuliert.\nZweiter Absatz.",
                    languages="|de|tr|" if i % 5 == 0 else "|de|",
                    is_free=i % 3 == 0,
                    price=None if i % 3 == 0 else 20 + i % 40,
                    place_name=f"Ort {i % 300}",
                    address="Beispielstraße 1, 47798 Krefeld",
                    lat=51.30 + (i % 97) / 1000,
                    lon=6.50 + (i % 89) / 1000,
                    online=i % 10 == 0,
                    capacity=12,
                    simulated=True,
                    next_start=first,
                )
                for i in range(missing)
            ],
            batch_size=1000,
        )
        if offers and offers[0].pk is None:
            offers = list(Offer.objects.filter(slug__startswith="bench-moochub-").order_by("pk"))
        Competence.objects.bulk_create(
            [
                Competence(offer=offer, code=code, area=int(code[0]), level=1 + (n + k) % 8)
                for n, offer in enumerate(offers)
                for k, code in enumerate((codes[n % 6], codes[(n + 3) % 6]))
            ],
            batch_size=2000,
        )
        Session.objects.bulk_create(
            [
                Session(
                    offer=offer,
                    start=(begin := first + dt.timedelta(days=7 * k + n % 30, hours=n % 8)),
                    end=begin + dt.timedelta(minutes=90),
                )
                for n, offer in enumerate(offers)
                for k in range(SESSIONS_PER_OFFER)
            ],
            batch_size=5000,
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return time.perf_counter() - start


def run() -> None:
    """Measure in the current database (seeding up to :data:`N_OFFERS` published offers) and print."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from konzeptk.bench import median_ms
    from konzeptk.education.models import Offer

    present = Offer.objects.filter(status=Offer.Status.PUBLISHED).count()
    if present < N_OFFERS:
        seconds = _seed(N_OFFERS - present)
        added = f"{N_OFFERS - present:,}".replace(",", ".")
        print(f"  MOOChub: {added} simulierte Angebote angelegt in {seconds:.1f} s", flush=True)
    total = Offer.objects.filter(status=Offer.Status.PUBLISHED).count()
    pages = -(-total // PAGE_SIZE)
    client = Client()
    count = f"{total:,}".replace(",", ".")
    print(
        f"  MOOChub-Export ({connection.vendor}, {count} Angebote, {PAGE_SIZE} je Seite, Ziel ≤ {TARGET_MS:.0f} ms):"
    )
    for label, number in (("erste Seite", 1), ("mittlere Seite", pages // 2 or 1), ("letzte Seite", pages)):
        url = f"/bildung/api/moochub/courses?page[number]={number}&page[size]={PAGE_SIZE}"

        def fetch(url: str = url) -> None:
            response = client.get(url, secure=True)
            assert response.status_code == 200, response.content[:200]

        with CaptureQueriesContext(connection) as queries:
            fetch()
        # counted before the median's requests: each request start empties the connection's query log
        number_of_queries = len(queries)
        print(
            f"    {label} ({number}): Median {median_ms(fetch):.1f} ms, {number_of_queries} Abfragen",
            flush=True,
        )


def _main_here() -> None:
    from konzeptk.bench import in_throwaway_database

    in_throwaway_database(run)


if __name__ == "__main__":  # alone, on the configured database (DATABASE_URL chooses the backend)
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "konzeptk.settings")
    django.setup()
    _main_here()
