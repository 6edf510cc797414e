"""Booking an offer: a place or the waiting list, confirmed by mail, cancelled by link.

- **Capacity in the database.** A confirmed booking takes a seat with one conditional UPDATE
  (``seats_taken = seats_taken + 1 WHERE seats_taken < capacity``) in the transaction that sets it
  BOOKED; when no seat is left it goes WAITING. The arrival time (``queued_at``) is read after that
  UPDATE, so on PostgreSQL – where the UPDATE holds the offer's row until the commit – every booked
  person arrived before every waiting one. The check constraint ``education_offer_not_overbooked``
  is the last line of defence.
- **One booking per address** (the partial unique constraint): a second submit – a double click –
  finds the existing booking and shows it.
- **Addresses without an account** get exactly one mail before they confirm: the confirmation link
  (:mod:`konzeptk.notifications.optin`). Signed-in people book at once (their address is verified).
- **Cancellation** frees the seat and moves the first waiting person up in ``queued_at`` order in
  the same transaction, and tells them (kind ``education_booking``: inbox and mail).
- **Language.** A booking keeps the language it was made in (``Booking.language``); every mail and
  inbox entry about it is written in that language and links to the pages in it (``/tr/…``).
- **Conflicts** with another writer (deadlock, serialization failure, "database is locked") are
  repeated (:func:`retrying`), never shown as bad input.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.db import DatabaseError, IntegrityError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, override
from django.utils.translation import gettext as _

from konzeptk.accounts.models import User
from konzeptk.city.models import District
from konzeptk.core.errors import DomainError
from konzeptk.core.siteurl import absolute_url
from konzeptk.education import booking_selectors as sel
from konzeptk.education.models import BOOKING_KIND, Booking, Offer
from konzeptk.notifications import optin
from konzeptk.notifications.services import Address, notify

log = logging.getLogger(__name__)
T = TypeVar("T")

#: the age bands of the population statistics of the city profile, so that reach compares like with like
AGE_BANDS = [
    ("0-5", gettext_lazy("unter 6 Jahre")),
    ("6-17", gettext_lazy("6 bis 17 Jahre")),
    ("18-64", gettext_lazy("18 bis 64 Jahre")),
    ("65+", gettext_lazy("65 Jahre und älter")),
]
ATTEMPTS = 8
#: SQLite's writer lock: each attempt already waits up to ``busy_timeout`` (5 s) for the lock, and a
#: burst of many bookings queues behind one writer, so a booking keeps its turn for longer there.
LOCKED_ATTEMPTS = 24
_RETRY_STATES = {"40001", "40P01"}  # serialization failure, deadlock detected
_LANGUAGES = frozenset(code for code, _name in settings.LANGUAGES)


def mail_language(code: str | None = None) -> str:
    """The language for the mails of a new booking or reservation: ``code`` (default: the active
    language of the request) if the site speaks it – ``tr-tr`` counts as ``tr`` –, else the default."""
    code = (code if code is not None else get_language() or "").lower()
    for candidate in (code, code.split("-")[0]):
        if candidate in _LANGUAGES:
            return candidate
    return str(settings.LANGUAGE_CODE)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def _conflict(exc: BaseException) -> bool:
    cause = exc.__cause__ or exc.__context__
    state = getattr(exc, "sqlstate", None) or getattr(cause, "sqlstate", None)
    if state in _RETRY_STATES:
        return True
    return isinstance(exc, OperationalError) and "locked" in str(exc)


def retrying(write: Callable[[], T], *, attempts: int = ATTEMPTS) -> T:
    """Run ``write`` (which opens its own transaction) again after a conflict with another writer;
    after the last attempt the conflict is passed on (a 503 of the server, never "bad input")."""
    if connection.in_atomic_block:
        return write()
    attempt = 0
    while True:
        try:
            return write()
        except DatabaseError as exc:
            locked = isinstance(exc, OperationalError) and "locked" in str(exc)
            if not _conflict(exc) or attempt + 1 >= (max(attempts, LOCKED_ATTEMPTS) if locked else attempts):
                raise
            attempt += 1
            log.info("Schreibkonflikt bei einer Anmeldung, Versuch %d wird wiederholt", attempt)
            time.sleep(random.uniform(0, 0.01 * 2 ** min(attempt, 6)))


@dataclass(frozen=True)
class Demographics:
    """Optional answers for "who the offers reach"; stored only with ``consent``."""

    consent: bool = False
    age_band: str = ""
    district: District | None = None


@dataclass(frozen=True)
class BookingResult:
    booking: Booking
    created: bool  # False: the address had booked already (a double click, a second tab)


def _booking_link(booking: Booking, name: str) -> str:
    """The absolute address of a page of ``booking`` in its language (``/tr/…`` for Turkish)."""
    with override(booking.language):
        return absolute_url(reverse(name, kwargs={"token": booking.token}))


def booking_url(booking: Booking) -> str:
    return _booking_link(booking, "education:booking")


def _links(booking: Booking) -> str:
    return "\n".join(
        [
            _("Ihre Anmeldung ansehen oder absagen: %(url)s") % {"url": booking_url(booking)},
            _("Alle Termine für Ihren Kalender: %(url)s")
            % {"url": _booking_link(booking, "education:booking_ics")},
        ]
    )


def booking_notify(booking: Booking, *, subject: str, text: str) -> None:
    """A mail (and for accounts an inbox entry) about the booking – only to confirmed bookings.
    Callers write ``subject`` and ``text`` inside ``override(booking.language)``."""
    with override(booking.language):
        _booking_notify(booking, subject=subject, text=text)


def _booking_notify(booking: Booking, *, subject: str, text: str) -> None:
    body = "\n\n".join([text, _links(booking)])
    if booking.user_id is not None:
        notify(
            kind=BOOKING_KIND, subject=subject, body=body, url=booking_url(booking), recipients=[booking.user]
        )
    elif booking.mails_stopped_at is None:
        stop = _booking_link(booking, "education:unsubscribe")
        notify(
            kind=BOOKING_KIND,
            subject=subject,
            body=body,
            addresses=[Address(email=booking.email, body=body, unsubscribe_url=stop)],
        )


def _tell_entered(booking: Booking) -> None:
    with override(booking.language):
        _tell_entered_text(booking)


def _tell_entered_text(booking: Booking) -> None:
    title = booking.offer.title  # the title in the booking's language (modeltranslation)
    if booking.status == Booking.Status.BOOKED:
        booking_notify(
            booking,
            subject=_("Angemeldet: %(title)s") % {"title": title},
            text=_("Sie sind angemeldet für „%(title)s“. Ihr Platz ist für Sie reserviert.")
            % {"title": title},
        )
    else:
        booking_notify(
            booking,
            subject=_("Warteliste: %(title)s") % {"title": title},
            text=_(
                "„%(title)s“ ist ausgebucht. Sie stehen auf der Warteliste, Platz %(position)d. "
                "Wird ein Platz frei, rücken Sie automatisch nach und bekommen eine Nachricht."
            )
            % {"title": title, "position": sel.waiting_position(booking) or 0},
        )


def _take_seat(offer_id: int) -> bool:
    """One conditional UPDATE: a seat if one is free (or the offer has no limit)."""
    return bool(
        Offer.objects.filter(pk=offer_id)
        .filter(Q(capacity__isnull=True) | Q(seats_taken__lt=F("capacity")))
        .update(seats_taken=F("seats_taken") + 1)
    )


def _enter(booking: Booking) -> None:
    """Turn a confirmed booking into BOOKED (a seat) or WAITING; inside the caller's transaction."""
    seated = _take_seat(booking.offer_id)
    now = timezone.now()  # read after the UPDATE: the order of the seats is the order of arrival
    booking.status = Booking.Status.BOOKED if seated else Booking.Status.WAITING
    booking.queued_at = now
    booking.confirmed_at = booking.confirmed_at or now
    booking.save(update_fields=["status", "queued_at", "confirmed_at"])


