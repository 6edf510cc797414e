"""Demo of the vacancy register: simulated units on real inner-city streets and the count history.

Read from the city profile's ``demo/innercity.json`` (with its sources). Every unit is simulated and
marked so; the counts of early and late 2018 (69 and 77) are the city's real figures, the others are
simulated to fit them. The demo owner has no usable password (the owners' pages are tried with an
account of one's own); the demo staff accounts may work the register (platform staff).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any, TextIO

from django.db import transaction

from konzeptk.accounts.models import User
from konzeptk.city.demo_data import demo_data
from konzeptk.city.selectors import district_for
from konzeptk.innercity.models import Owner, Unit
from konzeptk.innercity.services import (
    owner_register,
    owner_verify,
    unit_create,
    vacancy_count_record,
    vacancy_count_take,
)

DEMO_OWNER_EMAIL = "eigentuemer@demo.konzeptk.invalid"
PROGRAMME_NOTE = "Programm „Platz für Deine Visionen“ (simuliert)"


def _owner() -> User:
    user = User.objects.filter(email=DEMO_OWNER_EMAIL).first()
    if user is None:
        user = User(email=DEMO_OWNER_EMAIL)
        user.set_unusable_password()
        user.save()
    owner = owner_register(
        user=user,
        contact_name="Immobilienverwaltung Beispiel (simuliert)",
        role=Owner.Role.AGENT,
        organisation="Beispiel Hausverwaltung GmbH (simuliert)",
    )
    if not owner.is_verified:
        owner_verify(owner=owner, by=None)
    return user


def _explicit_units(items: list[dict[str, Any]], owner: User) -> None:
    for item in items:
        values: dict[str, Any] = {
            "title_de": item["title"],
            "title_en": item.get("title_en", ""),
            "description_de": item.get("description", ""),
            "street": item["street"],
            "house_number": item["house_number"],
            "postcode": item["postcode"],
            "lat": item["lat"],
            "lon": item["lon"],
            "area_m2": Decimal(str(item["area_m2"])),
            "shop_window_m": None if item["shop_window_m"] is None else Decimal(str(item["shop_window_m"])),
            "floor": item["floor"],
            "step_free": item["step_free"],
            "rent_per_month": None
            if item["rent_per_month"] is None
            else Decimal(str(item["rent_per_month"])),
            "owner_consent_public": item["owner_consent_public"],
            "status": item["status"],
            "vacant_since": dt.date.fromisoformat(item["vacant_since"]),
            "reason": item["reason"],
            "notes": PROGRAMME_NOTE if item.get("programme") else "",
            "simulated": True,
        }
        unit_create(
            values=values,
            uses=item["uses"],
            owner=owner if item.get("owner") else None,
            by_staff=True,
        )


def _filler(data: dict[str, Any], present: int, vacant_present: int) -> None:
    """Units no owner offered (vacant) and let units, spread over the streets, to the register's size."""
    rng = random.Random(17)
    streets = data["streets"]
    names = sorted(streets)
    districts = {
        name: district_for(
            (streets[name]["from"][0] + streets[name]["to"][0]) / 2,
            (streets[name]["from"][1] + streets[name]["to"][1]) / 2,
        ).district
        for name in names
    }
    vacant_missing = max(0, data["vacant_total"] - vacant_present)
    total_missing = max(0, data["register_total"] - present)
    reasons = [r for r in Unit.Reason.values if r != Unit.Reason.OTHER]
    rows = []
    for i in range(total_missing):
        # the shopping streets get most units; Uerdingen's Niederstraße few
        name = rng.choices(
            names, weights=[1 if n == "Niederstraße" else 4 if n == "Hochstraße" else 2 for n in names]
        )[0]
        a, b = streets[name]["from"], streets[name]["to"]
        t = rng.random()
        vacant = i < vacant_missing
        rows.append(
            Unit(
                title_de="Ladenlokal",
                street=name,
                house_number=str(rng.randint(1, 160)),
                postcode=streets[name]["postcode"],
                lat=round(a[0] + (b[0] - a[0]) * t, 5),
                lon=round(a[1] + (b[1] - a[1]) * t, 5),
                district=districts[name],
                area_m2=Decimal(rng.randint(30, 400)),
                floor=0,
                step_free=rng.random() < 0.6,
                status=Unit.Status.VACANT if vacant else Unit.Status.LET,
                vacant_since=dt.date(2026, 6, 30) - dt.timedelta(days=rng.randint(30, 2500))
                if vacant
                else None,
                reason=rng.choice(reasons) if vacant else Unit.Reason.UNKNOWN,
                simulated=True,
            )
        )
    Unit.objects.bulk_create(rows, batch_size=500)


@transaction.atomic
def load_demo(*, out: TextIO, sample: bool = False) -> None:
    """The demo register; ``sample=True`` leaves out the units no owner offered and the let ones (the
    30 described units only), for tests that walk every page."""
    data = demo_data("innercity")
    if data is None:
        return
    if not Unit.objects.filter(simulated=True).exists():
        owner = _owner()
        _explicit_units(data["units"], owner)
        if not sample:
            _filler(data, Unit.objects.count(), Unit.objects.vacant().count())
    for count in data["counts"]:
        vacancy_count_record(
            on=dt.date.fromisoformat(count["date"]),
            units=count["units"],
            vacant=count["vacant"],
            median_days=count["median_days"],
            simulated=count["simulated"],
            source=count["source"],
        )
    latest = vacancy_count_take(
        on=dt.date.fromisoformat(data["latest_count_date"]),
        simulated=True,
        source="Zählung des Demo-Registers",
    )
    out.write(
        f"Innenstadt: {Unit.objects.count()} Ladenlokale im Register (simuliert), "
        f"{Unit.objects.public().count()} öffentlich angeboten, "
        f"{len(data['counts']) + 1} Zählungen (letzte: {latest.vacant} leer).\n"
    )
