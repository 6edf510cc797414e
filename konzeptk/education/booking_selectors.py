"""Reads of booking and lending: what the booking box shows, a booking by its link, the waiting
position, a person's bookings, a provider's bookings and the availability of a lending item."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from konzeptk.accounts.models import User
from konzeptk.city.models import District
from konzeptk.city.selectors import active_profile, current_layer, districts_of
from konzeptk.education.models import Booking, Offer, Reservation, ReservedDay, Session

#: kinds of offer that take bookings (with sessions) and kinds that are reserved for a period
BOOKABLE_KINDS = (Offer.Kind.COURSE, Offer.Kind.EVENT)
LENDING_KINDS = (Offer.Kind.LENDING,)
#: how many weeks of a lending item's availability the offer page shows
CALENDAR_WEEKS = 5
#: an address has this long to confirm a booking / a reservation (its days are held meanwhile)
BOOKING_CONFIRM_DAYS = 7
RESERVATION_CONFIRM_DAYS = 2
ACTIVE = (Booking.Status.UNCONFIRMED, Booking.Status.BOOKED, Booking.Status.WAITING)


def offer_for_booking(*, slug: str) -> Offer | None:
    """A published offer by its slug (drafts and unknown slugs are None)."""
    return (
        Offer.objects.filter(slug=slug, status=Offer.Status.PUBLISHED)
        .select_related("provider", "district")
        .first()
    )


def offer_for_staff(*, slug: str) -> Offer | None:
    return Offer.objects.filter(slug=slug).select_related("provider").first()


def seats_left(offer: Offer) -> int | None:
    """Free places (None: no limit)."""
    if offer.capacity is None:
        return None
    return max(offer.capacity - offer.seats_taken, 0)


def waiting_count(offer: Offer) -> int:
    return Booking.objects.filter(offer=offer, status=Booking.Status.WAITING).count()


def upcoming_sessions(offer: Offer, *, now: dt.datetime | None = None, limit: int = 50) -> list[Session]:
    now = now or timezone.now()
    return list(offer.sessions.filter(end__gt=now, cancelled=False).order_by("start", "pk")[:limit])


def has_future_session(offer: Offer, *, now: dt.datetime | None = None) -> bool:
    """Whether a booking still makes sense: an offer without sessions (an open date) or one whose last
    session has not begun."""
    sessions = offer.sessions.filter(cancelled=False)
    if not sessions.exists():
        return True
    return sessions.filter(start__gt=now or timezone.now()).exists()


def booking_by_token(token: str) -> Booking | None:
    if not token or len(token) > 64:
        return None
    return Booking.objects.filter(token=token).select_related("offer", "offer__provider").first()


def booking_pending(token: str, *, now: dt.datetime | None = None) -> Booking | None:
    """The booking of a confirmation link: confirmed already, or unconfirmed and not expired."""
    booking = booking_by_token(token)
    if booking is None:
        return None
    limit = (now or timezone.now()) - dt.timedelta(days=BOOKING_CONFIRM_DAYS)
    if booking.status == Booking.Status.UNCONFIRMED and booking.created_at < limit:
        return None
    return booking


def waiting_position(booking: Booking) -> int | None:
    """1 for the first on the waiting list; None when the booking is not waiting."""
    if booking.status != Booking.Status.WAITING or booking.queued_at is None:
        return None
    ahead = Booking.objects.filter(offer_id=booking.offer_id, status=Booking.Status.WAITING).filter(
        Q(queued_at__lt=booking.queued_at) | Q(queued_at=booking.queued_at, pk__lt=booking.pk)
    )
    return ahead.count() + 1


def active_booking(offer: Offer, user: User | object) -> Booking | None:
    """The signed-in person's booking of the offer, if any is not cancelled."""
    if not isinstance(user, User) or not user.is_authenticated:
        return None
    return (
        Booking.objects.filter(offer=offer, status__in=ACTIVE)
        .filter(Q(user=user) | Q(email=user.email.lower()))
        .first()
    )


def bookings_of(user: User) -> QuerySet[Booking]:
    """A person's bookings, newest first ("Meine Anmeldungen")."""
    return (
        Booking.objects.filter(Q(user=user) | Q(email=user.email.lower()))
        .select_related("offer", "offer__provider")
        .order_by("-created_at", "-pk")
    )


def reservations_of(user: User) -> QuerySet[Reservation]:
    return (
        Reservation.objects.filter(Q(user=user) | Q(email=user.email.lower()))
        .select_related("offer")
        .order_by("-first_day", "-pk")
    )


def offer_bookings(offer: Offer, *, status: str) -> QuerySet[Booking]:
    """The bookings of one status of an offer in waiting-list order (staff)."""
    return (
        Booking.objects.filter(offer=offer, status=status).select_related("user").order_by("queued_at", "pk")
    )


def offer_reservations(offer: Offer, *, today: dt.date | None = None) -> QuerySet[Reservation]:
    """Reservations of a lending item that have not ended (staff)."""
    today = today or timezone.localdate()
    return (
        Reservation.objects.filter(offer=offer, last_day__gte=today)
        .exclude(status=Reservation.Status.CANCELLED)
        .order_by("first_day", "pk")
    )


def reservation_by_token(token: str) -> Reservation | None:
    if not token or len(token) > 64:
        return None
    return Reservation.objects.filter(token=token).select_related("offer").first()


def reservation_pending(token: str, *, now: dt.datetime | None = None) -> Reservation | None:
    reservation = reservation_by_token(token)
    if reservation is None:
        return None
    limit = (now or timezone.now()) - dt.timedelta(days=RESERVATION_CONFIRM_DAYS)
    if reservation.status == Reservation.Status.UNCONFIRMED and reservation.created_at < limit:
        return None
    return reservation


def reserved_days(
    offer: Offer, *, first: dt.date, last: dt.date, now: dt.datetime | None = None
) -> set[dt.date]:
    """The days of ``first`` … ``last`` on which the item is reserved (or held for a confirmation)."""
    limit = (now or timezone.now()) - dt.timedelta(days=RESERVATION_CONFIRM_DAYS)
    rows = (
        ReservedDay.objects.filter(offer=offer, day__gte=first, day__lte=last)
        .filter(
            Q(reservation__status=Reservation.Status.RESERVED)
            | Q(reservation__status=Reservation.Status.UNCONFIRMED, reservation__created_at__gte=limit)
        )
        .values_list("day", flat=True)
    )
    return set(rows)


@dataclass(frozen=True)
class CalendarDay:
    day: dt.date
    free: bool
    past: bool


def lending_calendar(
    offer: Offer, *, today: dt.date | None = None, weeks: int = CALENDAR_WEEKS
) -> list[list[CalendarDay]]:
    """Weeks (Monday to Sunday) from this week on, each day free or reserved; one query."""
    today = today or timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    last = monday + dt.timedelta(days=7 * weeks - 1)
    taken = reserved_days(offer, first=monday, last=last)
    return [
        [
            CalendarDay(day=d, free=d not in taken, past=d < today)
            for d in (monday + dt.timedelta(days=7 * w + i) for i in range(7))
        ]
        for w in range(weeks)
    ]


def district_choices() -> list[District]:
    """The districts of today's administrative layer of the city profile (optional demographics)."""
    profile = active_profile()
    layer = current_layer(profile) if profile is not None else None
    return list(districts_of(layer)) if layer is not None else []
