"""Heat protection for people: whether a heat warning is in force, the heat hotline of the city profile,
and what the cool-places banner shows while a warning is in force.

A heat warning is **in force** when it is an official DWD heat warning (event ``HITZE``, ``STARKE HITZE``
or ``EXTREME HITZE``, or the DWD event codes 247/248) or one of the city's own alerts raised by a heat,
tropical-night or felt-temperature rule, and it has begun (no onset, or onset in the past), is not a
cancellation, is not ended, not replaced by an update and not expired.

The checklist for facilities lives in :mod:`konzeptk.resilience.heat_checklist` (``checklist()`` is
re-exported here: the alert mail and the page use the same data).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.db.models import Q, QuerySet
from django.db.models.functions import Upper
from django.utils import timezone

from konzeptk.city.models import CityProfile
from konzeptk.city.selectors import active_profile
from konzeptk.city.services import ProfileError, resolve_profile_dir
from konzeptk.resilience import coolplaces
from konzeptk.resilience.heat_checklist import Checklist, ChecklistSection, checklist, checklist_text
from konzeptk.resilience.models import CoolPlace, Rule, Source, Warning

__all__ = [
    "Checklist",
    "ChecklistSection",
    "HeatBanner",
    "Hotline",
    "checklist",
    "checklist_text",
    "heat_banner",
    "heat_warning_active",
    "heat_warnings_in_force",
    "hotline",
]

#: DWD's event texts of heat warnings (CAP ``event``), compared in upper case
HEAT_EVENTS = ("HITZE", "STARKE HITZE", "EXTREME HITZE")
#: DWD's event codes (``II``) of heat warnings: 247 STARKE HITZE, 248 EXTREME HITZE
HEAT_EVENT_CODES = ("247", "248")
#: the kinds of the city's own rules that raise heat alerts
HEAT_RULE_KINDS = (Rule.Kind.HEAT, Rule.Kind.TROPICAL_NIGHT, Rule.Kind.FELT_HEAT)
#: how many cool places the banner shows
BANNER_PLACES = 5


def heat_warnings_in_force(*, at: dt.datetime | None = None) -> QuerySet[Warning]:
    """Heat warnings in force at ``at`` (now by default), newest first."""
    now = at or timezone.now()
    official = Q(source__in=(Source.DWD, Source.NINA)) & (
        Q(event_upper__in=HEAT_EVENTS) | Q(event_code__in=HEAT_EVENT_CODES)
    )
    own = Q(source=Source.OWN, rule__kind__in=HEAT_RULE_KINDS)
    return (
        Warning.objects.annotate(event_upper=Upper("event"))
        .filter(official | own)
        .exclude(msg_type=Warning.MsgType.CANCEL)
        .filter(ended_at__isnull=True, replaced_by__isnull=True)
        .filter(Q(expires__isnull=True) | Q(expires__gt=now))
        .filter(Q(onset__isnull=True) | Q(onset__lte=now))
        .order_by("-sent", "-pk")
    )


def heat_warning_active(*, at: dt.datetime | None = None) -> bool:
    """Whether a heat warning is in force now (one query)."""
    return heat_warnings_in_force(at=at).exists()


@dataclass(frozen=True)
class Hotline:
    """The heat hotline of the city profile (``heat_hotline`` in ``profile.json``)."""

    number: str
    hours: str  # when someone answers, in German as the profile gives it
    simulated: bool  # a demo value ("Beispielnummer"), not the city's real number
    source: str

    @property
    def tel(self) -> str:
        """The number for a ``tel:`` link (digits and a leading +)."""
        digits = "".join(c for c in self.number if c.isdigit() or c == "+")
        return digits


@lru_cache(maxsize=4)
def _hotline_of(profile: str) -> Hotline | None:
    try:
        pack = resolve_profile_dir(profile)
        spec = json.loads((pack / "profile.json").read_text(encoding="utf-8"))
    except (ProfileError, OSError, json.JSONDecodeError):
        return None
    found = spec.get("heat_hotline")
    if not isinstance(found, dict) or not str(found.get("number") or "").strip():
        return None
    return Hotline(
        number=str(found["number"]).strip(),
        hours=str(found.get("hours") or "").strip(),
        simulated=bool(found.get("simulated", False)),
        source=str(found.get("source") or "").strip(),
    )


def hotline(*, profile: CityProfile | None = None) -> Hotline | None:
    """The heat hotline of the (active) city profile's pack, or None when the profile names none."""
    profile = profile or active_profile()
    return _hotline_of(profile.slug if profile is not None else settings.CITY_PROFILE)


@dataclass(frozen=True)
class HeatBanner:
    """What the banner shows while a heat warning is in force."""

    warning: Warning
    places: list[CoolPlace]
    hotline: Hotline | None
    moment: coolplaces.Moment


def heat_banner(*, at: dt.datetime | None = None, limit: int = BANNER_PLACES) -> HeatBanner | None:
    """The banner's content, or None when no heat warning is in force (one query then; at most five
    otherwise: the warning, the profile, the places, their hours today)."""
    warning = heat_warnings_in_force(at=at).defer("raw", "geometry").first()
    if warning is None:
        return None
    when = coolplaces.moment(at)
    profile = active_profile()
    if profile is not None:
        places = coolplaces.open_places_near(
            lat=profile.center_lat, lon=profile.center_lon, when=when, limit=limit
        )
    else:
        places = []
    return HeatBanner(warning=warning, places=places, hotline=hotline(profile=profile), moment=when)
