"""Raw reads for "who the offers reach": the people behind confirmed bookings, by year, with the
district and age band they chose to give.

Education sits on floor 1 and publishes no figures about people itself: these selectors hand the
people (by stable id) to :mod:`konzeptk.insights.education_reach`, which counts them through the one
disclosure control of the platform. Only bookings that count are read:

* status ``booked`` (not waiting, not cancelled, not unconfirmed), and not marked "did not attend"
  (``attended`` is ``True`` or not yet marked);
* with ``demographics_consent`` – without it the booking form stores no district and no age band, and
  such a booking is not read here at all.

A person is the account (``u<id>``, the id insights uses for the same account) or, for a booking
without an account, the confirmed e-mail address (``m<sha256 of the address>``), so one person with
several bookings in a year is counted once. A person who gave different answers in the same year is
counted with their latest booking's answers. The year is the year (Europe/Berlin) the booking was made.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from konzeptk.education.models import Booking, Competence

#: the population bands of the city profile's statistics (city.PopulationStat.age_band)
POPULATION_BANDS = ("0-5", "6-17", "18-64", "65+")

_NUMBERS = re.compile(r"\d+")


@lru_cache(maxsize=256)
def population_band(age_band: str) -> str | None:
    """The statistics band a booking's age band falls into, read from its lower bound: "unter 18",
    "6-17", "12–17" → "6-17"; "18-29", "30-49", "50-64" → "18-64"; "65+", "65-74", "75+" → "65+";
    "0-5" → "0-5" ("0-17", like "unter 18", is compared with 6 to 17). An empty or unreadable answer gives None (counted in no band)."""
    text = age_band.strip().lower()
    if not text:
        return None
    numbers = [int(n) for n in _NUMBERS.findall(text)]
    if not numbers:
        return None
    if text.startswith(("unter", "under", "<")):
        upper = numbers[0] - 1  # "unter 18": everybody below 18
        return "0-5" if upper <= 5 else "6-17" if upper <= 17 else None
    low = numbers[0]
    if low >= 65:
        return "65+"
    if low >= 18:
        return "18-64"
    if low >= 6:
        return "6-17"
    high = numbers[1] if len(numbers) > 1 else low
    return "0-5" if high <= 5 else "6-17" if high <= 17 else None


def person_of_booking(*, user_id: int | None, email: str) -> str:
    """The stable id of the person behind a booking (the record key is computed from it)."""
    if user_id is not None:
        return f"u{user_id}"
    return "m" + hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


@dataclass
class ReachedPerson:
    """One person reached in one year: where they live and their band (latest answers of the year),
    the kinds of offer and the DigComp areas of everything they booked that year."""

    person: str
    year: int
    district_id: int | None
    band: str | None
    kinds: set[str] = field(default_factory=set)
    areas: set[int] = field(default_factory=set)


def counted_bookings() -> QuerySet[Booking]:
    """Bookings that count for reach: booked, with consent, not marked as absent."""
    return Booking.objects.filter(status=Booking.Status.BOOKED, demographics_consent=True).filter(
        Q(attended__isnull=True) | Q(attended=True)
    )


def reach_fingerprint() -> str:
    """Changes whenever a booking that could count is added, confirmed, cancelled, marked as attended
    or not, or loses its answers, and whenever an offer's competences change (two queries): the key
    under which insights keeps a computed report."""
    bookings = Booking.objects.order_by().aggregate(
        n_all=Count("pk"),
        n_last=Max("pk"),
        n_booked=Count("pk", filter=Q(status=Booking.Status.BOOKED)),
        n_consent=Count("pk", filter=Q(demographics_consent=True)),
        n_present=Count("pk", filter=Q(attended=True)),
        n_absent=Count("pk", filter=Q(attended=False)),
        n_district=Count("pk", filter=Q(district__isnull=False)),
        n_band=Count("pk", filter=~Q(age_band="")),
        last_confirmed=Max("confirmed_at"),
        last_cancelled=Max("cancelled_at"),
    )
    competences = Competence.objects.order_by().aggregate(n_all=Count("pk"), n_last=Max("pk"))
    text = repr((sorted(bookings.items()), sorted(competences.items())))
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def reach_years() -> list[int]:
    """The years with counted bookings, newest first (one query)."""
    moments = counted_bookings().datetimes("created_at", "year", tzinfo=timezone.get_current_timezone())
    return sorted({m.year for m in moments}, reverse=True)


def reached_people(*, year: int) -> list[ReachedPerson]:
    """Everybody reached in ``year`` (two queries, whatever the number of bookings)."""
    zone = timezone.get_current_timezone()
    start = dt.datetime(year, 1, 1, tzinfo=zone)
    end = dt.datetime(year + 1, 1, 1, tzinfo=zone)
    bookings = counted_bookings().filter(created_at__gte=start, created_at__lt=end)
    rows = list(
        bookings.order_by("created_at", "pk").values_list(
            "user_id", "email", "district_id", "age_band", "offer_id", "offer__kind"
        )
    )
    areas_of: dict[int, set[int]] = {}
    for offer_id, area in (
        Competence.objects.filter(offer_id__in=bookings.values("offer_id"))
        .order_by()
        .values_list("offer_id", "area")
        .distinct()
    ):
        areas_of.setdefault(offer_id, set()).add(area)
    people: dict[str, ReachedPerson] = {}
    for user_id, email, district_id, age_band, offer_id, kind in rows:
        person = person_of_booking(user_id=user_id, email=email)
        entry = people.get(person)
        if entry is None:
            entry = people[person] = ReachedPerson(person=person, year=year, district_id=None, band=None)
        # rows come oldest first: the latest booking's answers win, an empty answer keeps an older one
        entry.district_id = district_id or entry.district_id
        entry.band = population_band(age_band or "") or entry.band
        entry.kinds.add(kind)
        entry.areas |= areas_of.get(offer_id, set())
    return list(people.values())


def seniors_reached(*, year: int) -> list[str]:
    """The stable ids of the people aged 65 and over reached in ``year`` (for the strategy indicator)."""
    return [p.person for p in reached_people(year=year) if p.band == "65+"]
