"""``python -m konzeptk.bench education``: the search of ``/bildung/`` with five filters over 20,000 offers
and 200,000 sessions, through the full request cycle (medians of 7 runs); then the parts of the other
education benchmarks (``bench_moochub.run()``: the MOOChub endpoint; ``bench_booking.run()``: 200 people
booking 20 places at once).

Runs on SQLite and on PostgreSQL (see ``konzeptk/bench.py``) in a throwaway database with the Krefeld
profile. Target: the list with five filters ≤ 50 ms. The offers, their sessions and competences are
stored with ``bulk_create`` (the shape ``offer_save`` writes: languages as ``|de|tr|``, the district
set, ``next_start`` the first coming session); one offer is saved through ``offer_save`` as a check.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import time
from collections.abc import Callable

N_OFFERS = int(os.environ.get("KONZEPTK_BENCH_EDU_OFFERS", "20000"))
SESSIONS_PER_OFFER = 14  # for courses and events (8 of 11 offers): about 200,000 sessions
REPEAT = 7
LANGUAGE_SETS = ("|de|", "|de|tr|", "|de|pl|", "|de|uk|", "|de|ar|", "|de|en|", "|tr|de|", "|de|ru|")
COMPETENCE_CODES = ("1.1", "1.2", "2.1", "2.3", "3.1", "3.4", "4.1", "4.2", "5.1", "5.3")


def main() -> None:
    from konzeptk.bench import on_both_databases

    on_both_databases("education", _main_here)


def _main_here() -> None:
    from konzeptk.bench import in_throwaway_database

    in_throwaway_database(_run, RATELIMIT_ENABLE=False)


def _seed() -> tuple[float, int]:
    from django.db import transaction
    from django.utils import timezone

    from konzeptk.accounts.models import Organisation
    from konzeptk.city.selectors import active_profile, current_layer, districts_of
    from konzeptk.education.models import Competence, Offer, Provider, Session

    started = time.perf_counter()
    rng = random.Random(23)
    profile = active_profile()
    assert profile is not None
    layer = current_layer(profile)
    districts = list(districts_of(layer)) if layer is not None else []
    zone = timezone.get_current_timezone()
    monday = timezone.localdate() + dt.timedelta(days=7 - timezone.localdate().weekday())
    kinds = ["course"] * 6 + ["event"] * 2 + ["place", "lending", "resource"]
    with transaction.atomic():
        providers = [
            Provider.objects.create(
                organisation=Organisation.objects.create(slug=f"bench-anbieter-{i}", name=f"Anbieter {i}"),
                slug=f"bench-anbieter-{i}",
                name=f"Anbieter {i}",
            )
            for i in range(40)
        ]
        offers = []
        for i in range(N_OFFERS):
            kind = kinds[i % len(kinds)]
            dated = kind in ("course", "event")
            age_min = (None, 6, 10, 16, 55, 60)[i % 6]
            first = dt.datetime.combine(
                monday + dt.timedelta(days=rng.randrange(0, 120)), dt.time(9 + i % 10), tzinfo=zone
            )
            district = districts[i % len(districts)] if districts and i % 10 else None
            offers.append(
                Offer(
                    provider=providers[i % len(providers)],
                    kind=kind,
                    status="published" if i % 20 else "draft",
                    slug=f"angebot-{i}",
                    title=f"Angebot {i} Smartphone" if i % 3 == 0 else f"Angebot {i} Programmieren",
                    title_de=f"Angebot {i} Smartphone" if i % 3 == 0 else f"Angebot {i} Programmieren",
                    summary_de="Ein Angebot für den Benchmark.",
                    age_min=age_min,
                    age_max=None if age_min is None or age_min >= 55 else age_min + 6,
                    languages=LANGUAGE_SETS[i % len(LANGUAGE_SETS)],
                    step_free=i % 2 == 0,
                    easy_language=i % 7 == 0,
                    is_free=i % 3 != 1,
                    online=kind == "resource" or i % 13 == 0,
                    lat=profile.center_lat + rng.uniform(-0.03, 0.03) if district else None,
                    lon=profile.center_lon + rng.uniform(-0.04, 0.04) if district else None,
                    district=district,
                    first_start=first if dated else None,
                    duration_minutes=90 if dated else None,
                    rrule=f"FREQ=WEEKLY;COUNT={SESSIONS_PER_OFFER}" if dated else "",
                    next_start=first if dated else None,
                    last_end=first + dt.timedelta(weeks=SESSIONS_PER_OFFER - 1, minutes=90)
                    if dated
                    else None,
                    simulated=True,
                )
            )
        offers = Offer.objects.bulk_create(offers, batch_size=2000)
        Competence.objects.bulk_create(
            (
                Competence(offer=o, code=code, area=int(code[0]), level=1 + (o.pk + n) % 8)
                for o in offers
                for n, code in enumerate(COMPETENCE_CODES[o.pk % 10 : o.pk % 10 + 2])
            ),
            batch_size=5000,
        )
        sessions = 0
        batch: list[Session] = []
        for o in offers:
            if o.first_start is None:
                continue
            for week in range(SESSIONS_PER_OFFER):
                start = o.first_start + dt.timedelta(weeks=week)
                batch.append(Session(offer=o, start=start, end=start + dt.timedelta(minutes=90)))
            if len(batch) >= 10000:
                Session.objects.bulk_create(batch)
                sessions += len(batch)
                batch = []
        Session.objects.bulk_create(batch)
        sessions += len(batch)
    return time.perf_counter() - started, sessions


def _check_service() -> None:
    """One offer through the real service, so the seeded shape is the service's shape."""
    from konzeptk.city.selectors import district_for
    from konzeptk.education.models import Offer, Provider
    from konzeptk.education.services import offer_save
    from konzeptk.education.types import OfferData

    seeded = Offer.objects.filter(kind="course", district__isnull=False).order_by("pk").first()
    provider = Provider.objects.order_by("pk").first()
    if seeded is None or provider is None:
        raise RuntimeError("nothing seeded")
    result = offer_save(
        provider=provider,
        data=OfferData(
            title="Geprüft über offer_save",
            kind="course",
            languages=["de", "tr"],
            lat=seeded.lat,
            lon=seeded.lon,
            first_start=seeded.first_start,
            duration_minutes=90,
            rrule=f"FREQ=WEEKLY;COUNT={SESSIONS_PER_OFFER}",
            competences=[("2.1", 2)],
        ),
    )
    saved = result.offer
    expected = (
        "|de|tr|",
        district_for(seeded.lat or 0.0, seeded.lon or 0.0).district,
        SESSIONS_PER_OFFER,
        seeded.first_start,
    )
    if (saved.languages, saved.district, saved.sessions.count(), saved.next_start) != expected:
        raise RuntimeError("the seeded offers do not have the shape offer_save writes")