def _check_bookable(offer: Offer, now: dt.datetime) -> None:
    if offer.status != Offer.Status.PUBLISHED:
        raise DomainError("offer_not_found", _("Dieses Angebot gibt es nicht oder nicht mehr."), 404)
    if offer.kind not in sel.BOOKABLE_KINDS or not offer.booking_open:
        raise DomainError(
            "booking_closed", _("Für dieses Angebot ist keine Anmeldung über die Plattform möglich."), 400
        )
    if not sel.has_future_session(offer, now=now):
        raise DomainError("offer_over", _("Dieses Angebot hat schon begonnen oder ist vorbei."), 400)


def booking_refusal(offer: Offer, *, now: dt.datetime | None = None) -> DomainError | None:
    """Why ``offer`` takes no booking now (None: it does)."""
    try:
        _check_bookable(offer, now or timezone.now())
    except DomainError as error:
        return error
    return None


def _demographics(booking: Booking, demographics: Demographics) -> None:
    valid = {code for code, _label in AGE_BANDS}
    if not demographics.consent:
        return  # without consent nothing is stored
    booking.demographics_consent = True
    booking.age_band = demographics.age_band if demographics.age_band in valid else ""
    booking.district = demographics.district


def _request_confirmation(booking: Booking, now: dt.datetime) -> bool:
    link = _booking_link(booking, "education:booking_confirm")
    stop = _booking_link(booking, "education:unsubscribe")
    with override(booking.language):
        return _request_confirmation_mail(booking, now, link=link, stop=stop)


