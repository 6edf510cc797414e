"""Fixtures of the interim-use tests: a small city with two districts, units, a call with criteria,
an applicant, three jurors and the coordination."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache

from konzeptk.accounts.models import User
from konzeptk.accounts.tests.factories import UserFactory
from konzeptk.city.models import CityProfile, District
from konzeptk.city.selectors import forget_active_profile
from konzeptk.city.tests.factories import split_city
from konzeptk.innercity.models import Unit, Use, UseKey
from konzeptk.innercity.rules import COORDINATION_GROUP
from konzeptk.interimuse import services
from konzeptk.interimuse.models import Call

WEST, EAST, SOUTH, NORTH, MID = 6.50, 6.62, 51.30, 51.38, 6.56
TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    cache.clear()  # rate-limit counters
    forget_active_profile()
    yield
    cache.clear()
    forget_active_profile()


@pytest.fixture
def city(db: Any) -> CityProfile:
    profile, _west, _east = split_city(bounds=(WEST, SOUTH, EAST, NORTH), split=MID, center=(51.334, 6.562))
    return profile


@pytest.fixture
def districts(city: CityProfile) -> list[District]:
    return list(District.objects.filter(layer__profile=city).order_by("pk"))


@pytest.fixture
def coordinator(db: Any) -> User:
    user: User = UserFactory(email="koordination@beispiel.invalid")
    group, _ = Group.objects.get_or_create(name=COORDINATION_GROUP)
    user.groups.add(group)
    return user


@pytest.fixture
def applicant(db: Any) -> User:
    user: User = UserFactory(email="gruenderin@beispiel.invalid", display_name="Greta Gründerin")
    return user


@pytest.fixture
def jurors(db: Any) -> list[User]:
    return [UserFactory(email=f"jury{n}@beispiel.invalid", display_name=f"Jury {n}") for n in range(3)]


def make_unit(district: District | None, **kw: Any) -> Unit:
    values: dict[str, Any] = {
        "title_de": "Ladenlokal mit Schaufenster",
        "street": "Hochstraße",
        "house_number": "1",
        "lat": 51.333,
        "lon": 6.555,
        "district": district,
        "area_m2": Decimal("80"),
        "step_free": True,
        "rent_per_month": Decimal("1000.00"),
        "owner_consent_public": True,
        "status": Unit.Status.OFFERED,
    }
    uses = kw.pop("uses", [UseKey.ART_CULTURE, UseKey.RETAIL])
    values.update(kw)
    unit = Unit.objects.create(**values)
    unit.uses.set([Use.objects.get_or_create(key=k)[0] for k in uses])
    return unit


@pytest.fixture
def units(districts: list[District]) -> list[Unit]:
    return [
        make_unit(districts[0], house_number="10"),
        make_unit(districts[1], house_number="20", area_m2=Decimal("300"), step_free=False),
        make_unit(
            districts[0], house_number="30", uses=[UseKey.GASTRONOMY], rent_per_month=Decimal("333.33")
        ),
    ]


@pytest.fixture
def call(units: list[Unit], jurors: list[User]) -> Call:
    """An open call of the real programme's shares with two criteria and three jurors."""
    the_call = services.call_create(
        slug="platz-fuer-deine-visionen",
        title="Platz für Deine Visionen",
        text="Wir suchen Ideen für leere Läden.",
        opens_on=TODAY - dt.timedelta(days=5),
        closes_on=TODAY + dt.timedelta(days=20),
        owner_share=Decimal(30),
        funding_share=Decimal(50),
        tenant_share=Decimal(20),
        units=units,
    )
    services.criterion_add(call=the_call, title="Idee und Konzept", weight=2)
    services.criterion_add(call=the_call, title="Belebung der Innenstadt", weight=1, max_points=5)
    for user in jurors:
        services.juror_add(call=the_call, user=user)
    return services.call_advance(call=the_call, to=Call.Status.OPEN)


def apply_values(**kw: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "kind": "artist",
        "title": "Atelier mit offener Werkstatt",
        "concept": "Ein Atelier, das samstags offen ist und Kurse für Kinder gibt.",
        "use": UseKey.ART_CULTURE,
        "area_min": 50,
        "area_max": 120,
        "budget": Decimal("250"),
    }
    values.update(kw)
    return values
