"""Dates of an offer: an RFC 5545 recurrence rule with exceptions, or explicit dates, turned into the
start and end of every session.

Rules are expanded in the city's local wall time (Europe/Berlin), so a course at 18:00 stays at 18:00
across the change to and from summer time. A rule must end (COUNT or UNTIL) and may yield at most
:data:`MAX_SESSIONS` sessions; anything else is refused with an explanation in plain German."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import warnings
import zoneinfo
from collections.abc import Iterable, Sequence

from dateutil import rrule as du_rrule
from django.conf import settings
from django.utils.translation import gettext as _

from konzeptk.core.errors import DomainError

MAX_SESSIONS = 500
MAX_DURATION_MINUTES = 24 * 60
MAX_EXPLICIT_LENGTH = dt.timedelta(days=62)  # explicit dates (imports) may span days
HORIZON = dt.timedelta(days=3653)  # ten years after the first session
ALLOWED_FREQ = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
_ALLOWED_PARTS = {
    "FREQ",
    "COUNT",
    "UNTIL",
    "INTERVAL",
    "BYDAY",
    "BYMONTHDAY",
    "BYMONTH",
    "BYSETPOS",
    "BYYEARDAY",
    "BYWEEKNO",
    "WKST",
}

Span = tuple[dt.datetime, dt.datetime]


def city_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _refuse(message: str) -> DomainError:
    return DomainError("invalid_rrule", message, 400, fields=[("rrule", message)])


def _local_naive(value: dt.datetime) -> dt.datetime:
    zone = city_zone()
    if value.tzinfo is None:
        return value
    return value.astimezone(zone).replace(tzinfo=None)


def _normalise_rule(rule: str) -> tuple[str, dict[str, str]]:
    """The rule with UNTIL written in local wall time (what dateutil needs for a local DTSTART)."""
    text = rule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    if not text or "\n" in text or len(text) > 500:
        raise _refuse(_("Die Wiederholungsregel ist leer oder zu lang."))
    parts: dict[str, str] = {}
    for chunk in text.strip(";").split(";"):
        name, sep, value = chunk.partition("=")
        name = name.strip().upper()
        if not sep or not name or not value.strip():
            raise _refuse(_("Die Wiederholungsregel ist nicht lesbar. Ein Beispiel: FREQ=WEEKLY;COUNT=10"))
        if name not in _ALLOWED_PARTS:
            raise _refuse(
                _("Die Angabe „%(part)s“ wird in Wiederholungsregeln hier nicht unterstützt.")
                % {"part": name}
            )
        if name in parts:
            raise _refuse(_("Die Angabe „%(part)s“ steht doppelt in der Regel.") % {"part": name})
        parts[name] = value.strip().upper()
    if parts.get("FREQ") not in ALLOWED_FREQ:
        raise _refuse(
            _(
                "Termine können täglich, wöchentlich, monatlich oder jährlich wiederholt werden "
                "(FREQ=DAILY, WEEKLY, MONTHLY oder YEARLY)."
            )
        )
    if "COUNT" not in parts and "UNTIL" not in parts:
        raise _refuse(
            _(
                "Die Wiederholung braucht ein Ende: Geben Sie die Zahl der Termine (COUNT) oder das Datum "
                "des letzten Termins (UNTIL) an."
            )
        )
    if "COUNT" in parts and "UNTIL" in parts:
        raise _refuse(_("Bitte geben Sie entweder COUNT oder UNTIL an, nicht beides."))
    if "COUNT" in parts:
        if not parts["COUNT"].isdigit() or int(parts["COUNT"]) < 1:
            raise _refuse(_("COUNT muss eine ganze Zahl ab 1 sein."))
        if int(parts["COUNT"]) > MAX_SESSIONS:
            raise _too_many()
    if "UNTIL" in parts:
        parts["UNTIL"] = _until_local(parts["UNTIL"])
    if "INTERVAL" in parts and (not parts["INTERVAL"].isdigit() or not 1 <= int(parts["INTERVAL"]) <= 999):
        raise _refuse(_("INTERVAL muss eine ganze Zahl zwischen 1 und 999 sein."))
    return ";".join(f"{k}={v}" for k, v in parts.items()), parts


def _until_local(value: str) -> str:
    """UNTIL as local wall time: a UTC time (``…Z``) is converted, a date means the end of that day."""
    try:
        if len(value) == 8:
            day = dt.datetime.strptime(value, "%Y%m%d")
            return day.replace(hour=23, minute=59, second=59).strftime("%Y%m%dT%H%M%S")
        if value.endswith("Z"):
            moment = dt.datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
            return _local_naive(moment).strftime("%Y%m%dT%H%M%S")
        return dt.datetime.strptime(value, "%Y%m%dT%H%M%S").strftime("%Y%m%dT%H%M%S")
    except ValueError:
        raise _refuse(
            _(
                "UNTIL ist kein gültiges Datum. Schreiben Sie es so: UNTIL=20270131 oder UNTIL=20270131T180000Z"
            )
        ) from None


def _too_many() -> DomainError:
    return _refuse(
        _(
            "Diese Regel ergibt mehr als %(max)d Termine. Bitte teilen Sie das Angebot auf oder "
            "wählen Sie ein früheres Ende."
        )
        % {"max": MAX_SESSIONS}
    )


def _horizon_refusal() -> DomainError:
    return _refuse(_("Termine können höchstens zehn Jahre im Voraus geplant werden."))


def _occurrences(rule: str, start_local: dt.datetime) -> list[dt.datetime]:
    """The rule's starts (local wall time). Every rule is cut at the horizon, so a rule that never
    matches (30 February) ends after ten years instead of running to the year 9999."""
    text, parts = _normalise_rule(rule)
    horizon = start_local + HORIZON
    if "UNTIL" in parts and dt.datetime.strptime(parts["UNTIL"], "%Y%m%dT%H%M%S") > horizon:
        raise _horizon_refusal()
    try:
        recurrence = du_rrule.rrulestr(text, dtstart=start_local, cache=False)
        if not isinstance(recurrence, du_rrule.rrule):
            raise ValueError(text)
        if "COUNT" in parts:
            with warnings.catch_warnings():  # COUNT and UNTIL together: only as our own bound
                warnings.simplefilter("ignore", DeprecationWarning)
                recurrence = recurrence.replace(until=horizon)
        starts = list(itertools.islice(iter(recurrence), MAX_SESSIONS + 1))
    except (ValueError, TypeError, OverflowError, IndexError, KeyError):
        raise _refuse(
            _("Die Wiederholungsregel ist nicht lesbar. Ein Beispiel: FREQ=WEEKLY;BYDAY=TU;COUNT=10")
        ) from None
    if len(starts) > MAX_SESSIONS:
        raise _too_many()
    if not starts:
        raise _refuse(_("Nach dieser Regel gibt es keinen einzigen Termin. Bitte prüfen Sie die Angaben."))
    if "COUNT" in parts and len(starts) < int(parts["COUNT"]):
        raise _horizon_refusal()
    return starts


def expand(
    *,
    first_start: dt.datetime,
    duration_minutes: int,
    rule: str = "",
    exdates: Iterable[dt.date] = (),
) -> list[Span]:
    """Start and end (aware) of every session; without a rule, the one session at ``first_start``."""
    if not 1 <= duration_minutes <= MAX_DURATION_MINUTES:
        message = _("Ein Termin dauert mindestens 1 und höchstens 1440 Minuten (24 Stunden).")
        raise DomainError("invalid_duration", message, 400, fields=[("duration_minutes", message)])
    zone = city_zone()
    start_local = _local_naive(first_start).replace(microsecond=0)
    length = dt.timedelta(minutes=duration_minutes)
    skipped = set(exdates)
    if not rule.strip():
        starts: list[dt.datetime] = [start_local]
    else:
        starts = _occurrences(rule, start_local)
    spans: list[Span] = []
    for local in starts:
        if local.date() in skipped:
            continue
        start = local.replace(tzinfo=zone)
        # the end in wall time too, then back to an instant (a session over the night of the change)
        end = (local + length).replace(tzinfo=zone)
        if end <= start:
            end = start + length
        spans.append((start, end))
    return spans


def merge(generated: Sequence[Span], explicit: Sequence[Span]) -> list[Span]:
    """Both lists as one, sorted, without duplicates; explicit spans must end after they start."""
    for start, end in explicit:
        if start.tzinfo is None or end.tzinfo is None:
            raise DomainError("invalid_session", _("Termine brauchen eine Zeitzone."), 400)
        if end <= start:
            message = _("Ein Termin endet vor seinem Beginn. Bitte prüfen Sie die Zeiten.")
            raise DomainError("invalid_session", message, 400, fields=[("sessions", message)])
        if end - start > MAX_EXPLICIT_LENGTH:
            message = _("Ein Termin dauert höchstens 62 Tage.")
            raise DomainError("invalid_session", message, 400, fields=[("sessions", message)])
    seen: dict[tuple[dt.datetime, dt.datetime], Span] = {}
    for span in [*generated, *explicit]:
        key = (span[0].astimezone(dt.UTC), span[1].astimezone(dt.UTC))
        seen.setdefault(key, span)
    merged = sorted(seen.values(), key=lambda s: (s[0], s[1]))
    if len(merged) > MAX_SESSIONS:
        raise _too_many()
    return merged


def overlaps(spans: Sequence[Span], others: Sequence[Span]) -> list[tuple[Span, Span]]:
    """Pairs (own, other) that overlap in time; ``others`` sorted by start. Every session lasts at most
    a day, so only others starting within a day before an own session can reach into it."""
    starts = [other[0] for other in others]
    found: list[tuple[Span, Span]] = []
    for own in spans:
        low = bisect.bisect_left(starts, own[0] - dt.timedelta(minutes=MAX_DURATION_MINUTES))
        high = bisect.bisect_left(starts, own[1])
        found.extend((own, other) for other in others[low:high] if other[1] > own[0])
    return found


def self_overlaps(spans: Sequence[Span]) -> list[tuple[Span, Span]]:
    """Consecutive sessions of one offer that overlap (spans sorted by start)."""
    return [(a, b) for a, b in itertools.pairwise(spans) if b[0] < a[1]]
