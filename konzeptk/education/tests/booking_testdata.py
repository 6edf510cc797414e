"""Builders for the booking and lending tests: providers, offers through ``offer_save`` (so the
sessions are the real ones), people with accounts."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

from konzeptk.accounts.models import Membership, Organisation, User
from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.education.models import Offer, Provider
from konzeptk.education.services import offer_save
from konzeptk.education.types import OfferData

_serial = itertools.count(1)


def provider(name: str = "Volkshochschule Krefeld") -> Provider:
    n = next(_serial)
    organisation = Organisation.objects.create(slug=f"bk-anbieter-{n}", name=f"{name} {n}")
    return Provider.objects.create(organisation=organisation, slug=f"bk-anbieter-{n}", name=name)


def member(of: Provider) -> User:
    user: User = UserFactory()
    Membership.objects.create(user=user, organisation=of.organisation)
    return user


def local(days: int, hour: int = 10) -> dt.datetime:
    """A time ``days`` from today in the city's zone (safe around midnight UTC)."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def course(
    owner: Provider | None = None,
    *,
    capacity: int | None = 3,
    sessions: int = 3,
    first_in_days: int = 7,
    **fields: Any,
) -> Offer:
    """A published weekly course with ``sessions`` dates of 90 minutes, bookable."""
    values: dict[str, Any] = {
        "title": f"Smartphone für Einsteiger {next(_serial)}",
        "kind": Offer.Kind.COURSE,
        "summary": "Wischen, tippen, Fotos verschicken.",
        "place_name": "Volkshochschule",
        "address": "Von-der-Leyen-Platz 2, 47798 Krefeld",
        "capacity": capacity,
        "booking_open": True,
        "sessions": [
            (local(first_in_days + 7 * i), local(first_in_days + 7 * i) + dt.timedelta(minutes=90))
            for i in range(sessions)
        ],
    }
    values.update(fields)
    return offer_save(provider=owner or provider(), data=OfferData(**values)).offer


def lending_item(owner: Provider | None = None, *, max_days: int | None = 7, **fields: Any) -> Offer:
    values: dict[str, Any] = {
        "title": f"Tablet zum Ausleihen {next(_serial)}",
        "kind": Offer.Kind.LENDING,
        "place_name": "Mediothek",
        "address": "Theaterplatz 2, 47798 Krefeld",
        "booking_open": True,
        "max_lending_days": max_days,
        "lending_conditions": "Mit Bibliotheksausweis.",
    }
    values.update(fields)
    return offer_save(provider=owner or provider("Mediothek Krefeld"), data=OfferData(**values)).offer