def _request_confirmation_mail(booking: Booking, now: dt.datetime, *, link: str, stop: str) -> bool:
    return optin.confirmation_request(
        row=Booking.objects.filter(pk=booking.pk, status=Booking.Status.UNCONFIRMED),
        email=booking.email,
        subject=_("Bitte bestätigen: Anmeldung zu „%(title)s“") % {"title": booking.offer.title},
        intro=_("Jemand hat diese E-Mail-Adresse für „%(title)s“ angemeldet.")
        % {"title": booking.offer.title},
        confirm_url=link,
        unsubscribe_url=stop,
        days=sel.BOOKING_CONFIRM_DAYS,
        now=now,
    )


def bookings_expire(*, now: dt.datetime | None = None) -> int:
    """Delete bookings never confirmed within BOOKING_CONFIRM_DAYS (they hold no seat)."""
    return optin.expire(
        queryset=Booking.objects.filter(status=Booking.Status.UNCONFIRMED),
        days=sel.BOOKING_CONFIRM_DAYS,
        now=now,
    )


def booking_create(
    *,
    offer: Offer,
    name: str,
    email: str,
    user: User | None = None,
    demographics: Demographics = Demographics(),
    language: str | None = None,
    now: dt.datetime | None = None,
) -> BookingResult:
    """Book ``offer`` for ``email`` (or the signed-in ``user``); a second call for the same address
    returns the existing booking with ``created=False``. ``language`` (default: the active one) is the
    language of the booking's mails."""
    language = mail_language(language)

    def write() -> BookingResult:
        return _booking_create(
            offer=offer,
            name=name,
            email=email,
            user=user,
            demographics=demographics,
            language=language,
            now=now,
        )

    return retrying(write)


@transaction.atomic
def _booking_create(
    *,
    offer: Offer,
    name: str,
    email: str,
    user: User | None,
    demographics: Demographics,
    language: str,
    now: dt.datetime | None,
) -> BookingResult:
    now = now or timezone.now()
    _check_bookable(offer, now)
    address = (user.email if user is not None else email).strip().lower()
    if not address:
        raise DomainError(
            "email_missing",
            _("Bitte geben Sie Ihre E-Mail-Adresse an."),
            400,
            fields=[("email", _("Bitte geben Sie Ihre E-Mail-Adresse an."))],
        )
    existing = (
        Booking.objects.filter(offer=offer, email=address).exclude(status=Booking.Status.CANCELLED).first()
    )
    if existing is not None:
        if user is not None and existing.status == Booking.Status.UNCONFIRMED:
            # booked earlier without the account and not confirmed: the account's address is verified
            claimed = Booking.objects.filter(pk=existing.pk, status=Booking.Status.UNCONFIRMED).update(
                user=user, confirmed_at=now
            )
            if claimed:
                existing.refresh_from_db()
                _enter(existing)
                _tell_entered(existing)
        return BookingResult(booking=existing, created=False)
    booking = Booking(
        offer=offer, user=user, name=name.strip()[:200], email=address, token=new_token(), language=language
    )
    _demographics(booking, demographics)
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError:  # the same address at the same moment from another request
        found = (
            Booking.objects.filter(offer=offer, email=address)
            .exclude(status=Booking.Status.CANCELLED)
            .first()
        )
        if found is None:
            raise
        return BookingResult(booking=found, created=False)
    if user is not None:
        _enter(booking)
        _tell_entered(booking)
    else:
        _request_confirmation(booking, now)
    return BookingResult(booking=booking, created=True)


def booking_resend(*, booking: Booking, now: dt.datetime | None = None) -> bool:
    """The form sent again for an unconfirmed booking: the confirmation mail again (at most hourly)."""
    if booking.status != Booking.Status.UNCONFIRMED:
        return False
    return _request_confirmation(booking, now or timezone.now())


def booking_confirm(*, token: str, now: dt.datetime | None = None) -> Booking:
    """The button behind the confirmation link: the booking takes a seat or a waiting place."""

    @transaction.atomic
    def write() -> Booking:
        booking = sel.booking_pending(token, now=now)
        if booking is None:
            raise DomainError(
                "invalid_link",
                _("Dieser Link ist ungültig oder abgelaufen. Bitte melden Sie sich noch einmal an."),
                404,
            )
        if booking.status != Booking.Status.UNCONFIRMED:
            return booking  # confirmed before (a second click)
        claimed = Booking.objects.filter(pk=booking.pk, status=Booking.Status.UNCONFIRMED).update(
            confirmed_at=timezone.now()
        )
        if not claimed:  # another request confirmed it at the same moment
            booking.refresh_from_db()
            return booking
        booking.refresh_from_db(fields=["confirmed_at"])
        _enter(booking)
        _tell_entered(booking)
        return booking

    return retrying(write)


