"""Old paths and old query parameter names keep working as redirects.

- :func:`moved_segment` — a URL pattern for a path segment that was renamed (the staff areas are
  all called ``verwaltung/`` now: ``/strategie/redaktion/…`` → ``/strategie/verwaltung/…``). It
  answers **308** (permanent, the method and body stay: an old form that POSTs still works) with
  the same path, the segment replaced, and the same query string.
- :class:`LegacyQueryMiddleware` — the query parameters of pages are English (``page``,
  ``period``, ``view``, …: machine-facing names, as in the API and the SensorThings API). A GET or
  HEAD that still carries an old German name (``?seite=2``, ``?zeitraum=7``) is answered with
  **301** to the same URL with the new names; everything else passes untouched. API prefixes are
  left alone (their parameters were English from the start).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponseBase, HttpResponsePermanentRedirect
from django.http.response import HttpResponseRedirectBase
from django.urls import URLPattern, re_path, reverse

from konzeptk.core.errors import api_format_for


class HttpResponsePermanentRedirectKeepMethod(HttpResponseRedirectBase):
    """308 Permanent Redirect: like 301, but the client repeats the same method with the same body."""

    status_code = 308


def moved_to(name: str) -> Callable[..., HttpResponseBase]:
    """A view for an old path: 308 to the URL named ``name`` (same keyword arguments, same query).

    ``path("verifizierung/", moved_to("accounts:verification"))``.
    """

    def view(request: HttpRequest, **kwargs: object) -> HttpResponseBase:
        location = reverse(name, kwargs=kwargs or None)
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirectKeepMethod(f"{location}?{query}" if query else location)

    return view


def moved_segment(old: str, new: str, *, before: str = "") -> URLPattern:
    """A pattern matching ``<before><old><anything>`` that redirects (308) to ``<before><new><anything>``.

    ``old`` and ``new`` are literal path pieces ending in ``/`` (``"redaktion/"``,
    ``"verwaltung/"``); ``before`` is a regular expression for the segments in front
    (``r"[-\\w]+/"`` for a process slug). Put it after the new patterns of the URLconf.
    """

    def view(request: HttpRequest, head: str, rest: str) -> HttpResponseBase:
        tail = f"{head}{old}{rest}"
        if not request.path.endswith(tail):  # pragma: no cover – the resolver matched exactly this
            raise ValueError(f"{request.path} does not end with {tail}")
        location = f"{request.path[: len(request.path) - len(tail)]}{head}{new}{rest}"
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirectKeepMethod(f"{location}?{query}" if query else location)

    return re_path(rf"^(?P<head>{before}){re.escape(old)}(?P<rest>.*)$", view)


#: old (German) query parameter → new (English) name, for every page of the platform
LEGACY_QUERY_NAMES: dict[str, str] = {
    "seite": "page",
    "zeitraum": "period",
    "ansicht": "view",
    "fassung": "version",
    "kommentare": "comments_page",
    "meldungen": "reports_page",
    "ideen": "ideas_page",
    "sperren": "blocks_page",
    "protokoll": "log_page",
}

#: values that changed with their parameter (``?ansicht=karte`` → ``?view=map``)
LEGACY_QUERY_VALUES: dict[str, dict[str, str]] = {
    "view": {"karte": "map", "liste": "list"},
}


def modern_query(pairs: list[tuple[str, str]]) -> list[tuple[str, str]] | None:
    """The query with old names renamed, or None when it has none. A new name given as well wins."""
    if not any(name in LEGACY_QUERY_NAMES for name, _value in pairs):
        return None
    given = {name for name, _value in pairs if name not in LEGACY_QUERY_NAMES}
    result: list[tuple[str, str]] = []
    for name, value in pairs:
        new = LEGACY_QUERY_NAMES.get(name)
        if new is None:
            result.append((name, value))
        elif new not in given:
            result.append((new, LEGACY_QUERY_VALUES.get(new, {}).get(value, value)))
    return result


class LegacyQueryMiddleware:
    """301 from a page URL with old query parameter names to the same URL with the new names."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method in ("GET", "HEAD") and request.GET and api_format_for(request.path) is None:
            pairs = [(name, value) for name, values in request.GET.lists() for value in values]
            modern = modern_query(pairs)
            if modern is not None:
                location = f"{request.path}?{urlencode(modern)}" if modern else request.path
                return HttpResponsePermanentRedirect(location)
        return self.get_response(request)
