"""The wire format of Open311 GeoReport v2: JSON and XML as the specification writes them.

Booleans are the strings "true"/"false", date-times ISO 8601 with the offset of the city's time zone,
lists in XML are ``<root><item>…</item></root>``; errors are the specification's list of
``{code, description}``. The endpoints are in :mod:`konzeptk.servicedesk.open311`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from django.http import HttpResponse
from django.utils import timezone

# XML element name of one item in a list-valued field
_ITEM_TAG = {"attributes": "attribute", "values": "value", "endpoints": "endpoint", "formats": "format"}


def _scalar(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return w3c(value)
    if value is None:
        return ""
    return value


def w3c(value: dt.datetime) -> str:
    """ISO 8601 with the offset of the city's time zone, e.g. 2025-05-01T14:30:00+02:00."""
    return value.astimezone(_zone()).isoformat(timespec="seconds")


def w3c_from_utc_text() -> Callable[..., str]:
    """``fmt(text, days=0)``: w3c() for a UTC date-time given as text ("2025-05-01 12:30:00[.ffffff][+00]").

    The rows of a request list come as text from the database (no date-time objects to parse for
    a thousand rows): the local hour and the offset are looked up once per UTC hour (and number of
    days added), the minutes and seconds copied, as offsets of whole hours (Europe/Berlin) leave
    them unchanged. Any other offset goes the slow, exact way through w3c().
    """
    zone = _zone()
    hours: dict[tuple[str, int], tuple[str, str] | None] = {}

    def fmt(text: str, days: int = 0) -> str:
        key = (text[:13], days)
        known = hours.get(key, False)
        if known is False:
            utc_hour = dt.datetime(
                int(text[0:4]), int(text[5:7]), int(text[8:10]), int(text[11:13]), tzinfo=dt.UTC
            ) + dt.timedelta(days=days)
            local = utc_hour.astimezone(zone)
            offset = local.utcoffset() or dt.timedelta(0)
            shown = local.isoformat(timespec="seconds")  # 2025-05-01T14:00:00+02:00
            known = hours[key] = (shown[:14], shown[19:]) if offset.total_seconds() % 3600 == 0 else None
        if known is None:
            exact = dt.datetime.fromisoformat(text[:19]).replace(tzinfo=dt.UTC) + dt.timedelta(days=days)
            return w3c(exact)
        head, suffix = known  # type: ignore[misc]
        return f"{head}{text[14:19]}{suffix}"

    return fmt


@lru_cache(maxsize=1)
def _zone() -> dt.tzinfo:
    return timezone.get_default_timezone()


def _json_ready(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_ready(v) for v in value]
    return _scalar(value)


def _xml_value(tag: str, value: Any) -> str:
    if isinstance(value, dict):
        return f"<{tag}>{''.join(_xml_value(k, v) for k, v in value.items())}</{tag}>"
    if isinstance(value, list):
        item = _ITEM_TAG.get(tag, "item")
        return f"<{tag}>{''.join(_xml_value(item, v) for v in value)}</{tag}>"
    return f"<{tag}>{escape(str(_scalar(value)))}</{tag}>"


_SEP = "\x1f"  # never produced by escape(); a value holding it falls back to escaping field by field


def xml_ready_rows(rows: list[dict[str, Any]], tag: str) -> str:
    """<tag><k>v</k>…</tag> per row: one format string per set of keys, one escape() call per row."""
    templates: dict[tuple[str, ...], str] = {}
    parts = []
    for row in rows:
        keys = tuple(row)
        template = templates.get(keys)
        if template is None:
            template = templates[keys] = f"<{tag}>" + "".join(f"<{k}>{{}}</{k}>" for k in keys) + f"</{tag}>"
        values = [str(v) for v in row.values()]
        escaped = escape(_SEP.join(values)).split(_SEP)
        if len(escaped) != len(values):
            escaped = [escape(v) for v in values]
        parts.append(template.format(*escaped))
    return "".join(parts)


def render(
    fmt: str, data: Any, *, root: str, item: str | None = None, status: int = 200, ready: bool = False
) -> HttpResponse:
    """``data`` is a list (rendered as <root><item>…</item></root>) or a dict (rendered as <root>…</root>).

    ``ready`` rows hold only strings and numbers already (no booleans, dates or None).
    """
    if fmt == "json":
        body = json.dumps(data if ready else _json_ready(data), ensure_ascii=False, separators=(",", ":"))
        return HttpResponse(body, status=status, content_type="application/json; charset=utf-8")
    if isinstance(data, list) and ready:
        xml = f"<{root}>{xml_ready_rows(data, item or 'item')}</{root}>"
    elif isinstance(data, list):
        inner = "".join(_xml_value(item or "item", row) for row in data)
        xml = f"<{root}>{inner}</{root}>"
    else:
        xml = _xml_value(root, data)
    return HttpResponse(
        '<?xml version="1.0" encoding="UTF-8"?>' + xml, status=status, content_type="text/xml; charset=utf-8"
    )


def error(fmt: str, status: int, descriptions: Sequence[str]) -> HttpResponse:
    rows = [{"code": status, "description": d} for d in descriptions]
    return render(fmt, rows, root="errors", item="error", status=status)