def _advance(offer_id: int) -> list[Booking]:
    """Move waiting people up while seats are free, first come first served; in the caller's
    transaction (which holds the offer's row)."""
    moved: list[Booking] = []
    while True:
        first = (
            Booking.objects.select_for_update()
            .filter(offer_id=offer_id, status=Booking.Status.WAITING)
            .order_by("queued_at", "pk")
            .first()
        )
        if first is None or not _take_seat(offer_id):
            return moved
        Booking.objects.filter(pk=first.pk).update(status=Booking.Status.BOOKED)
        first.status = Booking.Status.BOOKED
        moved.append(first)


def _tell_moved_up(booking: Booking) -> None:
    with override(booking.language):
        _tell_moved_up_text(booking)


def _tell_moved_up_text(booking: Booking) -> None:
    title = booking.offer.title
    booking_notify(
        booking,
        subject=_("Ein Platz ist frei: Sie sind angemeldet für „%(title)s“") % {"title": title},
        text=_(
            "Gute Nachricht: Bei „%(title)s“ ist ein Platz frei geworden. Sie sind von der Warteliste "
            "nachgerückt und jetzt angemeldet. Wenn Sie nicht teilnehmen können, sagen Sie bitte ab, "
            "damit die nächste Person nachrücken kann."
        )
        % {"title": title},
    )


def waiting_list_advance(*, offer: Offer) -> list[Booking]:
    """Fill free seats from the waiting list (after a cancellation, or when staff raise the capacity)."""

    @transaction.atomic
    def write() -> list[Booking]:
        Offer.objects.select_for_update().filter(pk=offer.pk).first()
        moved = _advance(offer.pk)
        for booking in moved:
            booking.offer = offer
            _tell_moved_up(booking)
        return moved

    return retrying(write)


def booking_cancel(*, booking: Booking, now: dt.datetime | None = None) -> list[Booking]:
    """Cancel; a freed seat goes to the first on the waiting list in the same transaction. Returns the
    bookings that moved up. Cancelling twice is refused (409)."""

    @transaction.atomic
    def write() -> list[Booking]:
        when = now or timezone.now()
        current = (
            Booking.objects.select_for_update().filter(pk=booking.pk).values_list("status", flat=True).first()
        )
        if current is None or current == Booking.Status.CANCELLED:
            raise DomainError("already_cancelled", _("Diese Anmeldung ist bereits abgesagt."), 409)
        Booking.objects.filter(pk=booking.pk).update(status=Booking.Status.CANCELLED, cancelled_at=when)
        booking.status, booking.cancelled_at = Booking.Status.CANCELLED, when
        if current != Booking.Status.BOOKED:
            return []
        Offer.objects.filter(pk=booking.offer_id, seats_taken__gt=0).update(seats_taken=F("seats_taken") - 1)
        moved = _advance(booking.offer_id)
        for other in moved:
            other.offer = booking.offer
            _tell_moved_up(other)
        return moved

    return retrying(write)


def booking_stop_mails(*, token: str, now: dt.datetime | None = None) -> Booking | None:
    """The "abbestellen" link of an address: no more mails about this booking."""
    booking = sel.booking_by_token(token)
    if booking is None:
        return None
    Booking.objects.filter(pk=booking.pk, mails_stopped_at__isnull=True).update(
        mails_stopped_at=now or timezone.now()
    )
    return booking


def attendance_save(*, offer: Offer, marks: dict[int, bool | None]) -> int:
    """Staff mark who took part (booked people of ``offer`` only); returns how many rows changed."""
    changed = 0
    with transaction.atomic():
        for pk, attended in marks.items():
            changed += Booking.objects.filter(pk=pk, offer=offer, status=Booking.Status.BOOKED).update(
                attended=attended
            )
    return changed


def booking_add_simulated(
    *,
    offer: Offer,
    name: str,
    email: str,
    demographics: Demographics = Demographics(),
    attended: bool | None = None,
) -> Booking:
    """A simulated, confirmed booking of the demo (``simulated=True``): a place while one is free,
    otherwise the waiting list – through the same seat counter as every booking, without mails."""
    with transaction.atomic():
        booking = Booking(
            offer=offer, name=name, email=email.strip().lower(), token=new_token(), simulated=True
        )
        _demographics(booking, demographics)
        booking.save()
        _enter(booking)
        if attended is not None and booking.status == Booking.Status.BOOKED:
            booking.attended = attended
            booking.save(update_fields=["attended"])
    return booking
