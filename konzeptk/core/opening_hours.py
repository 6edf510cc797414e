"""Opening hours in the OpenStreetMap ``opening_hours`` syntax, turned into weekly open intervals (used by
every room with places that open and close: businesses, learning places, cool places).

Parsing happens once, when an entry is saved (``weekly_intervals``); "jetzt geöffnet" is then a query over
the stored intervals (e.g. ``economy.selectors.open_now_filter``). The parser is ``opening-hours-py``.

- **The normal week**: the expression is evaluated day by day for one reference week without any
  public holiday (no country given, so ``PH`` rules never apply). An interval over midnight
  (``Fr 22:00-03:00``) becomes two rows, Friday 22:00–24:00 and Saturday 0:00–3:00.
- **Public holidays**: for each weekday the expression is evaluated on a German public holiday that falls
  on that weekday (3 October, German Unity Day, with the parser's German calendar), so ``PH off`` or
  ``PH 10:00-14:00`` become the holiday rows of that weekday. Which days are public holidays in
  North Rhine-Westphalia (Fronleichnam, Allerheiligen, …) says the ``holidays`` package at request time.
- **Rules that change over the year** (``Jul-Aug``, week numbers, Easter): the weekly table holds the
  week of the reference date, and ``hours_vary`` is set so the nightly ``refresh_opening_hours`` renews
  it. Only the state "open" counts as open; "unknown" (``… unknown``) does not.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
import opening_hours
from opening_hours import OpeningHours, State

MAX_LENGTH = 255
EXAMPLE = "Mo-Fr 09:30-18:30; Sa 10:00-16:00; Su,PH off"
_PARSER_ERRORS: tuple[type[BaseException], ...] = (
    getattr(opening_hours, "ParserError", SyntaxError),
    SyntaxError,
    ValueError,
)
_POSITION = re.compile(r"-->\s*(\d+):(\d+)")
_EXPECTED = re.compile(r"=\s*(.+)$", re.MULTILINE)


@dataclass(frozen=True)
class HoursError(Exception):
    """An expression that does not parse: the 1-based character position and what stands there."""

    position: int
    near: str
    expected: str

    def __str__(self) -> str:
        return f"position {self.position}: {self.near!r} ({self.expected})"


@dataclass(frozen=True)
class Interval:
    weekday: int  # 0 = Monday
    holiday: bool
    start_minute: int
    end_minute: int


@dataclass(frozen=True)
class WeeklyHours:
    intervals: tuple[Interval, ...]
    varies: bool  # the week pattern changes over the year


def parse(expression: str) -> OpeningHours:
    """The parsed expression, or ``HoursError`` with the position of the first character that does not fit."""
    text = expression.strip()
    if len(text) > MAX_LENGTH:
        raise HoursError(
            position=MAX_LENGTH + 1, near=text[MAX_LENGTH : MAX_LENGTH + 12], expected="too long"
        )
    if not text:
        raise HoursError(position=1, near="", expected="empty")
    try:
        return OpeningHours(text, auto_country=False, auto_timezone=False)
    except _PARSER_ERRORS as exc:
        message = str(exc)
        found = _POSITION.search(message)
        column = int(found.group(2)) if found else 1
        expected = _EXPECTED.search(message)
        raise HoursError(
            position=column,
            near=text[column - 1 : column + 11],
            expected=expected.group(1).strip() if expected else "",
        ) from None


def _day_intervals(oh: OpeningHours, day: dt.date) -> list[tuple[int, int]]:
    """Open (start, end) minutes of one day, clipped to the day."""
    start = dt.datetime.combine(day, dt.time())
    end = start + dt.timedelta(days=1)
    found: list[tuple[int, int]] = []
    for begin, finish, state, _comment in oh.intervals(start, end):
        if state != State.OPEN:
            continue
        a = max(begin, start)
        b = min(finish or end, end)
        first, last = int((a - start).total_seconds() // 60), int((b - start).total_seconds() // 60)
        if first < last:
            if found and found[-1][1] == first:
                found[-1] = (found[-1][0], last)
            else:
                found.append((first, last))
    return found


def _week(oh: OpeningHours, monday: dt.date) -> tuple[tuple[tuple[int, int], ...], ...]:
    return tuple(tuple(_day_intervals(oh, monday + dt.timedelta(days=i))) for i in range(7))


@lru_cache(maxsize=8)
def _unity_days(year: int) -> tuple[dt.date, ...]:
    """3 October of the years around ``year``, one for each weekday (Monday first)."""
    by_weekday: dict[int, dt.date] = {}
    for offset in range(-6, 7):
        day = dt.date(year + offset, 10, 3)
        by_weekday.setdefault(day.weekday(), day)
    return tuple(by_weekday[i] for i in range(7))


def weekly_intervals(expression: str, *, on: dt.date) -> WeeklyHours:
    """The weekly intervals (normal and holiday rows) of a valid expression, for the week of ``on``."""
    plain = parse(expression)
    german = OpeningHours(expression.strip(), country="DE", auto_country=False, auto_timezone=False)
    monday = on - dt.timedelta(days=on.weekday())
    week = _week(plain, monday)
    rows = [Interval(weekday, False, a, b) for weekday, spans in enumerate(week) for a, b in spans]
    for weekday, day in enumerate(_unity_days(on.year)):
        rows += [Interval(weekday, True, a, b) for a, b in _day_intervals(german, day)]
    varies = any(_week(plain, monday + dt.timedelta(weeks=4 * k)) != week for k in range(1, 14))
    return WeeklyHours(tuple(rows), varies)


@lru_cache(maxsize=4)
def _nrw_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("DE", subdiv="NW", years=year, language="de")


def is_public_holiday(day: dt.date) -> bool:
    """A public holiday in North Rhine-Westphalia (Neujahr … Fronleichnam, Allerheiligen, 2. Weihnachtstag)."""
    return day in _nrw_holidays(day.year)


def holiday_name(day: dt.date) -> str:
    return str(_nrw_holidays(day.year).get(day) or "")


def minutes_label(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


# --- for the rooms: the moment "jetzt geöffnet" is asked about, and the form error -----------------


@dataclass(frozen=True)
class Moment:
    """A local point in time as an interval table sees it."""

    weekday: int
    minute: int
    holiday: bool
    holiday_name: str
    local: dt.datetime


def moment(at: dt.datetime | None = None) -> Moment:
    """Now (or ``at``) in the city's time zone, with whether the day is a public holiday."""
    from django.conf import settings
    from django.utils import timezone

    local = (at or timezone.now()).astimezone(ZoneInfo(settings.TIME_ZONE))
    day = local.date()
    holiday = is_public_holiday(day)
    return Moment(
        weekday=day.weekday(),
        minute=local.hour * 60 + local.minute,
        holiday=holiday,
        holiday_name=holiday_name(day) if holiday else "",
        local=local,
    )


def error_message(error: HoursError) -> str:
    """The form error for opening hours that do not parse: where, what stands there, an example."""
    from django.utils.translation import gettext as _

    if error.expected == "empty":
        return _("Bitte geben Sie Öffnungszeiten an oder lassen Sie das Feld leer.")
    if error.expected == "too long":
        return _("Die Öffnungszeiten sind zu lang (höchstens 255 Zeichen).")
    return _(
        "Die Öffnungszeiten lassen sich ab Zeichen %(position)s nicht lesen („%(near)s“). "
        "Beispiel: %(example)s"
    ) % {"position": error.position, "near": error.near or "…", "example": EXAMPLE}
