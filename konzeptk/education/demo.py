"""Demo content of the education network, from the city profile pack (``demo/education.json``).

The providers are Krefeld's real ones (VHS, Mediothek, Hochschule Niederrhein, ZfdL/KReMINTec) with
their public addresses from the city's points of interest; one invented association ("Digital-Paten",
labelled) runs cafés and help desks. The offers are generated deterministically from the templates in
the file: each template is placed at its places (a fixed list, or every senior home or youth centre of
the profile), in language variants and runs, with weekly sessions over the coming semester (from the
Monday after loading; none between Christmas and New Year). Every generated offer is simulated and
labelled "Beispielinhalt"; DigComp 2.2 itself is the one real resource. Titles and summaries come in
all six languages. Running it again adds nothing (each offer has its ``external_id``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TextIO

from django.utils import timezone

from konzeptk.accounts.models import Organisation
from konzeptk.city.demo_data import demo_data
from konzeptk.city.models import PointOfInterest
from konzeptk.city.selectors import active_profile, points_of
from konzeptk.education.models import Offer, Provider
from konzeptk.education.services import offer_save
from konzeptk.education.types import OfferData

PREFIX = "demo:"
POSTCODE = re.compile(r"^(.*\S) (\d{5} .+)$")
SIMULATED_NOTE = (
    "Beispielinhalt: Angebot und Termine erfunden; Anbieter und Ort real (Stadt Krefeld, POI-Daten)"
)


@dataclass(frozen=True)
class Spot:
    """Where an offer takes place."""

    name: str
    address: str = ""
    lat: float | None = None
    lon: float | None = None
    step_free: bool = False
    induction_loop: bool = False
    from_group: bool = False  # one of many places of a group (its name goes into the title)


def _poi(category: str, name: str) -> PointOfInterest | None:
    profile = active_profile()
    if profile is None:
        return None
    return points_of(profile, category=category).filter(name=name).first()


def _address(point: PointOfInterest) -> str:
    """``Theaterplatz 2 47798 Krefeld`` (as the profile stores it) → ``Theaterplatz 2, 47798 Krefeld``."""
    return POSTCODE.sub(r"\1, \2", point.address.strip())


def _providers(data: dict[str, Any]) -> dict[str, Provider]:
    found: dict[str, Provider] = {}
    for key, item in data["providers"].items():
        organisation, _ = Organisation.objects.get_or_create(
            slug=item["organisation"],
            defaults={"name": item["organisation_name"], "kind": Organisation.Kind.EDUCATION},
        )
        point = _poi(*item["poi"]) if item.get("poi") else None
        props = point.properties if point is not None else {}
        website = str(props.get("web") or item.get("website") or "")
        defaults = {
            "name": item["name"],
            "description_de": item.get("description", ""),
            "address": _address(point) if point is not None else "",
            "lat": point.lat if point is not None else None,
            "lon": point.lon if point is not None else None,
            "website": website.replace("http://", "https://"),
            "email": str(props.get("mail") or ""),
            "phone": str(props.get("tel") or ""),
            "simulated": bool(item.get("simulated")),
            "source_note": item.get("source", "")[:300],
        }
        provider = (
            Provider.objects.filter(slug=item["slug"]).first()
            or Provider.objects.filter(organisation=organisation).first()
        )
        if provider is None:
            provider = Provider.objects.create(organisation=organisation, slug=item["slug"], **defaults)
        found[key] = provider
    return found


def _fixed_spots(data: dict[str, Any]) -> dict[str, Spot]:
    spots = {}
    for key, item in data["places"].items():
        point = _poi(*item["poi"]) if item.get("poi") else None
        spots[key] = Spot(
            name=item["name"],
            address=_address(point) if point is not None else "",
            lat=point.lat if point is not None else None,
            lon=point.lon if point is not None else None,
            step_free=bool(item.get("step_free")),
            induction_loop=bool(item.get("induction_loop")),
        )
    return spots


def _group_spots(category: str, every: int) -> list[Spot]:
    profile = active_profile()
    if profile is None:
        return []
    points = list(points_of(profile, category=category).order_by("name", "pk"))[:: max(every, 1)]
    return [
        Spot(name=p.name, address=_address(p), lat=p.lat, lon=p.lon, step_free=True, from_group=True)
        for p in points
    ]


def _spots(template: dict[str, Any], fixed: dict[str, Spot]) -> list[Spot]:
    at = template.get("at")
    if isinstance(at, str) and at.startswith("poi:"):
        return _group_spots(at[4:], int(template.get("every", 1)))
    if isinstance(at, list):
        return [fixed[key] for key in at]
    return [fixed[template["place"]]] if template.get("place") else [Spot(name="")]


def semester_start(today: dt.date) -> dt.date:
    """The Monday after ``today``."""
    return today + dt.timedelta(days=7 - today.weekday())


def _break_days(data: dict[str, Any], start: dt.date, weeks: int) -> list[dt.date]:
    first, last = data.get("christmas_break", ["12-24", "01-01"])
    days = []
    for offset in range(weeks * 7 + 7 * 20):
        day = start + dt.timedelta(days=offset)
        stamp = day.strftime("%m-%d")
        if stamp >= first or stamp <= last:
            days.append(day)
    return days


def _texts(template: dict[str, Any], spot: Spot) -> tuple[str, str, dict[str, str]]:
    suffix = f" – {spot.name}" if spot.from_group else ""
    translations: dict[str, str] = {}
    for lang, (title, summary) in template.get("translations", {}).items():
        translations[f"title_{lang}"] = f"{title}{suffix}"[:200]
        translations[f"summary_{lang}"] = summary[:300]
    return f"{template['title']}{suffix}"[:200], template["summary"][:300], translations


def _money(value: Any) -> Decimal | None:
    return Decimal(str(value)) if value not in (None, "") else None


def _data(template: dict[str, Any], spot: Spot, number: int, when: dict[str, Any]) -> OfferData:
    title, summary, _translations = _texts(template, spot)
    cycle = template.get("languages_cycle")
    languages = cycle[number % len(cycle)] if cycle else template.get("languages", ["de"])
    access = set(template.get("access", []))
    capacity = template.get("capacity")
    hours = template.get("opening_hours_cycle")
    return OfferData(
        title=title,
        kind=template.get("kind", "course"),
        summary=summary,
        age_min=template.get("age_min"),
        age_max=template.get("age_max"),
        languages=list(languages),
        prior_knowledge=template.get("prior_knowledge", "none"),
        step_free="step_free" in access and (spot.step_free or not spot.name),
        induction_loop="induction_loop" in access or spot.induction_loop,
        sign_language="sign_language" in access,
        easy_language="easy_language" in access,
        is_free=bool(template.get("is_free")),
        price=_money(template.get("price")),
        reduced_price=_money(template.get("reduced_price")),
        online=bool(template.get("online")),
        place_name=spot.name,
        address=spot.address,
        lat=spot.lat,
        lon=spot.lon,
        url=template.get("url", ""),
        capacity=capacity,
        booking_open=bool(template.get("booking_open", capacity is not None)),
        first_start=when.get("first_start"),
        duration_minutes=when.get("duration"),
        rrule=when.get("rrule", ""),
        exdates=when.get("exdates", []),
        opening_hours=hours[number % len(hours)] if hours else template.get("opening_hours", ""),
        lending_conditions=template.get("lending_conditions", ""),
        max_lending_days=template.get("max_lending_days"),
        licence=template.get("licence", ""),
        competences=[(code, int(level)) for code, level in template.get("competences", [])],
        status=Offer.Status.PUBLISHED,
        simulated=not template.get("real"),
        source_note=template.get("source") or ("" if template.get("real") else SIMULATED_NOTE),
    )


def _when(
    template: dict[str, Any], *, number: int, run: int, start: dt.date, breaks: list[dt.date]
) -> dict[str, Any]:
    count = int(template.get("sessions", 0))
    if not count or template.get("kind") in ("place", "lending", "resource"):
        return {}
    times = template.get("times", ["10:00"])
    hour, minute = (int(x) for x in times[number % len(times)].split(":"))
    weekday = int(template.get("weekday", 0))
    if weekday < 5 and not template.get("byday"):
        weekday = (weekday + number) % 5
    week = int(template.get("start_week", 0)) + run * int(template.get("run_gap_weeks", 0))
    week += (number * int(template.get("spread_weeks", 0))) % max(
        int(template.get("semester_weeks", 18)) - 1, 1
    )
    day = start + dt.timedelta(weeks=week, days=weekday)
    first = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())
    byday = f";BYDAY={template['byday']}" if template.get("byday") else ""
    rule = f"FREQ=WEEKLY{byday};COUNT={count}" if count > 1 else ""
    return {
        "first_start": first,
        "duration": int(template.get("duration", 90)),
        "rrule": rule,
        "exdates": breaks,
    }


def _load_templates(
    data: dict[str, Any], providers: dict[str, Provider], existing: set[str], today: dt.date
) -> int:
    fixed = _fixed_spots(data)
    start = semester_start(today)
    breaks = _break_days(data, start, int(data.get("semester_weeks", 18)))
    created = 0
    for template in [*data["templates"], *data["single"]]:
        number = 0
        for spot_index, spot in enumerate(_spots(template, fixed)):
            for variant in range(int(template.get("per_place", 1))):
                for run in range(int(template.get("runs", 1))):
                    key = (
                        f"{PREFIX}{template['key']}:{template.get('place', '')}:{spot_index}:{variant}:{run}"
                    )
                    when = _when(template, number=number, run=run, start=start, breaks=breaks)
                    number += 1
                    if key in existing:
                        continue
                    offer_data = _data(template, spot, number - 1, when)
                    offer_data.external_id = key
                    _t, _s, translations = _texts(template, spot)
                    offer_save(
                        provider=providers[template["provider"]], data=offer_data, translations=translations
                    )
                    created += 1
    return created


def load_demo(*, out: TextIO) -> None:
    data = demo_data("education")
    if data is None or active_profile() is None:
        return
    providers = _providers(data)
    existing = set(
        Offer.objects.filter(external_id__startswith=PREFIX, import_source__isnull=True).values_list(
            "external_id", flat=True
        )
    )
    created = _load_templates(data, providers, existing, timezone.localdate())
    out.write(f"  Bildung: {len(providers)} Anbieter, {created} Angebote neu angelegt\n")


def after_demo(*, out: TextIO) -> None:
    """edu-booking: simulated bookings of the demo offers (``booking_demo.py``), after every room's demo."""
    from konzeptk.education.booking_demo import load_bookings

    load_bookings(out=out)
