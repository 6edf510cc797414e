"""The education room's sections of the personal-data export: bookings and reservations, made with
the account or with one of its verified addresses (without an account)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from konzeptk.accounts.export_registry import (
    declare_no_personal_data,
    email_q,
    register_export_section,
    verified_emails,
)
from konzeptk.education.models import Booking, Reservation


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def bookings_of_person(user: Any) -> QuerySet[Booking]:
    return Booking.objects.filter(Q(user=user) | email_q("email", verified_emails(user)))


def reservations_of_person(user: Any) -> QuerySet[Reservation]:
    return Reservation.objects.filter(Q(user=user) | email_q("email", verified_emails(user)))


def bookings_section(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "offer": b.offer.title,
            "offer_slug": b.offer.slug,
            "provider": b.offer.provider.name,
            "name": b.name,
            "email": b.email,
            "status": b.status,
            "created_at": _iso(b.created_at),
            "confirmed_at": _iso(b.confirmed_at),
            "queued_at": _iso(b.queued_at),
            "cancelled_at": _iso(b.cancelled_at),
            "reminded_at": _iso(b.reminded_at),
            "mails_stopped_at": _iso(b.mails_stopped_at),
            "attended": b.attended,
            "demographics_consent": b.demographics_consent,
            "age_band": b.age_band,
            "district": b.district.name if b.district else "",
            "language": b.language,
        }
        for b in bookings_of_person(user)
        .select_related("offer", "offer__provider", "district")
        .order_by("created_at", "pk")
    ]


def reservations_section(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "offer": r.offer.title,
            "offer_slug": r.offer.slug,
            "name": r.name,
            "email": r.email,
            "first_day": _iso(r.first_day),
            "last_day": _iso(r.last_day),
            "status": r.status,
            "created_at": _iso(r.created_at),
            "confirmed_at": _iso(r.confirmed_at),
            "cancelled_at": _iso(r.cancelled_at),
            "language": r.language,
        }
        for r in reservations_of_person(user).select_related("offer").order_by("created_at", "pk")
    ]


register_export_section(
    "education.bookings",
    bookings_section,
    models=[Booking],
    title=_("Anmeldungen zu Bildungsangeboten"),
    purpose=_(
        "Ihr Platz oder Ihr Platz auf der Warteliste, Erinnerungen und Nachrichten zu Ihrer Anmeldung; "
        "Altersgruppe und Stadtbezirk nur mit Ihrer Einwilligung, für geschützte Gesamtzahlen zur Reichweite."
    ),
    retention=_("bis Sie absagen oder Ihr Konto löschen; unbestätigte Anmeldungen sieben Tage"),
    recipients=_("der Anbieter des Angebots (Name, E-Mail-Adresse, Teilnahme); sonst niemand"),
)
register_export_section(
    "education.reservations",
    reservations_section,
    models=[Reservation, "education.ReservedDay"],
    title=_("Reservierungen von Geräten zum Ausleihen"),
    purpose=_("Die Reservierung eines Geräts für die gewählten Tage."),
    retention=_("bis Sie stornieren oder Ihr Konto löschen; unbestätigte Reservierungen zwei Tage"),
    recipients=_("der Anbieter des Geräts; sonst niemand"),
)

declare_no_personal_data(
    "education.Provider",
    "education.Offer",
    "education.Competence",
    "education.Session",
    "education.ImportSource",
    "education.ImportRun",
    reason="Providers are organisations (their public contact address, not a person's); offers, their "
    "sessions and competences are public announcements; import sources and reports name feeds and the "
    "offers' external ids and error messages, no person.",
)
