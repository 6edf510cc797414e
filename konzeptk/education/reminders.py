"""The reminder the day before a session: every booked person of an offer with a session tomorrow
(the city's day, Europe/Berlin) gets one message – inbox and mail for accounts, mail for confirmed
addresses that did not stop them, in the language of the booking. ``reminded_at`` makes it idempotent: a booking is claimed with one
conditional UPDATE (not yet reminded today), so the beat, a second worker and the command
``konzeptk send_education_reminders`` never send a reminder twice."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from konzeptk.education.booking import booking_notify, bookings_expire
from konzeptk.education.lending import reservations_expire
from konzeptk.education.models import Booking, Session

BATCH = 500


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=timezone.get_current_timezone())


def reminders_send(*, now: dt.datetime | None = None) -> int:
    """Remind the booked people of tomorrow's sessions; returns how many were reminded now."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    today_start = _day_start(today)
    tomorrow = _day_start(today + dt.timedelta(days=1))
    after = _day_start(today + dt.timedelta(days=2))
    bookings_expire(now=now)
    reservations_expire(now=now)
    first_session: dict[int, dt.datetime] = {}
    for offer_id, start in (
        Session.objects.filter(start__gte=tomorrow, start__lt=after, cancelled=False)
        .order_by("start")
        .values_list("offer_id", "start")
    ):
        first_session.setdefault(offer_id, start)
    if not first_session:
        return 0
    due = Booking.objects.filter(offer_id__in=list(first_session), status=Booking.Status.BOOKED).filter(
        Q(reminded_at__isnull=True) | Q(reminded_at__lt=today_start)
    )
    sent = 0
    while True:
        ids = list(due.order_by("pk").values_list("pk", flat=True)[:BATCH])
        if not ids:
            return sent
        # the claim: only the process whose UPDATE sets reminded_at sends
        for booking in Booking.objects.filter(pk__in=ids).select_related("offer", "user"):
            claimed = (
                Booking.objects.filter(pk=booking.pk)
                .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=today_start))
                .update(reminded_at=now)
            )
            if not claimed:
                continue
            _remind(booking, timezone.localtime(first_session[booking.offer_id]))
            sent += 1


def _remind(booking: Booking, start: dt.datetime) -> None:
    """The reminder in the booking's language (texts, date format and links)."""
    with override(booking.language):
        place = (
            booking.offer.place_name or booking.offer.address or (_("online") if booking.offer.online else "")
        )
        booking_notify(
            booking,
            subject=_("Erinnerung: morgen %(title)s") % {"title": booking.offer.title},
            text=_("Morgen, %(day)s um %(time)s Uhr, findet „%(title)s“ statt. Ort: %(place)s.")
            % {
                "day": formats.date_format(start, "DATE_FORMAT"),
                "time": formats.time_format(start, "H:i"),
                "title": booking.offer.title,
                "place": place,
            },
        )
