"""Fixtures of the education tests (each helper adds its own below, by name prefix)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any, cast

import pytest
from django.utils import timezone

from konzeptk.accounts.models import Membership, Organisation, User
from konzeptk.accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from konzeptk.city.models import CityProfile, District
from konzeptk.city.selectors import forget_active_profile
from konzeptk.city.tests.factories import split_city
from konzeptk.education.models import Offer, Provider
from konzeptk.education.services import offer_save
from konzeptk.education.types import OfferData


# --- edu-offers ---------------------------------------------------------------------------------
def local_at(days: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    """An aware time ``days`` after today (the city's day) at ``hour`` local time."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def edu_city(db: Any) -> Iterator[tuple[CityProfile, District, District]]:
    """A rectangular city: district 1 "West" (lon < 6.56) and 2 "Ost"."""
    result = split_city(bounds=(6.45, 51.28, 6.70, 51.40), split=6.56, center=(51.33, 6.56))
    yield result
    forget_active_profile()


def make_provider(name: str = "Volkshochschule Beispielstadt", slug: str = "vhs") -> Provider:
    organisation = cast(
        Organisation, OrganisationFactory(slug=f"org-{slug}", name=name, kind=Organisation.Kind.EDUCATION)
    )
    return Provider.objects.create(organisation=organisation, slug=slug, name=name)


def a_user(**traits: Any) -> User:
    return cast(User, UserFactory(**traits))


def member_of(organisation: Organisation) -> User:
    return cast(Membership, MembershipFactory(organisation=organisation)).user


def core_team_member() -> User:
    organisation = cast(Organisation, OrganisationFactory(slug="kernteam", is_core_team=True))
    return member_of(organisation)


@pytest.fixture
def provider(db: Any) -> Provider:
    return make_provider()


def course_data(**changes: Any) -> OfferData:
    """A weekly course of 4 sessions starting in a week, in the east district."""
    values: dict[str, Any] = {
        "title": "Smartphone für Einsteiger",
        "kind": Offer.Kind.COURSE,
        "summary": "Das eigene Smartphone sicher bedienen.",
        "age_min": 60,
        "languages": ["de", "tr"],
        "step_free": True,
        "is_free": True,
        "place_name": "Mediothek",
        "address": "Theaterplatz 2",
        "lat": 51.333,
        "lon": 6.565,
        "capacity": 12,
        "booking_open": True,
        "first_start": local_at(7),
        "duration_minutes": 90,
        "rrule": "FREQ=WEEKLY;COUNT=4",
        "competences": [("2.1", 2), ("4.2", 1)],
    }
    values.update(changes)
    return OfferData(**values)


@pytest.fixture
def make_offer(provider: Provider) -> Callable[..., Offer]:
    def make(**changes: Any) -> Offer:
        return offer_save(provider=changes.pop("provider", provider), data=course_data(**changes)).offer

    return make
