"""What the register importers share: the report per run and the parsing of German numbers and dates."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from konzeptk.city.models import District
from konzeptk.city.selectors import active_profile, district_for
from konzeptk.climate.models import ImportRun
from konzeptk.core.errors import DomainError

#: errors kept per run (the count holds them all)
ERROR_LIMIT = 200


class RowError(ValueError):
    """A row that cannot be stored; the message says why (in the active language)."""


@dataclass
class ImportReport:
    """Rows read, stored, skipped (another municipality) and the errors per row of one import."""

    kind: str
    filename: str
    rows_read: int = 0
    stored: int = 0
    skipped: int = 0
    error_count: int = 0
    errors: list[dict[str, object]] = field(default_factory=list)

    def error(self, row: int, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < ERROR_LIMIT:
            self.errors.append({"row": row, "message": message})

    def save(self, *, refused: str = "") -> ImportRun:
        return ImportRun.objects.create(
            kind=self.kind,
            filename=self.filename[:300],
            rows_read=self.rows_read,
            stored=self.stored,
            skipped=self.skipped,
            error_count=self.error_count,
            errors=self.errors,
            refused=refused[:500],
        )

    def summary(self) -> str:
        return _(
            "%(read)s Zeilen gelesen, %(stored)s gespeichert, %(skipped)s übersprungen (andere Gemeinde), %(errors)s Fehler."
        ) % {
            "read": self.rows_read,
            "stored": self.stored,
            "skipped": self.skipped,
            "errors": self.error_count,
        }


_GERMAN_NUMBER = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def german_float(text: str, *, what: str) -> float | None:
    """A number written the German way (``1.234,5``, ``11,0``); empty is None; anything else a RowError."""
    text = text.strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    if _GERMAN_NUMBER.match(text):
        value = float(text.replace(".", "").replace(",", "."))
    elif _PLAIN_NUMBER.match(text):  # some exports write a dot as decimal separator
        value = float(text)
    else:
        raise RowError(_("%(what)s ist keine Zahl: „%(value)s“.") % {"what": what, "value": text[:40]})
    if not math.isfinite(value):
        raise RowError(_("%(what)s ist keine Zahl: „%(value)s“.") % {"what": what, "value": text[:40]})
    return value


def plain_float(text: str, *, what: str) -> float | None:
    """A number with a decimal point (``9.840``, as XML exports write it); empty is None."""
    text = text.strip()
    if not text:
        return None
    if not _PLAIN_NUMBER.match(text):
        raise RowError(_("%(what)s ist keine Zahl: „%(value)s“.") % {"what": what, "value": text[:40]})
    return float(text)


def parse_date(text: str, *, what: str) -> dt.date | None:
    """``2021-05-03`` (ISO, XML) or ``03.05.2021`` (German, CSV); empty is None."""
    text = text.strip()
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            day = dt.datetime.strptime(text[:10], pattern).date()
        except ValueError:
            continue
        if day.year < 1900 or day > dt.date.today() + dt.timedelta(days=366 * 5):
            break
        return day
    raise RowError(_("%(what)s ist kein gültiges Datum: „%(value)s“.") % {"what": what, "value": text[:40]})


def coordinates(lat: float | None, lon: float | None) -> tuple[float | None, float | None]:
    """Both or none; a pair outside the globe is an error."""
    if lat is None or lon is None:
        return None, None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise RowError(_("Die Koordinaten liegen außerhalb des gültigen Bereichs."))
    return lat, lon


class DistrictLookup:
    """``district_for`` with the districts of one import kept (one query per district, not per row)."""

    def __init__(self) -> None:
        self._cache: dict[int, District] = {}

    def __call__(self, lat: float | None, lon: float | None) -> District | None:
        if lat is None or lon is None:
            return None
        answer = district_for(lat, lon)
        district = answer.district
        if district is None:
            return None
        return self._cache.setdefault(district.pk, district)


def city_keys() -> tuple[str, str]:
    """(official municipality key, name) of the active city profile; refused when none is loaded."""
    profile = active_profile()
    if profile is None or not profile.official_key:
        raise DomainError(
            "no_city_profile",
            _("Es ist kein Stadtprofil mit Gemeindeschlüssel geladen (konzeptk load_city krefeld)."),
        )
    return profile.official_key, profile.name