def _run() -> None:
    from django.db import connection
    from django.test import Client

    from konzeptk.city.services import city_profile_load
    from konzeptk.education.models import Session
    from konzeptk.education.search import OfferFilter, search_offers

    city_profile_load(source="krefeld")
    seeded, sessions = _seed()
    with connection.cursor() as cursor:  # planner statistics, as autovacuum/ANALYZE keep them in production
        cursor.execute("ANALYZE")
    _check_service()
    print(
        f"education ({connection.vendor}): {N_OFFERS} Angebote mit {sessions} Terminen "
        f"({Session.objects.count()} insgesamt) in {seeded:.1f} s angelegt",
        flush=True,
    )
    client = Client()

    def get(path: str) -> Callable[[], object]:
        def run() -> object:
            response = client.get(path, secure=True)
            assert response.status_code == 200, (path, response.status_code)
            return response

        return run

    five = "/bildung/?area=2&level=3&language=tr&age=60&free=on"
    later = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    figures = [
        ("Liste mit 5 Filtern (Bereich, Stufe, Sprache, Alter, kostenlos)", get(five), 50),
        ("Liste mit 5 Filtern, Seite 3", get(five + "&page=3"), 50),
        (
            "Liste mit 5 Filtern (Bezirk, Sprache, stufenlos, vor Ort, Zeitraum)",
            get(
                f"/bildung/?district=1&language=pl&access=step_free&mode=onsite&date_from={later}&date_to={later}"
            ),
            50,
        ),
        ("Liste ohne Filter", get("/bildung/"), 50),
        ("Liste mit Suchbegriff", get("/bildung/?q=smartphone&age=60"), 50),
    ]
    flt = OfferFilter(area=2, level=3, language="tr", age=60, free=True)
    figures.append(
        (
            "  davon search_offers(): Anzahl + Seite 1",
            lambda: (search_offers(flt).count(), list(search_offers(flt)[:20])),
            50,
        )
    )
    for label, run, target in figures:
        median = _median(run)
        verdict = "ok" if median <= target else "ÜBER DEM ZIEL"
        print(f"  {label}: Median {median:.1f} ms (Ziel ≤ {target} ms, {verdict})", flush=True)

    from konzeptk.education import bench_booking, bench_moochub

    bench_moochub.run()
    bench_booking.run()


def _median(run: Callable[[], object]) -> float:
    from konzeptk.bench import median_ms

    return median_ms(run, REPEAT)
