"""ISO 8601 instants and intervals as SensorThings writes them."""

from __future__ import annotations

import datetime as dt

from konzeptk.sensing.odata.errors import ParseError

UTC = dt.UTC


def parse_instant(value: object, what: str = "Zeitpunkt") -> dt.datetime:
    if not isinstance(value, str) or len(value) > 64:
        raise ParseError(f"{what} muss ein ISO-8601-Zeitpunkt sein")
    try:
        parsed = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise ParseError(f"{what} ist kein gültiger ISO-8601-Zeitpunkt: {value[:40]!r}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


STORABLE_YEARS = range(
    1800, 2200
)  # phenomenon times the platform stores (one partition per month on PostgreSQL)


def check_storable(value: dt.datetime, what: str = "phenomenonTime") -> dt.datetime:
    if value.year not in STORABLE_YEARS:
        raise ParseError(
            f"{what} liegt außerhalb des speicherbaren Zeitraums ({STORABLE_YEARS.start}–{STORABLE_YEARS.stop - 1})"
        )
    return value


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} ist in JSON nicht erlaubt")


def loads(data: str | bytes) -> object:
    """Strict JSON: like json.loads, but NaN and ±Infinity (which Python accepts) are refused with ValueError.

    Documents nested deeper than ``jsonsafe.MAX_DEPTH`` are refused too (``JsonTooDeep``, a ValueError).
    """
    from konzeptk.core import jsonsafe

    return jsonsafe.loads(data, parse_constant=_no_constant)


def parse_time_value(value: object, what: str = "Zeit") -> tuple[dt.datetime, dt.datetime | None]:
    """An instant or an ``start/end`` interval."""
    if isinstance(value, str) and "/" in value:
        start_text, _, end_text = value.partition("/")
        start, end = parse_instant(start_text, what), parse_instant(end_text, what)
        if end < start:
            raise ParseError(f"{what}: das Ende liegt vor dem Anfang")
        return start, end
    return parse_instant(value, what), None


def format_instant(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    value = value.astimezone(UTC)
    millis = value.microsecond // 1000
    # whole seconds as FROST-Server and istSOS4 write them (a client's '…T00:00:00Z' comes back unchanged)
    return value.strftime("%Y-%m-%dT%H:%M:%S") + (f".{millis:03d}Z" if millis else "Z")


def format_time(start: dt.datetime | None, end: dt.datetime | None) -> str | None:
    if start is None:
        return None
    if end is None:
        return format_instant(start)
    return f"{format_instant(start)}/{format_instant(end)}"
