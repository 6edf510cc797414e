"""Reserving a lending item (Bibliothek der Dinge) for a period of whole days.

Each reserved day is a ``ReservedDay`` row, and the pair (offer, day) is unique in the database, so
two reservations can never share a day – on any database, however many requests arrive at once.
The days are held from the request on; an address without an account has
:data:`~konzeptk.education.booking_selectors.RESERVATION_CONFIRM_DAYS` days to confirm by the link
in the one mail it gets (:mod:`konzeptk.notifications.optin`), otherwise the reservation and its
days are deleted. The mail is written in the language the reservation was made in
(``Reservation.language``) and links to the pages in it. A period that meets a reserved day is
refused with the free days named.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from konzeptk.accounts.models import User
from konzeptk.core.errors import DomainError
from konzeptk.core.siteurl import absolute_url
from konzeptk.education import booking_selectors as sel
from konzeptk.education.booking import mail_language, new_token, retrying
from konzeptk.education.models import Offer, Reservation, ReservedDay
from konzeptk.notifications import optin

#: the longest loan when the item names none, and how far ahead one may reserve
DEFAULT_MAX_DAYS = 14
AHEAD_DAYS = 180


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def _day_list(days: Sequence[dt.date]) -> str:
    return ", ".join(formats.date_format(d, "SHORT_DATE_FORMAT") for d in days)


def max_days(offer: Offer) -> int:
    return offer.max_lending_days or DEFAULT_MAX_DAYS


def _check(offer: Offer, first: dt.date, last: dt.date, today: dt.date) -> None:
    if offer.status != Offer.Status.PUBLISHED:
        raise DomainError("offer_not_found", _("Dieses Angebot gibt es nicht oder nicht mehr."), 404)
    if offer.kind not in sel.LENDING_KINDS or not offer.booking_open:
        raise DomainError(
            "reservation_closed", _("Dieses Angebot kann nicht über die Plattform reserviert werden."), 400
        )
    if first < today:
        raise DomainError(
            "in_the_past",
            fields=[
                (
                    "first_day",
                    _("Der erste Tag liegt in der Vergangenheit. Bitte wählen Sie heute oder später."),
                )
            ],
        )
    if last < first:
        raise DomainError("wrong_order", fields=[("last_day", _("Der letzte Tag liegt vor dem ersten Tag."))])
    if (last - first).days + 1 > max_days(offer):
        raise DomainError(
            "too_long",
            fields=[
                (
                    "last_day",
                    ngettext(
                        "Sie können dieses Gerät höchstens %(days)d Tag ausleihen.",
                        "Sie können dieses Gerät höchstens %(days)d Tage ausleihen.",
                        max_days(offer),
                    )
                    % {"days": max_days(offer)},
                )
            ],
        )
    if first > today + dt.timedelta(days=AHEAD_DAYS):
        raise DomainError(
            "too_far",
            fields=[
                (
                    "first_day",
                    _("Sie können höchstens %(days)d Tage im Voraus reservieren.") % {"days": AHEAD_DAYS},
                )
            ],
        )


def _next_free_start(offer: Offer, *, length: int, after: dt.date, today: dt.date) -> dt.date | None:
    horizon = today + dt.timedelta(days=AHEAD_DAYS)
    taken = sel.reserved_days(offer, first=after, last=horizon + dt.timedelta(days=length))
    start = after
    while start <= horizon:
        span = _days(start, start + dt.timedelta(days=length - 1))
        clash = [d for d in span if d in taken]
        if not clash:
            return start
        start = max(clash) + dt.timedelta(days=1)
    return None


def _taken_error(offer: Offer, first: dt.date, last: dt.date, today: dt.date) -> DomainError:
    days = _days(first, last)
    taken = sel.reserved_days(offer, first=first, last=last)
    free = [d for d in days if d not in taken]
    if free:
        text = _("In diesem Zeitraum ist das Gerät schon reserviert. Frei sind nur diese Tage: %(days)s.") % {
            "days": _day_list(free)
        }
    else:
        text = _("In diesem Zeitraum ist das Gerät an keinem Tag frei.")
    start = _next_free_start(offer, length=len(days), after=max(first, today), today=today)
    if start is not None:
        text += " " + ngettext(
            "Der nächste freie Zeitraum von %(count)d Tag beginnt am %(day)s.",
            "Der nächste freie Zeitraum von %(count)d Tagen beginnt am %(day)s.",
            len(days),
        ) % {
            "count": len(days),
            "day": formats.date_format(start, "SHORT_DATE_FORMAT"),
        }
    return DomainError("days_taken", fields=[("first_day", text)], status=409)


def reservations_expire(*, now: dt.datetime | None = None) -> int:
    """Delete unconfirmed reservations past their time (their days are free again)."""
    return optin.expire(
        queryset=Reservation.objects.filter(status=Reservation.Status.UNCONFIRMED),
        days=sel.RESERVATION_CONFIRM_DAYS,
        now=now,
    )


def reservation_create(
    *,
    offer: Offer,
    name: str,
    email: str,
    first_day: dt.date,
    last_day: dt.date,
    user: User | None = None,
    language: str | None = None,
    now: dt.datetime | None = None,
) -> Reservation:
    """Reserve ``offer`` from ``first_day`` to ``last_day``; the same request again (a double click)
    returns the existing reservation. ``language`` (default: the active one): that of the mail."""
    language = mail_language(language)
    now = now or timezone.now()
    today = timezone.localdate(now)
    _check(offer, first_day, last_day, today)
    address = (user.email if user is not None else email).strip().lower()

    @transaction.atomic
    def write() -> Reservation:
        reservations_expire(now=now)
        same = (
            Reservation.objects.filter(offer=offer, email=address, first_day=first_day, last_day=last_day)
            .exclude(status=Reservation.Status.CANCELLED)
            .first()
        )
        if same is not None:
            if same.status == Reservation.Status.UNCONFIRMED:
                _request_confirmation(same, now)  # at most one mail an hour (optin)
            return same
        reservation = Reservation(
            offer=offer,
            user=user,
            name=name.strip()[:200],
            email=address,
            first_day=first_day,
            last_day=last_day,
            token=new_token(),
            language=language,
            status=Reservation.Status.RESERVED if user is not None else Reservation.Status.UNCONFIRMED,
            confirmed_at=now if user is not None else None,
        )
        try:
            with transaction.atomic():
                reservation.save()
                ReservedDay.objects.bulk_create(
                    [
                        ReservedDay(reservation=reservation, offer=offer, day=d)
                        for d in _days(first_day, last_day)
                    ]
                )
        except IntegrityError:
            raise _taken_error(offer, first_day, last_day, today) from None
        if user is None:
            _request_confirmation(reservation, now)
        return reservation

    return retrying(write)


def _request_confirmation(reservation: Reservation, now: dt.datetime) -> bool:
    with override(reservation.language):
        link = absolute_url(reverse("education:reservation_confirm", kwargs={"token": reservation.token}))
        stop = absolute_url(reverse("education:unsubscribe", kwargs={"token": reservation.token}))
        return optin.confirmation_request(
            row=Reservation.objects.filter(pk=reservation.pk, status=Reservation.Status.UNCONFIRMED),
            email=reservation.email,
            subject=_("Bitte bestätigen: Reservierung von „%(title)s“") % {"title": reservation.offer.title},
            intro=_("Jemand hat mit dieser E-Mail-Adresse „%(title)s“ vom %(first)s bis %(last)s reserviert.")
            % {
                "title": reservation.offer.title,
                "first": formats.date_format(reservation.first_day, "SHORT_DATE_FORMAT"),
                "last": formats.date_format(reservation.last_day, "SHORT_DATE_FORMAT"),
            },
            confirm_url=link,
            unsubscribe_url=stop,
            days=sel.RESERVATION_CONFIRM_DAYS,
            now=now,
        )


def reservation_confirm(*, token: str, now: dt.datetime | None = None) -> Reservation:
    reservation = sel.reservation_pending(token, now=now)
    if reservation is None:
        raise DomainError(
            "invalid_link",
            _("Dieser Link ist ungültig oder abgelaufen. Bitte reservieren Sie noch einmal."),
            404,
        )
    if reservation.status == Reservation.Status.UNCONFIRMED:
        when = now or timezone.now()
        Reservation.objects.filter(pk=reservation.pk, status=Reservation.Status.UNCONFIRMED).update(
            status=Reservation.Status.RESERVED, confirmed_at=when
        )
        reservation.refresh_from_db()
    return reservation


def reservation_cancel(*, reservation: Reservation, now: dt.datetime | None = None) -> Reservation:
    """Cancel; the days are free again at once. Cancelling twice is refused (409)."""

    @transaction.atomic
    def write() -> Reservation:
        done = (
            Reservation.objects.filter(pk=reservation.pk)
            .exclude(status=Reservation.Status.CANCELLED)
            .update(status=Reservation.Status.CANCELLED, cancelled_at=now or timezone.now())
        )
        if not done:
            raise DomainError("already_cancelled", _("Diese Reservierung ist bereits storniert."), 409)
        ReservedDay.objects.filter(reservation=reservation).delete()
        reservation.refresh_from_db()
        return reservation

    return retrying(write)


def reservation_stop_mails(*, token: str, now: dt.datetime | None = None) -> Reservation | None:
    reservation = sel.reservation_by_token(token)
    if reservation is None:
        return None
    Reservation.objects.filter(pk=reservation.pk, mails_stopped_at__isnull=True).update(
        mails_stopped_at=now or timezone.now()
    )
    return reservation
